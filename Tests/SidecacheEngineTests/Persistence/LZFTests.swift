import SidecacheEngine
import Testing

extension PersistenceTests {
    @Suite("LZF")
    struct LZFTests {
        static func samples() -> [[UInt8]] {
            var rng = SplitMix64(seed: 3)
            var samples: [[UInt8]] = [
                bytes("aaa"), [UInt8](repeating: 0, count: 21), [UInt8](repeating: 7, count: 100_000),
                bytes(String(repeating: "hello world ", count: 100)),
            ]
            for length in [3, 4, 5, 16, 17, 18, 19, 20, 33, 64, 264, 265, 266, 1000, 8192, 8193, 9000, 65536, 70000] {
                samples.append(rng.bytes(length, alphabet: Array("ab".utf8)))
                samples.append(rng.bytes(length, alphabet: Array("abcdefghij".utf8)))
                samples.append(wordText(length, rng: &rng))
                samples.append(rng.randomBytes(length))
            }
            return samples
        }

        @Test func roundTrips() throws {
            for (index, sample) in Self.samples().enumerated() {
                // A generous limit: everything compresses, even random data (which grows).
                let compressed = try #require(LZF.compress(sample, outputLimit: sample.count * 2 + 16), "sample \(index)")
                #expect(LZF.decompress(compressed, expectedLength: sample.count) == sample, "sample \(index)")
            }
        }

        @Test func refusesOutputBeyondTheLimit() throws {
            var rng = SplitMix64(seed: 4)
            let random = rng.randomBytes(300)
            #expect(LZF.compress(random, outputLimit: random.count - 4) == nil)
            #expect(LZF.compress([UInt8](), outputLimit: 10) == nil)
            let runs = [UInt8](repeating: 1, count: 300)
            let compressed = try #require(LZF.compress(runs, outputLimit: 296))
            #expect(compressed.count < 20)
            #expect(LZF.compress(runs, outputLimit: 3) == nil)
        }

        @Test func knownEncoding() {
            // redis-server 7.0.15: DUMP of "a" * 100 carries these LZF bytes.
            let compressed = LZF.compress([UInt8](repeating: UInt8(ascii: "a"), count: 100), outputLimit: 96)
            #expect(compressed == [0x01, 0x61, 0x61, 0xe0, 0x57, 0x00, 0x01, 0x61, 0x61])
        }

        @Test func malformedInputIsRefused() {
            let good = LZF.compress(bytes(String(repeating: "abcabcabc", count: 10)), outputLimit: 86)!
            #expect(LZF.decompress(good, expectedLength: 90) != nil)
            #expect(LZF.decompress(good, expectedLength: 89) == nil)  // longer than expected
            #expect(LZF.decompress(good, expectedLength: 91) == nil)  // shorter than expected
            #expect(LZF.decompress(Array(good.dropLast()), expectedLength: 90) == nil)
            #expect(LZF.decompress([5, 1, 2], expectedLength: 6) == nil)  // literal run past the input
            #expect(LZF.decompress([0, 1, 0x20, 5], expectedLength: 4) == nil)  // reference before the start
            #expect(LZF.decompress([0, 1, 0xe0], expectedLength: 10) == nil)  // truncated long reference
            #expect(LZF.decompress([], expectedLength: 1) == nil)
            #expect(LZF.decompress([0, 1], expectedLength: 0) == nil)
            #expect(LZF.decompress([0, 1, 0xe0, 0xff, 0], expectedLength: 1 << 40) == nil)  // beyond 88x
        }

        @Test func randomInputNeverTraps() {
            var rng = SplitMix64(seed: 5)
            for _ in 0..<2000 {
                let input = rng.randomBytes(Int(rng.next() % 40))
                _ = LZF.decompress(input, expectedLength: Int(rng.next() % 200))
            }
        }
    }
}
