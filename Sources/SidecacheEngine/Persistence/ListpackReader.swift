/// Parses and validates a listpack blob (`lpValidateIntegrity` with deep validation): the
/// header's total size must equal the blob size, every entry must lie inside the blob with a
/// back-length that matches it, the terminator must be the last byte, and the header's count
/// (unless 65535, "unknown") must match.
package enum ListpackReader {
    package static func entries(_ blob: UnsafeRawBufferPointer) throws(DumpPayloadError) -> [PackedEntry] {
        let size = blob.count
        guard size >= ListpackWriter.headerSize + 1 else { throw .badData("listpack too short") }
        let total = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        guard total == size else { throw .badData("listpack size \(total) differs from blob size \(size)") }
        guard blob[size - 1] == ListpackWriter.terminator else { throw .badData("listpack terminator missing") }
        let headerCount = Int(blob[4]) | Int(blob[5]) << 8
        let end = size - 1
        var entries: [PackedEntry] = []
        // Every entry takes at least 2 bytes: encoding and back-length.
        entries.reserveCapacity(min(headerCount, (end - ListpackWriter.headerSize) / 2))
        var position = ListpackWriter.headerSize
        while position < end {
            let (entry, length) = try decodeEntry(blob, at: position, end: end)
            let backlenStart = position + length
            let backlenSize = backlenByteCount(length)
            guard backlenSize <= end - backlenStart else { throw .badData("listpack back-length out of bounds") }
            guard decodeBacklen(blob, lastByte: backlenStart + backlenSize - 1, first: backlenStart) == length else {
                throw .badData("listpack back-length mismatch")
            }
            entries.append(entry)
            position = backlenStart + backlenSize
        }
        if headerCount != ListpackWriter.unknownCount && headerCount != entries.count {
            throw .badData("listpack count \(headerCount) differs from \(entries.count) entries")
        }
        return entries
    }

    /// Convenience for byte arrays.
    package static func entries(_ blob: [UInt8]) throws(DumpPayloadError) -> [PackedEntry] {
        try blob.withPayloadBytes { raw throws(DumpPayloadError) in try entries(raw) }
    }

    /// The entry at `position` and its length without the back-length; everything it reads
    /// lies before `end`.
    static func decodeEntry(
        _ blob: UnsafeRawBufferPointer, at position: Int, end: Int
    ) throws(DumpPayloadError) -> (PackedEntry, Int) {
        let available = end - position
        let first = blob[position]
        func need(_ count: Int) throws(DumpPayloadError) {
            guard count <= available else { throw .badData("listpack entry out of bounds") }
        }
        func littleEndian(_ offset: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in (0..<count).reversed() { value = value << 8 | UInt64(blob[position + offset + index]) }
            return value
        }
        func string(_ offset: Int, _ length: Int) throws(DumpPayloadError) -> (PackedEntry, Int) {
            guard length <= available - offset else { throw .badData("listpack string out of bounds") }
            let start = position + offset
            return (.string(Array(UnsafeRawBufferPointer(rebasing: blob[start..<start + length]))), offset + length)
        }
        switch first {
        case 0x00...0x7f:
            return (.integer(Int64(first)), 1)
        case 0x80...0xbf:
            return try string(1, Int(first & 0x3f))
        case 0xc0...0xdf:
            try need(2)
            let bits = Int64(first & 0x1f) << 8 | Int64(blob[position + 1])
            return (.integer(bits >= 4096 ? bits - 8192 : bits), 2)
        case 0xe0...0xef:
            try need(2)
            return try string(2, Int(first & 0x0f) << 8 | Int(blob[position + 1]))
        case 0xf0:
            try need(5)
            return try string(5, Int(littleEndian(1, 4)))
        case 0xf1:
            try need(3)
            return (.integer(Int64(Int16(truncatingIfNeeded: littleEndian(1, 2)))), 3)
        case 0xf2:
            try need(4)
            let bits = Int64(littleEndian(1, 3))
            return (.integer(bits >= 1 << 23 ? bits - (1 << 24) : bits), 4)
        case 0xf3:
            try need(5)
            return (.integer(Int64(Int32(truncatingIfNeeded: littleEndian(1, 4)))), 5)
        case 0xf4:
            try need(9)
            return (.integer(Int64(bitPattern: littleEndian(1, 8))), 9)
        default:
            throw .badData("invalid listpack encoding \(first)")
        }
    }

    /// How many bytes `lpEncodeBacklen` uses for an entry of `length` bytes.
    static func backlenByteCount(_ length: Int) -> Int {
        switch length {
        case ...127: 1
        case ..<16383: 2
        case ..<2_097_151: 3
        case ..<268_435_455: 4
        default: 5
        }
    }

    /// `lpDecodeBacklen` reading backwards from `lastByte` but never before `first`; -1 when
    /// the encoding is longer than that.
    static func decodeBacklen(_ blob: UnsafeRawBufferPointer, lastByte: Int, first: Int) -> Int {
        var value = 0
        var shift = 0
        var index = lastByte
        while true {
            let byte = blob[index]
            value |= Int(byte & 127) << shift
            if byte & 128 == 0 { return value }
            shift += 7
            index -= 1
            if index < first || shift > 28 { return -1 }
        }
    }
}
