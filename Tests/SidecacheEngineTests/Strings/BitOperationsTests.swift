import Testing

@testable import SidecacheEngine

extension StringsTests {
    @Suite("Bit operations")
    struct BitOperationsTests {
        let foobar = bytes("foobar")

        func count(_ value: [UInt8], _ start: Int64, _ end: Int64, _ unit: BitOperations.Unit = .byte) -> Int64 {
            BitOperations.bitCount(value, start: start, end: end, unit: unit)
        }

        func position(
            _ bit: Bool, _ value: [UInt8]?, _ start: Int64? = nil, _ end: Int64? = nil, _ unit: BitOperations.Unit = .byte
        ) -> Int64 {
            BitOperations.bitPosition(of: bit, in: value, start: start, end: end, unit: unit)
        }

        // MARK: popcount and BITCOUNT

        @Test func popcountCountsEveryLengthAndAlignment() {
            let value = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for start in 0..<9 {
                for end in start..<value.count {
                    let slice = Array(value[start...end])
                    let expected = slice.reduce(0) { $0 + Int64($1.nonzeroBitCount) }
                    #expect(slice.withUnsafeBytes { BitOperations.popcount($0) } == expected)
                }
            }
            #expect([UInt8]().withUnsafeBytes { BitOperations.popcount($0) } == 0)
            #expect([UInt8](repeating: 0xFF, count: 1000).withUnsafeBytes { BitOperations.bitCount($0) } == 8000)
        }

        @Test func bitCountByteRanges() {
            #expect(foobar.withUnsafeBytes { BitOperations.bitCount($0) } == 26)
            #expect(count(foobar, 0, 0) == 4)
            #expect(count(foobar, 1, 1) == 6)
            #expect(count(foobar, 0, -1) == 26)
            #expect(count(foobar, -2, -1) == count(foobar, 4, 5))
            // Clamping: far negative start is 0, end past the string is the last byte.
            #expect(count(foobar, -100, 100) == 26)
            #expect(count(foobar, 3, 2) == 0)
            #expect(count(foobar, 6, 10) == 0)
            #expect(count([], 0, -1) == 0)
            #expect(count([], 0, 0, .bit) == 0)
        }

        @Test func bitCountBothNegativeAndReversedIsZeroBeforeClamping() {
            // Without the early answer, -100 and -200 would both clamp to byte 0 and count it.
            #expect(count(foobar, -100, -200) == 0)
            #expect(count(foobar, -100, -200, .bit) == 0)
            #expect(count(foobar, -7, -7) == 4)  // Equal is not reversed: clamps to byte 0.
        }

        @Test func bitCountBitRangesMaskTheEdgeBytes() {
            #expect(count(foobar, 1, 1, .bit) == 1)
            #expect(count(foobar, 5, 30, .bit) == 17)
            #expect(count(foobar, 0, -1, .bit) == 26)
            #expect(count(foobar, -8, -1, .bit) == count(foobar, 5, 5))
            #expect(count([0xFF], 3, 3, .bit) == 1)
            #expect(count([0xFF, 0xFF], 7, 8, .bit) == 2)
            #expect(count([0xFF], 9, 20, .bit) == 0)
            // Brute force over a small value.
            let value: [UInt8] = [0b1010_0110, 0xFF, 0x01, 0x80]
            for start in Int64(-40)...40 {
                for end in Int64(-40)...40 {
                    #expect(count(value, start, end, .bit) == bruteForceBitCount(value, start, end))
                }
            }
        }

        func bruteForceBitCount(_ value: [UInt8], _ start: Int64, _ end: Int64) -> Int64 {
            let total = Int64(value.count * 8)
            if start < 0 && end < 0 && start > end { return 0 }
            let s = max(0, start < 0 ? total + start : start)
            let e = min(total - 1, max(0, end < 0 ? total + end : end))
            guard s <= e else { return 0 }
            return (s...e).reduce(0) { $0 + (BitOperations.getBit(value, offset: UInt64($1)) ? 1 : 0) }
        }

        // MARK: BITPOS

        @Test func bitPositionExamplesFromRedis() {
            #expect(position(false, [0xFF, 0xF0, 0x00]) == 12)
            let value: [UInt8] = [0x00, 0xFF, 0xF0]
            #expect(position(true, value, 0) == 8)
            #expect(position(true, value, 2) == 16)
            #expect(position(true, value, 2, -1, .byte) == 16)
            #expect(position(true, value, 7, 15, .bit) == 8)
            #expect(position(true, value, 7, -3, .bit) == 8)
            #expect(position(true, [0, 0, 0]) == -1)
            #expect(position(true, [0xFF, 0xFF, 0xFF], -1, -1, .bit) == 23)
        }

        @Test func clearBitInAllOnesDependsOnWhetherEndWasGiven() {
            let ones: [UInt8] = [0xFF, 0xFF, 0xFF]
            #expect(position(false, ones) == 24)
            #expect(position(false, ones, 0) == 24)
            #expect(position(false, ones, 2) == 24)
            #expect(position(false, ones, 0, -1) == -1)
            #expect(position(false, ones, 3, 20, .bit) == -1)
            #expect(position(false, ones, 2, 1, .bit) == -1)
            #expect(position(false, ones, 5, nil, .bit) == 24)
        }

