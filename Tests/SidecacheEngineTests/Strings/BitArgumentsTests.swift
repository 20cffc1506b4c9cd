import Testing

@testable import SidecacheEngine

extension StringsTests {
    @Suite("Bit command arguments")
    struct BitArgumentsTests {
        func offset(_ text: String, max: Int = 512 * 1024 * 1024) throws(StringCommandError) -> UInt64 {
            try BitOperations.parseBitOffset(bytes(text), maxBulkLength: max)
        }

        func args(_ texts: String...) -> [[UInt8]] { texts.map(bytes) }

        @Test func bitOffsetsFollowStringToLongLongAndTheBulkLimit() throws {
            #expect(try offset("0") == 0)
            #expect(try offset("4294967295") == 4_294_967_295)
            for bad in ["-1", "4294967296", "", " 1", "1 ", "+1", "01", "1.0", "#1", "x", "9223372036854775808"] {
                #expect(throws: StringCommandError.bitOffset) { try offset(bad) }
            }
            // The limit is proto-max-bulk-len in bytes.
            #expect(try offset("8191", max: 1024) == 8191)
            #expect(throws: StringCommandError.bitOffset) { try offset("8192", max: 1024) }
            #expect(throws: StringCommandError.bitOffset) { try BitOperations.parseBitOffset([0x31, 0x00]) }
        }

        @Test func setBitValueIsZeroOrOne() throws {
            #expect(try BitOperations.parseSetBitValue(bytes("1")))
            #expect(try !BitOperations.parseSetBitValue(bytes("0")))
            for bad in ["2", "-1", "", "true", "01", " 1"] {
                #expect(throws: StringCommandError.bitValue) { try BitOperations.parseSetBitValue(bytes(bad)) }
            }
            #expect(StringCommandError.bitValue.message == "ERR bit is not an integer or out of range")
        }

        @Test func bitCountArguments() throws {
            #expect(try BitOperations.parseBitCountRange([[UInt8]]()) == nil)
            #expect(try BitOperations.parseBitCountRange(args("1", "-2")) == .init(start: 1, end: -2))
            #expect(try BitOperations.parseBitCountRange(args("1", "2", "BiT")) == .init(start: 1, end: 2, unit: .bit))
            #expect(try BitOperations.parseBitCountRange(args("1", "2", "byte")) == .init(start: 1, end: 2, unit: .byte))
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseBitCountRange(args("1")) }
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseBitCountRange(args("1", "2", "3", "4")) }
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseBitCountRange(args("0", "-1", "foo")) }
            #expect(throws: StringCommandError.notAnInteger) { try BitOperations.parseBitCountRange(args("x", "0", "foo")) }
            #expect(throws: StringCommandError.notAnInteger) { try BitOperations.parseBitCountRange(args("0", "x", "foo")) }
            // Both negative and reversed: Redis answers 0 before reading the unit.
            #expect(try BitOperations.parseBitCountRange(args("-100", "-200", "foo")) == .init(start: -100, end: -200))
            // Keywords end at a NUL byte, as strcasecmp reads them.
            #expect(try BitOperations.parseBitCountRange([bytes("0"), bytes("1"), bytes("bit") + [0, 0x41]])?.unit == .bit)
        }

        @Test func bitPositionArguments() throws {
            #expect(try BitOperations.parseBitPositionBit(bytes("1")))
            #expect(try !BitOperations.parseBitPositionBit(bytes("0")))
            #expect(throws: StringCommandError.bitPositionBit) { try BitOperations.parseBitPositionBit(bytes("2")) }
            #expect(throws: StringCommandError.notAnInteger) { try BitOperations.parseBitPositionBit(bytes("x")) }
            #expect(StringCommandError.bitPositionBit.message == "ERR The bit argument must be 1 or 0.")

            #expect(try BitOperations.parseBitPositionRange([[UInt8]]()) == .init())
            #expect(try BitOperations.parseBitPositionRange(args("3")) == .init(start: 3))
            #expect(try BitOperations.parseBitPositionRange(args("3", "-1")) == .init(start: 3, end: -1))
            #expect(try BitOperations.parseBitPositionRange(args("3", "9", "BIT")) == .init(start: 3, end: 9, unit: .bit))
            // Order: start, then the unit, then end.
            #expect(throws: StringCommandError.notAnInteger) { try BitOperations.parseBitPositionRange(args("x", "y", "foo")) }
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseBitPositionRange(args("0", "y", "foo")) }
            #expect(throws: StringCommandError.notAnInteger) { try BitOperations.parseBitPositionRange(args("0", "y", "bit")) }
            #expect(throws: StringCommandError.notAnInteger) { try BitOperations.parseBitPositionRange(args("1", "bit")) }
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseBitPositionRange(args("0", "1", "bit", "x")) }
        }

        @Test func bitOpOperators() throws {
            #expect(try BitOperations.parseOperator(bytes("aNd"), sourceCount: 3) == .and)
            #expect(try BitOperations.parseOperator(bytes("OR"), sourceCount: 1) == .or)
            #expect(try BitOperations.parseOperator(bytes("xor"), sourceCount: 2) == .xor)
            #expect(try BitOperations.parseOperator(bytes("not"), sourceCount: 1) == .not)
            #expect(throws: StringCommandError.bitOpNotArity) { try BitOperations.parseOperator(bytes("NOT"), sourceCount: 2) }
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseOperator(bytes("nand"), sourceCount: 2) }
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseOperator(bytes("an"), sourceCount: 2) }
            #expect(throws: StringCommandError.syntax) { try BitOperations.parseOperator(bytes(""), sourceCount: 2) }
            #expect(StringCommandError.bitOpNotArity.message == "ERR BITOP NOT must be called with a single source key.")
        }
    }
}
