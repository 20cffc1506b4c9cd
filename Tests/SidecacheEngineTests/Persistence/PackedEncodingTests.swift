import SidecacheEngine
import Testing

extension PersistenceTests {
    @Suite("Listpack, intset, ziplist, zipmap")
    struct PackedEncodingTests {
        static let integerBoundaries: [Int64] = [
            0, 1, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, 32768, -32768, -32769, 8_388_607, 8_388_608,
            -8_388_608, -8_388_609, 2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, .max, .min,
        ]

        func listpack(_ elements: [[UInt8]]) -> [UInt8] {
            var writer = ListpackWriter()
            for element in elements { writer.append(element) }
            return writer.finish()
        }

        @Test func listpackIntegerEncodings() throws {
            // First byte and entry size (backlen included) of each width, as listpack.c writes them.
            let expected: [(Int64, UInt8, Int)] = [
                (0, 0x00, 2), (127, 0x7f, 2), (128, 0xc0, 3), (-1, 0xdf, 3), (-4096, 0xd0, 3), (4095, 0xcf, 3),
                (4096, 0xf1, 4), (-32769, 0xf2, 5), (8_388_608, 0xf3, 6), (-2_147_483_649, 0xf4, 10),
            ]
            for (value, marker, size) in expected {
                let blob = listpack([RDBNumbers.decimal(value)])
                #expect(blob.count == 7 + size, "\(value)")
                #expect(blob[6] == marker, "\(value)")
            }
            let blob = listpack(Self.integerBoundaries.map(RDBNumbers.decimal))
            #expect(try ListpackReader.entries(blob) == Self.integerBoundaries.map { .integer($0) })
        }

        @Test func listpackStringsAndBacklenBoundaries() throws {
            var rng = SplitMix64(seed: 6)
            // Entry sizes 127/128 (backlen 1/2 bytes) and 16382/16383 (2/3 bytes).
            let lengths = [0, 1, 63, 64, 125, 126, 4095, 4096, 16377, 16378, 20000]
            let elements =
                lengths.map { rng.bytes($0, alphabet: Array("xyz".utf8)) }
                + ["007", "-0", "+1", "1.0", "9223372036854775808", " 5"].map(bytes)
            let blob = listpack(elements)
            let total = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
            #expect(total == blob.count)
            #expect(blob.last == 0xff)
            #expect(try ListpackReader.entries(blob).map(\.bytes) == elements)
        }

        @Test func listpackCountSaturatesAt65535() throws {
            let elements = (0..<70000).map { _ in [UInt8(ascii: "1")] }
            let blob = listpack(elements)
            #expect(blob[4] == 0xff && blob[5] == 0xff)
            #expect(try ListpackReader.entries(blob).count == 70000)
        }

        @Test func malformedListpacksThrow() {
            let good = listpack(["a", "12", "hello"].map(bytes))
            #expect((try? ListpackReader.entries(good)) != nil)
            var cases: [[UInt8]] = [[], Array(good.dropLast()), good + [0xff]]
            var wrongTotal = good
            wrongTotal[0] &+= 1
            var wrongCount = good
            wrongCount[4] = 4
            var badBacklen = good
            badBacklen[8] = 9  // backlen of "a" is 2
            var badEncoding = good
            badEncoding[6] = 0xf5
            var earlyEnd = good
            earlyEnd[6] = 0xff
            var longString = good
            longString[6] = 0xbf  // a 63-byte string that is not there
            var hugeString = good
            hugeString.replaceSubrange(6..<8, with: [0xf0, 0xff, 0xff, 0xff, 0x7f])
            cases += [wrongTotal, wrongCount, badBacklen, badEncoding, earlyEnd, longString, hugeString]
            for (index, blob) in cases.enumerated() {
                #expect(throws: DumpPayloadError.self, "case \(index)") { try ListpackReader.entries(blob) }
            }
        }

        @Test func intsetWidthsAndRoundTrip() throws {
            #expect(Intset.encode(sortedValues: [1, 2, 3]) == [2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0])
            #expect(Intset.encode(sortedValues: [-32769, 1])[0] == 4)
            #expect(Intset.encode(sortedValues: [1, 2_147_483_648])[0] == 8)
            let values = Self.integerBoundaries.sorted()
            let blob = Intset.encode(sortedValues: values)
            #expect(try blob.withUnsafeBytes { try Intset.decode($0) } == values)
        }

        @Test func malformedIntsetsThrow() {
            let cases: [[UInt8]] = [
                [2, 0, 0, 0],  // no count
                [3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0],  // width 3
                [2, 0, 0, 0, 2, 0, 0, 0, 1, 0],  // count 2, one value
                [2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0],  // descending
                [2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0],  // duplicate
                [2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],  // 4 billion values claimed
            ]
            for (index, blob) in cases.enumerated() {
                #expect(throws: DumpPayloadError.self, "case \(index)") {
                    try blob.withUnsafeBytes { _ = try Intset.decode($0) }
                }
            }
        }

        @Test func ziplistEveryEncoding() throws {
            var rng = SplitMix64(seed: 7)
            let entries: [PackedEntry] =
                Self.integerBoundaries.map { .integer($0) }
                + (0...12).map { .integer($0) }
                + [0, 63, 64, 300, 16383, 16384].map { .string(rng.bytes($0, alphabet: Array("ab".utf8))) }
            let blob = LegacyEncodings.ziplist(entries)
            #expect(try ZiplistReader.entries(blob) == entries)
            #expect(try ZiplistReader.entries(LegacyEncodings.ziplist([])) == [])
        }

        @Test func malformedZiplistsThrow() {
            let good = LegacyEncodings.ziplist([.string(bytes("ab")), .integer(5), .string(bytes("cd"))])
            #expect((try? ZiplistReader.entries(good)) != nil)
            var wrongTail = good
            wrongTail[4] &+= 1
            var wrongPrevlen = good
            wrongPrevlen[14] = 3  // the second entry's prev-length (the first entry is 4 bytes)
            var wrongCount = good
            wrongCount[8] = 2
            var badEncoding = good
            badEncoding[15] = 0xc1
            var hugeString = good
            hugeString.replaceSubrange(11..<12, with: [0x80, 0x7f, 0xff, 0xff, 0xff])
            let cases = [Array(good.dropLast()), wrongTail, wrongPrevlen, wrongCount, badEncoding, hugeString, [0xff]]
            for (index, blob) in cases.enumerated() {
                #expect(throws: DumpPayloadError.self, "case \(index)") { try ZiplistReader.entries(blob) }
            }
        }

        @Test func zipmapRoundTripAndMalformed() throws {
            let pairs = [(bytes("f"), bytes("v")), (bytes("long"), [UInt8](repeating: 1, count: 300))]
            for free in [0, 3] {
                let blob = LegacyEncodings.zipmap(pairs, free: free)
                let items = try blob.withUnsafeBytes { try ZipmapReader.entries($0) }
                #expect(items == [bytes("f"), bytes("v"), bytes("long"), [UInt8](repeating: 1, count: 300)])
            }
            let good = LegacyEncodings.zipmap(pairs)
            for blob in [Array(good.dropLast()), [1, 200, 0xff], good + [0], [1] + Array(good.dropFirst())] {
                #expect(throws: DumpPayloadError.self) { try blob.withUnsafeBytes { _ = try ZipmapReader.entries($0) } }
            }
        }
    }
}
