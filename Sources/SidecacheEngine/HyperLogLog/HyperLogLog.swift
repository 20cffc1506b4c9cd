/// Redis's HyperLogLog (`hyperloglog.c` of redis-server 7.0.15), byte for byte.
///
/// An HLL is an ordinary string value: a 16-byte header (`HYLL`, the encoding byte, three
/// unused bytes, the cached cardinality as a little-endian 64-bit integer whose top bit marks
/// it stale) followed by 16384 six-bit registers, either dense (12288 bytes, registers packed
/// from the least significant bit) or sparse (run-length opcodes ZERO, XZERO and VAL). Every
/// operation here works on the string's bytes in place, so GET, DUMP and RESTORE carry the
/// same bytes as redis-server's, and a value copied from redis-server counts the same here.
///
/// Elements are hashed with MurmurHash64A (seed `0xadc83b19`): the low 14 bits pick the
/// register, the run of zeros above them (plus one, at most 51) is the register's candidate.
enum HyperLogLog {
    static let headerSize = 16
    /// P: bits of the hash that index a register.
    static let precision = 14
    /// Q = 64 − P: bits left for the zero run.
    static let runBits = 50
    static let registerCount = 1 << precision
    static let registerMax = 63
    static let denseSize = headerSize + (registerCount * 6 + 7) / 8
    static let denseEncoding: UInt8 = 0
    static let sparseEncoding: UInt8 = 1
    /// `hll-sparse-max-bytes`: a sparse HLL that would grow past this becomes dense.
    static let defaultSparseMaxBytes = 3000
    static let hashSeed: UInt64 = 0xadc8_3b19

    /// Redis's `WRONGTYPE` text for a string that is not an HLL (`isHLLObjectOrReply`).
    static let notAnHLLError = "WRONGTYPE Key is not a valid HyperLogLog string value."
    /// `invalid_hll_err`: a sparse HLL whose opcodes do not cover exactly 16384 registers.
    static let corruptedError = "INVALIDOBJ Corrupted HLL object detected"

    /// `createHLLObject`: an empty sparse HLL, one XZERO opcode covering every register.
    static func makeEmpty() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: headerSize + 2)
        bytes[0] = UInt8(ascii: "H")
        bytes[1] = UInt8(ascii: "Y")
        bytes[2] = UInt8(ascii: "L")
        bytes[3] = UInt8(ascii: "L")
        bytes[4] = sparseEncoding
        Sparse.writeXZero(registerCount, into: &bytes, at: headerSize)
        return bytes
    }

    /// `isHLLObjectOrReply`'s checks on a string's bytes: the header is there, the magic is
    /// `HYLL`, the encoding is known, and a dense HLL has exactly the dense size. (A sparse
    /// HLL's opcodes are checked only when they are read.)
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= headerSize,
            bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "Y"),
            bytes[2] == UInt8(ascii: "L"), bytes[3] == UInt8(ascii: "L"),
            bytes[4] <= sparseEncoding
        else { return false }
        return bytes[4] == sparseEncoding || bytes.count == denseSize
    }

    /// The register `element` hashes to and the length of its `000…1` pattern (`hllPatLen`).
    static func pattern(of element: UnsafeRawBufferPointer) -> (index: Int, count: Int) {
        var hash = MurmurHash64A.hash(element, seed: hashSeed)
        let index = Int(hash & UInt64(registerCount - 1))
        hash >>= UInt64(precision)
        hash |= 1 << UInt64(runBits)
        return (index, hash.trailingZeroBitCount + 1)
    }

    /// `hllAdd`: counts `element` into the HLL. Returns 1 when a register grew, 0 when none
    /// did, -1 when the sparse representation is corrupt. May promote a sparse HLL to dense.
    static func add(_ element: UnsafeRawBufferPointer, to bytes: inout [UInt8], sparseMaxBytes: Int) -> Int {
        let (index, count) = pattern(of: element)
        switch bytes[4] {
        case denseEncoding: return Dense.set(&bytes, register: index, to: count) ? 1 : 0
        case sparseEncoding: return Sparse.set(&bytes, register: index, to: count, maxBytes: sparseMaxBytes)
        default: return -1
        }
    }

    // MARK: Cached cardinality

    /// The cached cardinality, or `nil` when the header marks it stale.
    static func cachedCardinality(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes[15] & 0x80 == 0 else { return nil }
        var card: UInt64 = 0
        for offset in 0..<8 { card |= UInt64(bytes[8 + offset]) << UInt64(8 * offset) }
        return card
    }

    static func storeCardinality(_ card: UInt64, in bytes: inout [UInt8]) {
        for offset in 0..<8 { bytes[8 + offset] = UInt8(truncatingIfNeeded: card >> UInt64(8 * offset)) }
    }

    /// `HLL_INVALIDATE_CACHE`: sets the stale bit of the cached cardinality.
    static func invalidateCache(_ bytes: inout [UInt8]) {
        bytes[15] |= 0x80
    }
}
