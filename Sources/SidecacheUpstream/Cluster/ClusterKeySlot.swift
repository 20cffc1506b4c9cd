public import NIOCore

/// Redis Cluster's key-to-slot function: CRC16 (XMODEM: polynomial 0x1021, initial value 0,
/// no reflection, as Redis's `crc16.c`) of the hashed part of the key, modulo 16384.
///
/// The hashed part follows Redis's `keyHashSlot`: when the key has a `{`, and after that first
/// `{` a `}`, and at least one byte lies between them, only those bytes are hashed (so
/// `{user1000}.following` and `{user1000}.followers` share a slot); otherwise the whole key is.
/// `foo{}{bar}` hashes whole (the first tag is empty), `foo{{bar}}` hashes `{bar`.
public enum ClusterKeySlot {
    /// The number of slots in a Redis Cluster.
    public static let count = 16384

    /// The slot of `key`. Does not allocate.
    @inlinable
    public static func slot(for key: UnsafeRawBufferPointer) -> Int {
        Int(crc16(hashedPart(of: key)) & 0x3FFF)
    }

    /// The slot of `key`.
    public static func slot(for key: some Collection<UInt8>) -> Int {
        if let slot = key.withContiguousStorageIfAvailable({ slot(for: UnsafeRawBufferPointer($0)) }) {
            return slot
        }
        return Array(key).withUnsafeBytes { slot(for: $0) }
    }

    /// The slot of the readable bytes of `key`.
    public static func slot(for key: ByteBuffer) -> Int {
        key.withUnsafeReadableBytes { slot(for: $0) }
    }

    /// The bytes of `key` that are hashed: those inside its hash tag, or all of them.
    @inlinable
    public static func hashedPart(of key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key }
        var close = open + 1
        while close < key.count && key[close] != UInt8(ascii: "}") { close += 1 }
        // No closing brace, or nothing between the braces: the whole key.
        guard close < key.count, close > open + 1 else { return key }
        return UnsafeRawBufferPointer(rebasing: key[(open + 1)..<close])
    }

    /// CRC16-XMODEM of `bytes`, table-driven as Redis computes it.
    @inlinable
    public static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        crc16Table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
            }
        }
        return crc
    }

    /// `crc16Table[i]`: the CRC of the byte `i` shifted through the polynomial 0x1021.
    @usableFromInline
    static let crc16Table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}
