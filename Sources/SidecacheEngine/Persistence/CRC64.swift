/// Redis's CRC-64 (`crc64.c`): the Jones polynomial `0xad93d23594c935a9`, reflected input and
/// output, initial value 0, no final xor. It checksums DUMP payloads and RDB files.
///
/// Computed slicing-by-8: eight 256-entry tables, eight input bytes per step.
package enum CRC64 {
    /// The Jones polynomial, bit-reversed for the reflected (LSB-first) algorithm.
    static let reflectedPolynomial: UInt64 = 0x95ac_9329_ac4b_c9b5

    /// Entry `k * 256 + b` is the CRC of byte `b` followed by `k` zero bytes.
    static let table: [UInt64] = {
        var table = [UInt64](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt64(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1
            }
            table[byte] = crc
        }
        for k in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(k - 1) * 256 + byte]
                table[k * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xff)]
            }
        }
        return table
    }()

    /// The checksum of `bytes`, continuing from `crc` (0 for a fresh checksum), as Redis's
    /// `crc64(crc, bytes, count)`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt64 = 0) -> UInt64 {
        var crc = crc
        let count = bytes.count
        var index = 0
        table.withUnsafeBufferPointer { t in
            while count - index >= 8 {
                let word = crc ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                crc =
                    t[7 * 256 + Int(word & 0xff)] ^ t[6 * 256 + Int((word >> 8) & 0xff)]
                    ^ t[5 * 256 + Int((word >> 16) & 0xff)] ^ t[4 * 256 + Int((word >> 24) & 0xff)]
                    ^ t[3 * 256 + Int((word >> 32) & 0xff)] ^ t[2 * 256 + Int((word >> 40) & 0xff)]
                    ^ t[256 + Int((word >> 48) & 0xff)] ^ t[Int(word >> 56)]
                index += 8
            }
            while index < count {
                crc = t[Int((crc ^ UInt64(bytes[index])) & 0xff)] ^ (crc >> 8)
                index += 1
            }
        }
        return crc
    }

    /// Convenience for byte arrays.
    package static func checksum(_ bytes: [UInt8], continuing crc: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
