/// Reads RDB encodings from a byte range, checking every claimed length against the bytes
/// that remain before copying or allocating anything. Every failure is a `.badDataFormat`
/// error; nothing traps on malformed input.
///
/// The bytes must stay valid while the reader is used (it is made inside `withUnsafeBytes`).
package struct RDBReader {
    package let bytes: UnsafeRawBufferPointer
    package private(set) var position: Int = 0

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    package var remaining: Int { bytes.count - position }
    package var isAtEnd: Bool { position == bytes.count }

    package mutating func readByte() throws(DumpPayloadError) -> UInt8 {
        guard position < bytes.count else { throw .badData("unexpected end of payload") }
        defer { position += 1 }
        return bytes[position]
    }

    /// The next `count` bytes, as a view into the input.
    package mutating func readBytes(_ count: Int) throws(DumpPayloadError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw .badData("length \(count) exceeds the payload") }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    /// A length or a special-encoding marker (`rdbLoadLenByRef`): `(value, false)` for a
    /// length, `(encoding, true)` for an `11xxxxxx` prefix.
    package mutating func readLengthOrEncoding() throws(DumpPayloadError) -> (value: UInt64, isEncoded: Bool) {
        let first = try readByte()
        switch first >> 6 {
        case RDBFormat.encodedValue:
            return (UInt64(first & 0x3f), true)
        case RDBFormat.length6Bit:
            return (UInt64(first & 0x3f), false)
        case RDBFormat.length14Bit:
            return (UInt64(first & 0x3f) << 8 | UInt64(try readByte()), false)
        default:
            switch first {
            case RDBFormat.length32Bit: return (try readBigEndian(4), false)
            case RDBFormat.length64Bit: return (try readBigEndian(8), false)
            default: throw .badData("unknown length encoding \(first)")
            }
        }
    }

    /// A plain length; a special-encoding marker here is malformed.
    package mutating func readLength() throws(DumpPayloadError) -> Int {
        let (value, isEncoded) = try readLengthOrEncoding()
        guard !isEncoded else { throw .badData("encoded value where a length was expected") }
        guard value <= UInt64(Int.max) else { throw .badData("length \(value) out of range") }
        return Int(value)
    }

    /// A count of items that each take at least `minimumItemSize` bytes: refused when the
    /// remaining bytes could not hold that many, so that callers may reserve capacity for it.
    package mutating func readCount(minimumItemSize: Int) throws(DumpPayloadError) -> Int {
        let count = try readLength()
        guard count <= remaining / max(minimumItemSize, 1) else {
            throw .badData("count \(count) exceeds the payload")
        }
        return count
    }

    /// A string in any RDB form (`rdbGenericLoadStringObject`): raw, an INT8/16/32 encoding
    /// (returned as its decimal text) or LZF-compressed.
    package mutating func readString() throws(DumpPayloadError) -> [UInt8] {
        let (value, isEncoded) = try readLengthOrEncoding()
        guard isEncoded else {
            guard value <= UInt64(remaining) else { throw .badData("string length \(value) exceeds the payload") }
            return Array(try readBytes(Int(value)))
        }
        switch UInt8(value) {
        case RDBFormat.encodingInt8:
            return RDBNumbers.decimal(Int64(Int8(bitPattern: try readByte())))
        case RDBFormat.encodingInt16:
            return RDBNumbers.decimal(Int64(Int16(bitPattern: UInt16(try readLittleEndian(2)))))
        case RDBFormat.encodingInt32:
            return RDBNumbers.decimal(Int64(Int32(bitPattern: UInt32(try readLittleEndian(4)))))
        case RDBFormat.encodingLZF:
            let compressedLength = try readLength()
            let length = try readLength()
            let compressed = try readBytes(compressedLength)
            guard let plain = LZF.decompress(compressed, expectedLength: length) else {
                throw .badData("invalid LZF data")
            }
            return plain
        default:
            throw .badData("unknown string encoding \(value)")
        }
    }

    /// A double as 8 little-endian IEEE 754 bytes (`rdbLoadBinaryDoubleValue`).
    package mutating func readBinaryDouble() throws(DumpPayloadError) -> Double {
        Double(bitPattern: try readLittleEndian(8))
    }

    /// A double as text with a one-byte length (`rdbLoadDoubleValue`, RDB_TYPE_ZSET): 253 is
    /// NaN, 254 +inf, 255 -inf.
    package mutating func readStringDouble() throws(DumpPayloadError) -> Double {
        let length = try readByte()
        switch length {
        case 253: return .nan
        case 254: return .infinity
        case 255: return -.infinity
        default:
            guard let value = RDBNumbers.parseDouble(try readBytes(Int(length))) else {
                throw .badData("invalid double")
            }
            return value
        }
    }

    mutating func readLittleEndian(_ count: Int) throws(DumpPayloadError) -> UInt64 {
        let raw = try readBytes(count)
        var value: UInt64 = 0
        for index in (0..<count).reversed() { value = value << 8 | UInt64(raw[index]) }
        return value
    }

    mutating func readBigEndian(_ count: Int) throws(DumpPayloadError) -> UInt64 {
        let raw = try readBytes(count)
        var value: UInt64 = 0
        for index in 0..<count { value = value << 8 | UInt64(raw[index]) }
        return value
    }
}
