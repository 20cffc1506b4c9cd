#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain Bloom filter of key bytes: "certainly not present" or "maybe present".
///
/// Sized for `capacity` keys at `errorRate` with the textbook optimum: m = −n·ln p / ln²2 bits
/// and k = ⌈m/n · ln 2⌉ probes, by double hashing (bit i is a + i·b mod m) on one 64-bit hash.
/// The hash is Swift's per-process seeded `Hasher`: the filter lives in memory only.
public struct KeyBloomFilter: Sendable {
    public let capacity: Int
    public let errorRate: Double
    public let hashCount: Int
    public let bitCount: UInt64
    private var words: [UInt64]
    /// Keys added (duplicates counted again).
    public private(set) var insertions = 0

    public init(capacity: Int, errorRate: Double) {
        self.capacity = max(1, capacity)
        self.errorRate = errorRate
        let bitsPerKey = -log(errorRate) / (0.693147180559945 * 0.693147180559945)
        let bits = max(64, UInt64((Double(self.capacity) * bitsPerKey).rounded(.up)))
        let wordCount = Int((bits + 63) / 64)
        bitCount = UInt64(wordCount) * 64
        hashCount = max(1, Int((bitsPerKey * 0.693147180559945).rounded(.up)))
        words = [UInt64](repeating: 0, count: wordCount)
    }

    public var byteCount: Int { words.count * 8 }

    public mutating func insert(_ key: UnsafeRawBufferPointer) {
        let (a, b) = Self.hashes(key)
        for probe in 0..<UInt64(hashCount) {
            let bit = (a &+ probe &* b) % bitCount
            words[Int(bit >> 6)] |= 1 << (bit & 63)
        }
        insertions += 1
    }

    public func mayContain(_ key: UnsafeRawBufferPointer) -> Bool {
        let (a, b) = Self.hashes(key)
        for probe in 0..<UInt64(hashCount) {
            let bit = (a &+ probe &* b) % bitCount
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    private static func hashes(_ key: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        // The second hash from the first by a 64-bit mixer (splitmix64's finalizer); odd, so
        // the probes step through every residue.
        var mixed = hash &+ 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return (hash, (mixed ^ (mixed >> 31)) | 1)
    }
}
