/// The bodies of twemproxy's key hashes (`src/hashkit/nc_*.c`), written to return what the C
/// returns on a little-endian machine where `char` is signed (x86-64 Linux, where nutcracker
/// runs). `ShardHashFunction` documents the quirks; each function notes where it keeps one.
enum TwemproxyHashes {
    /// A key byte as C's `(uint32_t)key[i]` reads it when `key` is a `const char *`: sign-extended.
    @inline(__always)
    static func signedChar(_ byte: UInt8) -> UInt32 {
        UInt32(bitPattern: Int32(Int8(bitPattern: byte)))
    }

    // MARK: Jenkins's one-at-a-time (nc_one_at_a_time.c)

    static func oneAtATime(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var value: UInt32 = 0
        for byte in key {
            value &+= signedChar(byte)
            value &+= value << 10
            value ^= value >> 6
        }
        value &+= value << 3
        value ^= value >> 11
        value &+= value << 15
        return value
    }

    // MARK: FNV (nc_fnv.c)

    /// 64-bit FNV-1 with the sign-extended byte, truncated to its low 32 bits.
    static func fnv1_64(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = hash &* 0x0000_0100_0000_01b3
            hash ^= UInt64(bitPattern: Int64(Int8(bitPattern: byte)))
        }
        return UInt32(truncatingIfNeeded: hash)
    }

    /// twemproxy's "64-bit" FNV-1a: 32-bit state, the 64-bit constants truncated.
    static func fnv1a_64(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 0x8422_2325  // (uint32_t)0xcbf29ce484222325
        for byte in key {
            hash ^= signedChar(byte)
            hash = hash &* 0x0000_01b3  // (uint32_t)0x100000001b3
        }
        return hash
    }

    static func fnv1_32(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key {
            hash = hash &* 16_777_619
            hash ^= signedChar(byte)
        }
        return hash
    }

    static func fnv1a_32(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key {
            hash ^= signedChar(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    // MARK: CRC (nc_crc16.c, nc_crc32.c)

    /// The reflected CRC-32 table (polynomial 0xEDB88320), as `crc32tab` in nc_crc32.c.
    static let crc32Table: [UInt32] = reflectedTable(polynomial: 0xEDB8_8320)
    /// The CRC-16/XMODEM table (polynomial 0x1021, most significant bit first), as `crc16tab`
    /// in nc_crc16.c of twemproxy 0.5.0 (the table Redis Cluster uses for its slots).
    static let crc16Table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc & 0xffff
    }

    private static func reflectedTable(polynomial: UInt32) -> [UInt32] {
        (0..<256).map { index in
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            return crc
        }
    }

    /// CRC-16/XMODEM run in a 32-bit register that is never cut back to 16 bits: the low 16
    /// bits are the CRC, the bits above are what the shifts pushed out of them (twemproxy 0.5.0).
    static func crc16(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0
        crc16Table.withUnsafeBufferPointer { table in
            for byte in key { crc = (crc << 8) ^ table[Int(((crc >> 8) ^ UInt32(byte)) & 0xff)] }
        }
        return crc
    }

    /// libmemcached's CRC-32 hash: bits 16...30 of the real CRC-32.
    static func crc32(_ key: UnsafeRawBufferPointer) -> UInt32 {
        (crc32a(key) >> 16) & 0x7fff
    }

    /// The real CRC-32 (ISO-HDLC, as zlib's `crc32`).
    static func crc32a(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        crc32Table.withUnsafeBufferPointer { table in
            for byte in key { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        }
        return ~crc
    }

    // MARK: Paul Hsieh's SuperFastHash (nc_hsieh.c)

    static func hsieh(_ key: UnsafeRawBufferPointer) -> UInt32 {
        guard !key.isEmpty else { return 0 }
        @inline(__always) func get16(_ offset: Int) -> UInt32 {
            UInt32(key[offset + 1]) << 8 &+ UInt32(key[offset])
        }
        var hash: UInt32 = 0
        var offset = 0
        for _ in 0..<(key.count >> 2) {
            hash &+= get16(offset)
            let tmp = (get16(offset + 2) << 11) ^ hash
            hash = (hash << 16) ^ tmp
            offset += 4
            hash &+= hash >> 11
        }
        switch key.count & 3 {
        case 3:
            hash &+= get16(offset)
            hash ^= hash << 16
            hash ^= signedChar(key[offset + 2]) << 18  // `(uint32_t)key[2]`: a signed char
            hash &+= hash >> 11
        case 2:
            hash &+= get16(offset)
            hash ^= hash << 11
            hash &+= hash >> 17
        case 1:
            hash &+= UInt32(key[offset])
            hash ^= hash << 10
            hash &+= hash >> 1
        default:
            break
        }
        hash ^= hash << 3
        hash &+= hash >> 5
        hash ^= hash << 4
        hash &+= hash >> 17
        hash ^= hash << 25
        hash &+= hash >> 6
        return hash
    }

    // MARK: MurmurHash2 (nc_murmur.c)

    static func murmur(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        let length = UInt32(truncatingIfNeeded: key.count)
        var h = (0xdead_beef &* length) ^ length
        var offset = 0
        while key.count - offset >= 4 {
            var k = UInt32(littleEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
            offset += 4
        }
        switch key.count - offset {
        case 3:
            h ^= UInt32(key[offset + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(key[offset + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(key[offset])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return h
    }

    // MARK: Bob Jenkins's lookup3 hashlittle, initial value 13 (nc_jenkins.c)

    static func jenkins(_ key: UnsafeRawBufferPointer) -> UInt32 {
        @inline(__always) func rot(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }
        @inline(__always) func word(_ offset: Int, _ count: Int) -> UInt32 {
            var value: UInt32 = 0
            for index in 0..<count { value |= UInt32(key[offset + index]) << (8 * UInt32(index)) }
            return value
        }
        var a: UInt32 = 0xdead_beef &+ UInt32(truncatingIfNeeded: key.count) &+ 13
        var b = a
        var c = a
        var offset = 0
        var length = key.count
        while length > 12 {
            a &+= UInt32(littleEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            b &+= UInt32(littleEndian: key.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            c &+= UInt32(littleEndian: key.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
            a &-= c; a ^= rot(c, 4); c &+= b
            b &-= a; b ^= rot(a, 6); a &+= c
            c &-= b; c ^= rot(b, 8); b &+= a
            a &-= c; a ^= rot(c, 16); c &+= b
            b &-= a; b ^= rot(a, 19); a &+= c
            c &-= b; c ^= rot(b, 4); b &+= a
            length -= 12
            offset += 12
        }
        if length == 0 { return c }  // only for the empty key: zero length needs no mixing
        a &+= word(offset, min(length, 4))
        if length > 4 { b &+= word(offset + 4, min(length - 4, 4)) }
        if length > 8 { c &+= word(offset + 8, length - 8) }
        c ^= b; c &-= rot(b, 14)
        a ^= c; a &-= rot(c, 11)
        b ^= a; b &-= rot(a, 25)
        c ^= b; c &-= rot(b, 16)
        a ^= c; a &-= rot(c, 4)
        b ^= a; b &-= rot(a, 14)
        c ^= b; c &-= rot(b, 24)
        return c
    }
}
