/// Parses a zipmap blob (`zipmap.c`, the encoding of small hashes before Redis 2.6), checked
/// as `zipmapValidateIntegrity` does.
///
/// Layout: count (1 byte, 254 or more when unknown), then per pair: field length, field,
/// value length, one "free" byte, value, that many unused bytes; then 0xFF. A length is one
/// byte below 254, else 254 and u32 LE.
package enum ZipmapReader {
    /// The fields and values, alternating.
    package static func entries(_ blob: UnsafeRawBufferPointer) throws(DumpPayloadError) -> [[UInt8]] {
        guard blob.count >= 2 else { throw .badData("zipmap too short") }
        let headerCount = Int(blob[0])
        var position = 1
        var items: [[UInt8]] = []
        func length() throws(DumpPayloadError) -> Int {
            guard position < blob.count else { throw .badData("zipmap out of bounds") }
            let first = blob[position]
            if first < 254 {
                position += 1
                return Int(first)
            }
            guard first == 254, blob.count - position >= 5 else { throw .badData("invalid zipmap length") }
            let value = Int(Intset.littleEndian(blob, position + 1, 4))
            position += 5
            return value
        }
        func bytes(_ count: Int) throws(DumpPayloadError) -> [UInt8] {
            guard count <= blob.count - position else { throw .badData("zipmap string out of bounds") }
            defer { position += count }
            return Array(UnsafeRawBufferPointer(rebasing: blob[position..<position + count]))
        }
        while true {
            guard position < blob.count else { throw .badData("zipmap terminator missing") }
            if blob[position] == 0xff {
                position += 1
                break
            }
            let field = try bytes(try length())
            let valueLength = try length()
            let free = Int(try bytes(1)[0])
            let value = try bytes(valueLength)
            _ = try bytes(free)
            items.append(field)
            items.append(value)
        }
        guard position == blob.count else { throw .badData("bytes after the zipmap terminator") }
        if headerCount < 254 && headerCount != items.count / 2 {
            throw .badData("zipmap count differs from its entries")
        }
        return items
    }
}
