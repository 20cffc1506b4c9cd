/// The key hashes of twemproxy (nutcracker), byte for byte: the same key gives the same 32-bit
/// value as twemproxy's `hash_*` functions on x86-64 Linux, quirks included, so that a
/// `ShardRing` puts every key on the same node as a nutcracker in front of the same servers.
///
/// The quirks kept on purpose:
/// - `crc16` is CRC-16/XMODEM kept in a 32-bit register that is never masked to 16 bits, so
///   the value has the CRC in its low half and the bits the shifts pushed out above it.
/// - `crc32` is libmemcached's variant: bits 16...30 of the CRC-32 (0...32767), not the CRC.
///   `crc32a` is the real CRC-32 (ISO-HDLC, as zlib computes it).
/// - `fnv1_64` and `fnv1a_64` return the low 32 bits; `fnv1a_64` even runs with 32-bit state
///   (the 64-bit offset basis and prime truncated), which gives the same low bits.
/// - `one_at_a_time`, the FNVs and `hsieh`'s 3-byte tail read key bytes as C's signed `char`,
///   so a byte of 0x80 or more enters sign-extended (0xFFFFFF80...).
/// - `md5` is the first four bytes of the MD5 digest, little-endian.
/// - `jenkins` is lookup3's `hashlittle` with the initial value 13; `murmur` is MurmurHash2
///   seeded with `0xdeadbeef * length`.
///
/// The raw values are twemproxy's configuration names (`hash: fnv1a_64`).
public enum ShardHashFunction: String, CaseIterable, Sendable {
    case oneAtATime = "one_at_a_time"
    case md5
    case crc16
    case crc32
    case crc32a
    case fnv1_64
    case fnv1a_64
    case fnv1_32
    case fnv1a_32
    case hsieh
    case murmur
    case jenkins

    /// twemproxy's default when a pool names no `hash:`.
    public static let `default` = ShardHashFunction.fnv1a_64

    /// The name twemproxy's configuration uses for this hash.
    public var name: String { rawValue }

    /// The hash of `key`, as twemproxy's `hash_<name>(key, length)` returns it.
    public func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        switch self {
        case .oneAtATime: TwemproxyHashes.oneAtATime(key)
        case .md5: MD5.digestWords(of: key).0
        case .crc16: TwemproxyHashes.crc16(key)
        case .crc32: TwemproxyHashes.crc32(key)
        case .crc32a: TwemproxyHashes.crc32a(key)
        case .fnv1_64: TwemproxyHashes.fnv1_64(key)
        case .fnv1a_64: TwemproxyHashes.fnv1a_64(key)
        case .fnv1_32: TwemproxyHashes.fnv1_32(key)
        case .fnv1a_32: TwemproxyHashes.fnv1a_32(key)
        case .hsieh: TwemproxyHashes.hsieh(key)
        case .murmur: TwemproxyHashes.murmur(key)
        case .jenkins: TwemproxyHashes.jenkins(key)
        }
    }

    /// The hash of `key`, as twemproxy's `hash_<name>(key, length)` returns it.
    public func hash(_ key: [UInt8]) -> UInt32 {
        key.withUnsafeBytes { hash($0) }
    }
}
