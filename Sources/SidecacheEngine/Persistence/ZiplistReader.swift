/// Parses and validates a ziplist blob (`ziplist.c`, the encoding of small lists, hashes and
/// sorted sets before Redis 7.0), as `ziplistValidateIntegrity` with deep validation does:
/// sizes inside the blob, each entry's prev-length equal to the previous entry's size, the
/// tail offset pointing at the last entry, the terminator last, the count (unless 65535)
/// matching.
///
/// Layout: total bytes (u32 LE), tail offset (u32 LE), count (u16 LE), entries, 0xFF. An
/// entry is prev-length (1 byte below 254, else 0xFE and u32 LE), encoding, data.
package enum ZiplistReader {
    static let headerSize = 10
    static let end: UInt8 = 0xff

    package static func entries(_ blob: UnsafeRawBufferPointer) throws(DumpPayloadError) -> [PackedEntry] {
        let size = blob.count
        guard size >= headerSize + 1 else { throw .badData("ziplist too short") }
        func u32(_ offset: Int) -> Int {
            Int(blob[offset]) | Int(blob[offset + 1]) << 8 | Int(blob[offset + 2]) << 16 | Int(blob[offset + 3]) << 24
        }
        guard u32(0) == size else { throw .badData("ziplist size differs from blob size") }
        guard blob[size - 1] == end else { throw .badData("ziplist terminator missing") }
        let tail = u32(4)
        let headerCount = Int(blob[8]) | Int(blob[9]) << 8
        let last = size - 1
        var entries: [PackedEntry] = []
        entries.reserveCapacity(min(headerCount, (last - headerSize) / 2))
        var position = headerSize
        var previousSize = 0
        var lastEntry = headerSize
        while position < last {
            // Prev-length.
            var cursor = position
            let prevlen: Int
            if blob[cursor] < 254 {
                prevlen = Int(blob[cursor])
                cursor += 1
            } else {
                guard blob[cursor] == 254, last - cursor >= 5 else { throw .badData("invalid ziplist prev-length") }
                prevlen = u32(cursor + 1)
                cursor += 5
            }
            guard prevlen == previousSize else { throw .badData("ziplist prev-length mismatch") }
            guard cursor < last else { throw .badData("ziplist entry out of bounds") }
            // Encoding and data.
            let encoding = blob[cursor]
            let available = last - cursor
            func need(_ count: Int) throws(DumpPayloadError) {
                guard count <= available else { throw .badData("ziplist entry out of bounds") }
            }
            func littleEndian(_ count: Int) -> UInt64 {
                var value: UInt64 = 0
                for index in (0..<count).reversed() { value = value << 8 | UInt64(blob[cursor + 1 + index]) }
                return value
            }
            let entry: PackedEntry
            let entrySize: Int
            switch encoding {
            case 0x00...0xbf:
                let headerLength: Int
                let length: Int
                switch encoding >> 6 {
                case 0:
                    (headerLength, length) = (1, Int(encoding & 0x3f))
                case 1:
                    try need(2)
                    (headerLength, length) = (2, Int(encoding & 0x3f) << 8 | Int(blob[cursor + 1]))
                default:  // 0x80...0xbf: Redis ignores the low bits of a 32-bit string encoding.
                    try need(5)
                    let length32 =
                        Int(blob[cursor + 1]) << 24 | Int(blob[cursor + 2]) << 16
                        | Int(blob[cursor + 3]) << 8 | Int(blob[cursor + 4])
                    (headerLength, length) = (5, length32)
                }
                guard length <= available - headerLength else { throw .badData("ziplist string out of bounds") }
                let start = cursor + headerLength
                entry = .string(Array(UnsafeRawBufferPointer(rebasing: blob[start..<start + length])))
                entrySize = headerLength + length
            case 0xc0:
                try need(3)
                (entry, entrySize) = (.integer(Int64(Int16(truncatingIfNeeded: littleEndian(2)))), 3)
            case 0xd0:
                try need(5)
                (entry, entrySize) = (.integer(Int64(Int32(truncatingIfNeeded: littleEndian(4)))), 5)
            case 0xe0:
                try need(9)
                (entry, entrySize) = (.integer(Int64(bitPattern: littleEndian(8))), 9)
            case 0xf0:
                try need(4)
                let bits = Int64(littleEndian(3))
                (entry, entrySize) = (.integer(bits >= 1 << 23 ? bits - (1 << 24) : bits), 4)
            case 0xfe:
                try need(2)
                (entry, entrySize) = (.integer(Int64(Int8(bitPattern: blob[cursor + 1]))), 2)
            case 0xf1...0xfd:
                (entry, entrySize) = (.integer(Int64(encoding & 0x0f) - 1), 1)
            default:
                throw .badData("invalid ziplist encoding \(encoding)")
            }
            entries.append(entry)
            lastEntry = position
            previousSize = cursor + entrySize - position
            position = cursor + entrySize
        }
        guard tail == lastEntry else { throw .badData("ziplist tail offset mismatch") }
        if headerCount != 65535 && headerCount != entries.count {
            throw .badData("ziplist count differs from its entries")
        }
        return entries
    }

    /// Convenience for byte arrays.
    package static func entries(_ blob: [UInt8]) throws(DumpPayloadError) -> [PackedEntry] {
        try blob.withPayloadBytes { raw throws(DumpPayloadError) in try entries(raw) }
    }
}
