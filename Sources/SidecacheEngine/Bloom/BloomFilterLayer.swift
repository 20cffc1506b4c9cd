#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One plain Bloom filter of a scalable chain, sized and probed as RedisBloom's `bloom.c`
/// does for the filters it creates (`BLOOM_OPT_NOROUND | BLOOM_OPT_FORCE64`), so that the
/// same items set the same bits and BF.INFO reports the same sizes.
///
/// Sizing, for `capacity` n and error rate p:
/// - bits per entry b = −ln p / ln²2 (the optimum m/n: 1.44·log2(1/p) bits per entry);
/// - m = ⌊n·b⌋ bits, rounded up to whole 64-bit words (so at most 63 bits over the optimum);
/// - k = ⌈ln 2 · b⌉ = ⌈log2(1/p)⌉ hash functions: the optimum k = ln 2 · m/n rounded up.
///
/// At p = 0.01: b = 9.585, k = ⌈6.64⌉ = 7, and the expected rate once n items are in is
/// (1 − e^(−k·n/m))^k = (1 − e^(−7/9.585))^7 = 0.5182^7 ≈ 0.01003, within 0.3% of p
/// (k = 6 would give 0.01015; the rate is flat near the optimum, so rounding up costs nothing).
/// At p = 0.001: b = 14.38, k = 10, rate ≈ 0.001003.
///
/// Probes are double hashing on one 64-bit MurmurHash64A pair: bit i is (a + i·b) mod m.
struct BloomFilterLayer: Sendable {
    /// Items this layer is meant to hold (`entries`).
    let capacity: UInt64
    let errorRate: Double
    let hashCount: Int
    /// m, a multiple of 64.
    let bitCount: UInt64
    private(set) var words: [UInt64]
    /// Items added to this layer (`SBLink.size`).
    private(set) var count: UInt64 = 0

    /// The largest layer a command may create: 1 GiB of bits. RedisBloom lets `calloc`
    /// decide; here a request past this answers an error instead of exhausting memory.
    static let maximumBytes: UInt64 = 1 << 30

    /// `bloom_init`: a layer for `capacity` items at `errorRate` (0 < p < 1, n ≥ 1), or
    /// `nil` when it would exceed `maximumBytes`.
    init?(capacity: UInt64, errorRate: Double) {
        let bitsPerEntry = abs(-(log(errorRate) / 0.480453013918201))
        let exactBits = Double(capacity) * bitsPerEntry
        guard capacity >= 1, exactBits < Double(Self.maximumBytes * 8) else { return nil }
        let bits = max(1, UInt64(exactBits))
        let wordCount = Int((bits + 63) / 64)
        self.capacity = capacity
        self.errorRate = errorRate
        self.hashCount = Int(ceil(0.693147180559945 * bitsPerEntry))
        self.bitCount = UInt64(wordCount) * 64
        self.words = [UInt64](repeating: 0, count: wordCount)
    }

    var byteCount: Int { words.count * 8 }

    /// Whether every probed bit of `hash` is set.
    func contains(_ hash: BloomHash) -> Bool {
        words.withUnsafeBufferPointer { words in
            for probe in 0..<UInt64(hashCount) {
                let bit = (hash.a &+ probe &* hash.b) % bitCount
                if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
            }
            return true
        }
    }

    /// Sets the probed bits of `hash`; counts an item when at least one bit was clear.
    /// Returns whether one was.
    mutating func add(_ hash: BloomHash) -> Bool {
        let bitCount = bitCount
        let hashCount = hashCount
        let setAny = words.withUnsafeMutableBufferPointer { words in
            var setAny = false
            for probe in 0..<UInt64(hashCount) {
                let bit = (hash.a &+ probe &* hash.b) % bitCount
                let mask: UInt64 = 1 << (bit & 63)
                if words[Int(bit >> 6)] & mask == 0 {
                    words[Int(bit >> 6)] |= mask
                    setAny = true
                }
            }
            return setAny
        }
        if setAny { count += 1 }
        return setAny
    }
}

/// RedisBloom's 64-bit item hash (`bloom_calc_hash64`): a = MurmurHash64A(item, seed
/// 0xc6a4a7935bd1e995), b = MurmurHash64A(item, seed a).
struct BloomHash {
    let a: UInt64
    let b: UInt64

    init(_ item: UnsafeRawBufferPointer) {
        a = MurmurHash64A.hash(item, seed: 0xc6a4_a793_5bd1_e995)
        b = MurmurHash64A.hash(item, seed: a)
    }
}
