import Testing

@testable import SidecacheEngine

extension StringsTests {
    @Suite("BITFIELD")
    struct BitFieldTests {
        func parse(_ line: String, readOnly: Bool = false) throws(StringCommandError) -> [BitField.Operation] {
            try BitField.parse(line.split(separator: " ").map { Array($0.utf8) }, readOnly: readOnly)
        }

        /// Runs a BITFIELD argument line on `value` and returns the replies.
        func run(_ line: String, on value: inout [UInt8]) throws -> [Int64?] {
            BitField.execute(try parse(line), on: &value).results
        }

        // MARK: Parsing

        @Test func parsesOperationsWithOverflowApplyingToTheFollowingOnes() throws {
            let operations = try parse("GET u8 0 overflow SAT set i16 #2 -5 INCRBY u3 7 1 OVERFLOW fail incrby i64 0 9")
            #expect(
                operations == [
                    .init(.get, .init(isSigned: false, bits: 8), offset: 0, overflow: .wrap),
                    .init(.set(-5), .init(isSigned: true, bits: 16), offset: 32, overflow: .sat),
                    .init(.incrementBy(1), .init(isSigned: false, bits: 3), offset: 7, overflow: .sat),
                    .init(.incrementBy(9), .init(isSigned: true, bits: 64), offset: 0, overflow: .fail),
                ]
            )
            #expect(try parse("").isEmpty)
            #expect(try parse("overflow wrap").isEmpty)
        }

