import SidecacheRESP

/// Appends RDB encodings to a byte array: lengths (`rdbSaveLen`), strings as
/// `rdbSaveRawString` writes them, LZF blobs and binary doubles.
package struct RDBWriter: Sendable {
    package private(set) var bytes: [UInt8]

    package init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    package mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// A length in the shortest of the 6-, 14-, 32- and 64-bit forms (big-endian payloads).
    package mutating func writeLength(_ length: Int) {
        precondition(length >= 0, "RDB lengths are unsigned")
        let value = UInt64(length)
        if value < 1 << 6 {
            bytes.append(UInt8(value))
        } else if value < 1 << 14 {
            bytes.append(RDBFormat.length14Bit << 6 | UInt8(value >> 8))
            bytes.append(UInt8(value & 0xff))
        } else if value <= UInt64(UInt32.max) {
            bytes.append(RDBFormat.length32Bit)
            appendBigEndian(value, byteCount: 4)
        } else {
            bytes.append(RDBFormat.length64Bit)
            appendBigEndian(value, byteCount: 8)
        }
    }

    /// A string as `rdbSaveRawString` writes it: as an 8/16/32-bit integer when the text is a
    /// canonical integer (at most 11 characters) that fits, else LZF-compressed when longer
    /// than 20 bytes and compression saves at least 4 bytes, else length-prefixed raw bytes.
    package mutating func writeString(_ string: UnsafeRawBufferPointer) {
        let count = string.count
        if count <= 11, let value = RedisInteger.parse(string), writeEncodedInteger(value) {
            return
        }
        if count > 20, let compressed = LZF.compress(string, outputLimit: count - 4) {
            writeLZFBlob(compressed, originalLength: count)
            return
        }
        writeLength(count)
        bytes.append(contentsOf: string)
    }

    /// Convenience for byte arrays.
    package mutating func writeString(_ string: [UInt8]) {
        string.withUnsafeBytes { writeString($0) }
    }

    /// LZF-compressed data with its compressed and original lengths (`rdbSaveLzfBlob`).
    package mutating func writeLZFBlob(_ compressed: [UInt8], originalLength: Int) {
        bytes.append(RDBFormat.encodedValue << 6 | RDBFormat.encodingLZF)
        writeLength(compressed.count)
        writeLength(originalLength)
        bytes.append(contentsOf: compressed)
    }

    /// A double as its 8 IEEE 754 bytes, little-endian (`rdbSaveBinaryDoubleValue`).
    package mutating func writeBinaryDouble(_ value: Double) {
        appendLittleEndian(value.bitPattern, byteCount: 8)
    }

    /// `rdbEncodeInteger`: writes `value` in the smallest of the INT8/16/32 string encodings;
    /// `false` (nothing written) when it needs more than 32 bits.
    mutating func writeEncodedInteger(_ value: Int64) -> Bool {
        let prefix = RDBFormat.encodedValue << 6
        if let small = Int8(exactly: value) {
            bytes.append(prefix | RDBFormat.encodingInt8)
            bytes.append(UInt8(bitPattern: small))
        } else if let medium = Int16(exactly: value) {
            bytes.append(prefix | RDBFormat.encodingInt16)
            appendLittleEndian(UInt64(UInt16(bitPattern: medium)), byteCount: 2)
        } else if let large = Int32(exactly: value) {
            bytes.append(prefix | RDBFormat.encodingInt32)
            appendLittleEndian(UInt64(UInt32(bitPattern: large)), byteCount: 4)
        } else {
            return false
        }
        return true
    }

    mutating func appendLittleEndian(_ value: UInt64, byteCount: Int) {
        for index in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    mutating func appendBigEndian(_ value: UInt64, byteCount: Int) {
        for index in (0..<byteCount).reversed() { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