        @Test func missingKeyAndEmptyValueDiffer() {
            #expect(position(false, nil) == 0)
            #expect(position(true, nil) == -1)
            #expect(position(false, nil, 5, 10, .bit) == 0)
            #expect(position(false, []) == -1)
            #expect(position(true, []) == -1)
            #expect(position(false, [], 0) == -1)
        }

        @Test func bitPositionScansLongValuesWordByWord() {
            var value = [UInt8](repeating: 0, count: 100)
            value[77] = 0x10
            #expect(position(true, value) == 77 * 8 + 3)
            #expect(position(true, value, 78) == -1)
            #expect(position(false, value) == 0)
            var ones = [UInt8](repeating: 0xFF, count: 100)
            ones[63] = 0xFE
            #expect(position(false, ones) == 63 * 8 + 7)
            #expect(position(false, ones, 64) == 800)
            #expect(position(false, ones, 64, 99) == -1)
        }

        @Test func bitPositionBitRangesAgainstBruteForce() {
            let value: [UInt8] = [0b0001_0000, 0xFF, 0x00, 0b1111_1110, 0xFF]
            for bit in [false, true] {
                for start in Int64(-45)...45 {
                    for end in Int64(-45)...45 {
                        #expect(position(bit, value, start, end, .bit) == bruteForcePosition(bit, value, start, end))
                    }
                }
            }
        }

        func bruteForcePosition(_ bit: Bool, _ value: [UInt8], _ start: Int64, _ end: Int64) -> Int64 {
            let total = Int64(value.count * 8)
            let s = max(0, start < 0 ? total + start : start)
            let e = min(total - 1, max(0, end < 0 ? total + end : end))
            guard s <= e else { return -1 }
            return (s...e).first { BitOperations.getBit(value, offset: UInt64($0)) == bit } ?? -1
        }

        // MARK: GETBIT / SETBIT

        @Test func getBitAddressesMostSignificantBitFirst() {
            let value: [UInt8] = [0b1000_0001, 0b0100_0000]
            #expect(BitOperations.getBit(value, offset: 0))
            #expect(!BitOperations.getBit(value, offset: 1))
            #expect(BitOperations.getBit(value, offset: 7))
            #expect(BitOperations.getBit(value, offset: 9))
            #expect(!BitOperations.getBit(value, offset: 16))
            #expect(!BitOperations.getBit(value, offset: UInt64.max))
            #expect(!BitOperations.getBit([], offset: 0))
        }

        @Test func setBitGrowsWithZerosAndReportsChanges() {
            var value: [UInt8] = []
            var result = BitOperations.setBit(&value, offset: 7, to: true)
            #expect(value == [0x01])
            #expect(result.previous == false && result.modified)
            // Same bit again: no change, so Redis neither signals the key nor counts it dirty.
            result = BitOperations.setBit(&value, offset: 7, to: true)
            #expect(result.previous == true && !result.modified)
            // Growth alone is a change, even when the bit stays 0.
            result = BitOperations.setBit(&value, offset: 23, to: false)
            #expect(value == [0x01, 0, 0])
            #expect(result.previous == false && result.modified)
            result = BitOperations.setBit(&value, offset: 7, to: false)
            #expect(value == [0, 0, 0] && result.previous && result.modified)
            result = BitOperations.setBit(&value, offset: 8, to: true)
            #expect(value == [0, 0x80, 0])
        }

        // MARK: BITOP

        @Test func bitOpPadsShorterSourcesWithZeros() {
            let a: [UInt8] = [0xFF, 0x0F, 0xF0]
            let b: [UInt8] = [0x0F]
            #expect(BitOperations.bitOp(.and, [a, b]) == [0x0F, 0x00, 0x00])
            #expect(BitOperations.bitOp(.or, [a, b]) == [0xFF, 0x0F, 0xF0])
            #expect(BitOperations.bitOp(.xor, [a, b]) == [0xF0, 0x0F, 0xF0])
            #expect(BitOperations.bitOp(.not, [a]) == [0x00, 0xF0, 0x0F])
            #expect(BitOperations.bitOp(.and, [b, a]) == [0x0F, 0x00, 0x00])
            #expect(BitOperations.bitOp(.and, [a, []]) == [0, 0, 0])
            #expect(BitOperations.bitOp(.or, [[], []] as [[UInt8]]).isEmpty)
            #expect(BitOperations.bitOp(.not, [[]] as [[UInt8]]).isEmpty)
        }

        @Test func bitOpOverLongValuesMatchesBytewiseDefinition() {
            var generator = SeededGenerator(seed: 7)
            let sources: [[UInt8]] = [37, 64, 5, 70].map { length in
                (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            let length = 70
            func at(_ source: [UInt8], _ index: Int) -> UInt8 { index < source.count ? source[index] : 0 }
            let and = (0..<length).map { i in sources.reduce(0xFF) { $0 & at($1, i) } }
            let or = (0..<length).map { i in sources.reduce(0) { $0 | at($1, i) } }
            let xor = (0..<length).map { i in sources.reduce(0) { $0 ^ at($1, i) } }
            #expect(BitOperations.bitOp(.and, sources) == and)
            #expect(BitOperations.bitOp(.or, sources) == or)
            #expect(BitOperations.bitOp(.xor, sources) == xor)
            #expect(BitOperations.bitOp(.not, [sources[3]]) == sources[3].map { ~$0 })
            // Any collection of bytes is a source.
            #expect(BitOperations.bitOp(.or, [sources[0][...], sources[1][...]]) == BitOperations.bitOp(.or, [sources[0], sources[1]]))
        }
    }
}