        @Test func typesAreI1ToI64AndU1ToU63() throws {
            #expect(try BitField.parseType(bytes("i64")) == .init(isSigned: true, bits: 64))
            #expect(try BitField.parseType(bytes("u63")) == .init(isSigned: false, bits: 63))
            #expect(try BitField.parseType(bytes("i1")) == .init(isSigned: true, bits: 1))
            // The width is read as a C string: it ends at a NUL byte.
            #expect(try BitField.parseType(bytes("u8") + [0, 0x39]) == .init(isSigned: false, bits: 8))
            for bad in ["u64", "i65", "u0", "i0", "I8", "U8", "i", "", "i08", "i 8", "s8", "i-1", "u+1"] {
                #expect(throws: StringCommandError.bitFieldType) { try BitField.parseType(bytes(bad)) }
            }
            #expect(
                StringCommandError.bitFieldType.message
                    == "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
            )
        }

        @Test func offsetsArePlainOrMultipliedByTheWidth() throws {
            #expect(try parse("get i8 #3")[0].offset == 24)
            #expect(try parse("get u5 #3")[0].offset == 15)
            #expect(try parse("get i8 4294967295")[0].offset == 4_294_967_295)
            // Limit: offset / 8 below proto-max-bulk-len (512 MiB).
            #expect(throws: StringCommandError.bitOffset) { try parse("get i8 4294967296") }
            #expect(throws: StringCommandError.bitOffset) { try parse("get i8 -1") }
            #expect(throws: StringCommandError.bitOffset) { try parse("get i8 #-1") }
            #expect(throws: StringCommandError.bitOffset) { try parse("get i8 #") }
            #expect(throws: StringCommandError.bitOffset) { try parse("get i8 ##1") }
            // `#N * width` wraps around 64 bits as in Redis, and the negative result is refused.
            #expect(throws: StringCommandError.bitOffset) { try parse("get i8 #9223372036854775807") }
            #expect(throws: StringCommandError.bitOffset) { try parse("get i3 #3074457345618258603") }
            #expect(
                throws: StringCommandError.bitOffset,
                performing: { try BitField.parse([bytes("get"), bytes("u8"), bytes("80")], maxBulkLength: 10) }
            )
        }

        @Test func parseErrorsComeInRedisOrder() throws {
            #expect(throws: StringCommandError.syntax) { try parse("foo") }
            #expect(throws: StringCommandError.syntax) { try parse("get i8") }
            #expect(throws: StringCommandError.syntax) { try parse("set i8 0") }
            #expect(throws: StringCommandError.syntax) { try parse("overflow") }
            #expect(throws: StringCommandError.bitFieldOverflowType) { try parse("overflow bad get i8 0") }
            #expect(throws: StringCommandError.notAnInteger) { try parse("set i8 0 abc") }
            #expect(throws: StringCommandError.notAnInteger) { try parse("incrby i8 0 1.5") }
            // Type before offset before value, one subcommand at a time.
            #expect(throws: StringCommandError.bitFieldType) { try parse("set x8 -1 abc") }
            #expect(throws: StringCommandError.bitOffset) { try parse("set i8 -1 abc") }
            #expect(throws: StringCommandError.bitOffset) { try parse("get i8 -1 foo") }
            #expect(throws: StringCommandError.syntax) { try parse("get i8 0 foo") }
            #expect(StringCommandError.bitFieldOverflowType.message == "ERR Invalid OVERFLOW type specified")
        }

        @Test func readOnlyVariantRefusesWritesAfterParsingEverything() throws {
            #expect(try parse("get i8 0 overflow sat get u4 3", readOnly: true).count == 2)
            #expect(throws: StringCommandError.bitFieldReadOnly) { try parse("get i8 0 set i8 0 1", readOnly: true) }
            #expect(throws: StringCommandError.bitFieldReadOnly) { try parse("incrby u2 0 1", readOnly: true) }
            // A parse error anywhere wins over the read-only refusal.
            #expect(throws: StringCommandError.syntax) { try parse("set i8 0 1 foo", readOnly: true) }
            #expect(StringCommandError.bitFieldReadOnly.message == "ERR BITFIELD_RO only supports the GET subcommand")
        }

        // MARK: Execution

        @Test func fieldsStraddleBytesMostSignificantBitFirst() throws {
            // Redis's own example: u5 = 23 at offset 7 in zeros is 00000001|01110000.
            var value: [UInt8] = []
            #expect(try run("set u5 7 23", on: &value) == [0])
            #expect(value == [0b0000_0001, 0b0111_0000])
            #expect(try run("get u5 7 get i5 7 get u16 0 get u8 100", on: &value) == [23, -9, 0x0170, 0])
        }

        @Test func getsPastTheEndReadZerosWithoutGrowing() throws {
            var value: [UInt8] = [0xFF]
            let outcome = BitField.execute(try parse("get u8 4 get i64 1000"), on: &value)
            #expect(outcome.results == [0xF0, 0])
            #expect(value == [0xFF] && outcome.changes == 0)
            #expect(BitField.read(try parse("get i8 0 get u4 4"), from: nil) == [0, 0])
            #expect([UInt8]([0x80, 0x01]).withUnsafeBytes { BitField.read(try! parse("get i8 0 get u16 0"), from: $0) } == [-128, 0x8001])
        }

        @Test func writesGrowTheValueToTheHighestWrittenBitEvenWhenTheyFail() throws {
            var value: [UInt8] = []
            let outcome = BitField.execute(try parse("overflow fail incrby u2 100 10"), on: &value)
            #expect(outcome.results == [nil])
            #expect(value.count == 13)  // (100 + 2 - 1) / 8 + 1
            #expect(outcome.changes == 0)
            // Growth makes every successful write a change, even of 0 over 0.
            var fresh: [UInt8] = []
            #expect(BitField.execute(try parse("set u8 0 0"), on: &fresh).changes == 1)
            #expect(BitField.execute(try parse("set u8 0 0"), on: &fresh).changes == 0)
            #expect(BitField.execute(try parse("set u8 0 1 incrby u8 0 0 set u8 0 1"), on: &fresh).changes == 1)
        }

        @Test func signedArithmeticMatchesRedisIncludingI64Edges() throws {
            var value: [UInt8] = []
            #expect(try run("overflow wrap set i64 0 9223372036854775807 incrby i64 0 1", on: &value) == [0, Int64.min])
            #expect(
                try run(
                    "overflow sat set i64 0 9223372036854775807 incrby i64 0 1 incrby i64 0 -9223372036854775808 "
                        + "incrby i64 0 -9223372036854775808 incrby i64 0 -2",
                    on: &value
                ) == [Int64.min, .max, -1, .min, .min]
            )
            #expect(
                try run(
                    "overflow fail set i64 0 -9223372036854775808 incrby i64 0 -1 incrby i64 0 9223372036854775807 incrby i64 0 1",
                    on: &value
                ) == [.min, nil, -1, 0]
            )
            value = []
            #expect(try run("overflow wrap set i5 0 100 get i5 0 incrby i5 0 20 incrby i1 0 1 get u1 0", on: &value) == [0, 4, -8, 0, 0])
            value = []
            #expect(
                try run("incrby i8 0 127 incrby i8 0 1 overflow sat incrby i8 0 -1000 incrby i8 0 1000", on: &value) == [
                    127, -128, -128, 127,
                ])
        }

        @Test func setFarBelowANarrowSignedFieldCountsAsOverflowUpwards() throws {
            // Redis computes `max - value` in 64-bit unsigned arithmetic: for INT64_MIN it wraps,
            // so SAT stores the maximum, not the minimum (checked against redis-server 7.0.15).
            var value: [UInt8] = []
            #expect(try run("overflow sat set i8 0 -9223372036854775808 get i8 0", on: &value) == [0, 127])
            #expect(try run("overflow wrap set i8 0 -9223372036854775808 get i8 0", on: &value) == [127, 0])
            #expect(try run("overflow sat set i8 0 -129 get i8 0", on: &value) == [0, -128])
        }

        @Test func unsignedArithmeticMatchesRedisIncludingU63Edges() throws {
            var value: [UInt8] = []
            #expect(try run("overflow sat set u8 0 -1 get u8 0", on: &value) == [0, 255])
            #expect(try run("overflow wrap set u8 0 -1 get u8 0", on: &value) == [255, 255])
            #expect(try run("overflow fail set u8 0 256 set u8 0 -1 incrby u8 0 1", on: &value) == [nil, nil, nil])
            value = []
            #expect(
                try run(
                    "overflow wrap set u63 0 9223372036854775807 incrby u63 0 1 incrby u63 0 -1 incrby u63 0 -9223372036854775808",
                    on: &value
                ) == [0, 0, .max, .max]
            )
            #expect(
                try run(
                    "overflow sat set u63 0 5 incrby u63 0 -9223372036854775808 incrby u63 0 9223372036854775807 "
                        + "incrby u63 0 9223372036854775807",
                    on: &value
                ) == [.max, 0, .max, .max]
            )
            value = []
            #expect(try run("incrby u2 0 5 incrby u2 0 -2 overflow sat incrby u2 0 -9 incrby u2 0 9", on: &value) == [1, 3, 0, 3])
        }

        @Test func overflowChecksAgreeWithExactArithmetic() {
            // For every small width, value and increment, the check must agree with arithmetic
            // done in a wider type (Redis's quirks live only at the 64-bit edges).
            for bits in UInt64(1)...6 {
                let signedRange = -(Int64(1) << (bits - 1))...(Int64(1) << (bits - 1)) - 1
                for value in signedRange {
                    for increment in Int64(-70)...70 {
                        let sum = value + increment
                        let check = BitField.signedOverflow(value, increment, bits: bits, overflow: .sat)
                        #expect(check.overflowed == !signedRange.contains(sum))
                        if check.overflowed {
                            #expect(check.limit == (sum > 0 ? signedRange.upperBound : signedRange.lowerBound))
                            let wrapped = BitField.signedOverflow(value, increment, bits: bits, overflow: .wrap).limit
                            #expect(BitField.signExtend(UInt64(bitPattern: sum) & ((1 << bits) - 1), bits: bits) == wrapped)
                        }
                    }
                }
                let unsignedRange = Int64(0)...(Int64(1) << bits) - 1
                for value in unsignedRange {
                    for increment in Int64(-70)...70 {
                        let sum = value + increment
                        let check = BitField.unsignedOverflow(UInt64(value), increment, bits: bits, overflow: .sat)
                        #expect(check.overflowed == !unsignedRange.contains(sum))
                        if check.overflowed {
                            #expect(check.limit == (sum > 0 ? UInt64(unsignedRange.upperBound) : 0))
                        }
                    }
                }
            }
        }
    }
}
