import SidecacheRESP

/// Builds a listpack (`listpack.c`) by appending entries as `lpAppend` does: elements that
/// are canonical 64-bit integers in text take the smallest integer encoding, the rest the
/// smallest string encoding, each followed by its back-length.
///
/// Layout: total bytes (u32 LE), element count (u16 LE, 65535 when it does not fit),
/// entries, terminator 0xFF.
package struct ListpackWriter: Sendable {
    static let headerSize = 6
    static let terminator: UInt8 = 0xff
    static let unknownCount = 65535

    /// Header (filled in by `finish`) and entries so far; no terminator yet.
    private var storage: [UInt8]
    package private(set) var count = 0

    package init() {
        storage = [UInt8](repeating: 0, count: Self.headerSize)
    }

    /// The listpack's total size once finished (`lpBytes`), terminator included.
    package var byteCount: Int { storage.count + 1 }

    package mutating func append(_ element: UnsafeRawBufferPointer) {
        if let value = RedisInteger.parse(element) {
            append(integer: value)
            return
        }
        let start = storage.count
        let length = element.count
        if length < 64 {
            storage.append(0x80 | UInt8(length))
        } else if length < 4096 {
            storage.append(0xe0 | UInt8(length >> 8))
            storage.append(UInt8(length & 0xff))
        } else {
            storage.append(0xf0)
            for shift in stride(from: 0, to: 32, by: 8) { storage.append(UInt8(truncatingIfNeeded: length >> shift)) }
        }
        storage.append(contentsOf: element)
        appendBacklen(storage.count - start)
        count += 1
    }

    package mutating func append(_ element: [UInt8]) {
        element.withUnsafeBytes { append($0) }
    }

    /// An integer entry (`lpEncodeIntegerGetType`).
    package mutating func append(integer value: Int64) {
        let start = storage.count
        if value >= 0 && value <= 127 {
            storage.append(UInt8(value))
        } else if value >= -4096 && value <= 4095 {
            let bits = UInt64(bitPattern: value) & 0x1fff
            storage.append(0xc0 | UInt8(bits >> 8))
            storage.append(UInt8(bits & 0xff))
        } else {
            let (marker, width): (UInt8, Int)
            switch value {
            case -32768...32767: (marker, width) = (0xf1, 2)
            case -8_388_608...8_388_607: (marker, width) = (0xf2, 3)
            case -2_147_483_648...2_147_483_647: (marker, width) = (0xf3, 4)
            default: (marker, width) = (0xf4, 8)
            }
            storage.append(marker)
            let bits = UInt64(bitPattern: value)
            for index in 0..<width { storage.append(UInt8(truncatingIfNeeded: bits >> (8 * index))) }
        }
        appendBacklen(storage.count - start)
        count += 1
    }

    /// `lpEncodeBacklen`: the entry length in 7-bit groups, most significant first, every
    /// group but the first with the high bit set, so that it reads backwards from the end.
    private mutating func appendBacklen(_ length: Int) {
        let l = UInt64(length)
        let groups: Int
        if l <= 127 {
            groups = 1
        } else if l < 16383 {
            groups = 2
        } else if l < 2_097_151 {
            groups = 3
        } else if l < 268_435_455 {
            groups = 4
        } else {
            groups = 5
        }
        for group in (0..<groups).reversed() {
            let bits = UInt8(truncatingIfNeeded: l >> (7 * UInt64(group))) & 127
            storage.append(group == groups - 1 ? bits : bits | 128)
        }
    }

    /// The finished listpack bytes.
    package func finish() -> [UInt8] {
        var bytes = storage
        bytes.append(Self.terminator)
        let total = UInt32(truncatingIfNeeded: bytes.count)
        for index in 0..<4 { bytes[index] = UInt8(truncatingIfNeeded: total >> (8 * UInt32(index))) }
        let elements = UInt16(min(count, Self.unknownCount))
        bytes[4] = UInt8(elements & 0xff)
        bytes[5] = UInt8(elements >> 8)
        return bytes
    }
}
