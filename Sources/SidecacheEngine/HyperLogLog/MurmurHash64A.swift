/// Austin Appleby's MurmurHash2, 64-bit version (`MurmurHash64A`), as Redis's
/// `hyperloglog.c` and RedisBloom's `murmurhash2.c` compute it on a little-endian machine:
/// the same function serves HyperLogLog (seed `0xadc83b19`) and Bloom filters (seed
/// `0xc6a4a7935bd1e995`, then the first hash as the seed of the second).
enum MurmurHash64A {
    private static let multiplier: UInt64 = 0xc6a4_a793_5bd1_e995

    /// The hash of `bytes` with `seed`.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let m = multiplier
        let length = bytes.count
        var h = seed ^ (UInt64(length) &* m)
        let blocks = length / 8
        for block in 0..<blocks {
            var k = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: block * 8, as: UInt64.self))
            k = k &* m
            k ^= k >> 47
            k = k &* m
            h ^= k
            h = h &* m
        }
        let tail = blocks * 8
        let remaining = length & 7
        if remaining > 0 {
            for index in stride(from: remaining - 1, through: 0, by: -1) {
                h ^= UInt64(bytes[tail + index]) << UInt64(8 * index)
            }
            h = h &* m
        }
        h ^= h >> 47
        h = h &* m
        h ^= h >> 47
        return h
    }
}
