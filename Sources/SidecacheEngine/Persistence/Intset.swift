/// The intset blob (`intset.c`): sorted, unique integers of one width, the encoding of sets
/// of integers up to `set-max-intset-entries`.
///
/// Layout: width in bytes (u32 LE: 2, 4 or 8), count (u32 LE), the values little-endian.
package enum Intset {
    /// The blob for `values`, which must be sorted ascending without duplicates, in the
    /// smallest width that holds them all (what Redis has when no wider value was removed).
    package static func encode(sortedValues values: [Int64]) -> [UInt8] {
        let width: Int
        if values.allSatisfy({ Int16(exactly: $0) != nil }) {
            width = 2
        } else if values.allSatisfy({ Int32(exactly: $0) != nil }) {
            width = 4
        } else {
            width = 8
        }
        var blob: [UInt8] = []
        blob.reserveCapacity(8 + width * values.count)
        appendLittleEndian(UInt64(width), 4, to: &blob)
        appendLittleEndian(UInt64(values.count), 4, to: &blob)
        for value in values { appendLittleEndian(UInt64(bitPattern: value), width, to: &blob) }
        return blob
    }

    /// The values of an intset blob, checked as `intsetValidateIntegrity` with deep
    /// validation does: a known width, a size that matches the count, strictly ascending.
    package static func decode(_ blob: UnsafeRawBufferPointer) throws(DumpPayloadError) -> [Int64] {
        guard blob.count >= 8 else { throw .badData("intset too short") }
        let width = Int(littleEndian(blob, 0, 4))
        guard width == 2 || width == 4 || width == 8 else { throw .badData("invalid intset width \(width)") }
        let count = Int(littleEndian(blob, 4, 4))
        guard (blob.count - 8) % width == 0, (blob.count - 8) / width == count else {
            throw .badData("intset size differs from its count")
        }
        var values: [Int64] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            let bits = littleEndian(blob, 8 + index * width, width)
            let value: Int64
            switch width {
            case 2: value = Int64(Int16(truncatingIfNeeded: bits))
            case 4: value = Int64(Int32(truncatingIfNeeded: bits))
            default: value = Int64(bitPattern: bits)
            }
            if let previous = values.last, previous >= value { throw .badData("intset not strictly ascending") }
            values.append(value)
        }
        return values
    }

    static func littleEndian(_ blob: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<count).reversed() { value = value << 8 | UInt64(blob[offset + index]) }
        return value
    }

    static func appendLittleEndian(_ value: UInt64, _ count: Int, to blob: inout [UInt8]) {
        for index in 0..<count { blob.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
