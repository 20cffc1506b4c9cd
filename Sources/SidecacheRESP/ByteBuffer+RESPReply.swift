public import NIOCore

/// Reply encoding. Each writer takes the client's protocol version where RESP3 and RESP2
/// differ, and downgrades RESP3 types for RESP2 clients exactly as redis-server does:
/// null → `$-1`, map → flat array, set → array, double → bulk string, boolean → integer,
/// big number → bulk string, verbatim → bulk string, push → array.
extension ByteBuffer {
    @inlinable
    public mutating func writeRESPSimpleString(_ text: StaticString) {
        writeInteger(UInt8(ascii: "+"))
        writeStaticString(text)
        writeCRLF()
    }

    /// A simple string from bytes; CR and LF are replaced with spaces as Redis does.
    public mutating func writeRESPSimpleString(bytes: some Collection<UInt8>) {
        writeRESPLine(marker: UInt8(ascii: "+"), bytes)
    }

    /// An error reply. `message` starts with its code (`ERR`, `WRONGTYPE`, ...); newlines in
    /// it are replaced with spaces so that the reply cannot break the protocol.
    public mutating func writeRESPError(_ message: String) {
        writeRESPLine(marker: UInt8(ascii: "-"), message.utf8)
    }

    /// An error reply from bytes, sanitized as `writeRESPError`.
    public mutating func writeRESPError(bytes: some Collection<UInt8>) {
        writeRESPLine(marker: UInt8(ascii: "-"), bytes)
    }

    /// A one-line reply (`+` or `-`): a CR or LF inside would end the reply early and break the
    /// stream, so each becomes a space, as Redis's `addReplyStatusLength`/`addReplyErrorLength` do.
    private mutating func writeRESPLine(marker: UInt8, _ bytes: some Collection<UInt8>) {
        writeInteger(marker)
        for byte in bytes { writeInteger(byte == 0x0D || byte == 0x0A ? UInt8(ascii: " ") : byte) }
        writeCRLF()
    }

    @inlinable
    public mutating func writeRESPInteger(_ value: Int) {
        writeInteger(UInt8(ascii: ":"))
        writeDecimal(Int64(value))
        writeCRLF()
    }

    @inlinable
    public mutating func writeRESPBulkString(_ bytes: UnsafeRawBufferPointer) {
        writeRESPBulkHeader(bytes.count)
        writeBytes(bytes)
        writeCRLF()
    }

    @inlinable
    public mutating func writeRESPBulkString(_ bytes: some Collection<UInt8>) {
        writeRESPBulkHeader(bytes.count)
        writeBytes(bytes)
        writeCRLF()
    }

    @inlinable
    public mutating func writeRESPBulkString(buffer: ByteBuffer) {
        writeRESPBulkHeader(buffer.readableBytes)
        writeImmutableBuffer(buffer)
        writeCRLF()
    }

    public mutating func writeRESPBulkString(_ text: String) {
        writeRESPBulkString(text.utf8)
    }

    /// The decimal text of `value` as a bulk string.
    public mutating func writeRESPBulkString(decimal value: Int64) {
        writeRESPBulkHeader(RedisInteger.decimalLength(value))
        writeDecimal(value)
        writeCRLF()
    }

    @inlinable
    public mutating func writeRESPBulkHeader(_ length: Int) {
        writeInteger(UInt8(ascii: "$"))
        writeDecimal(Int64(length))
        writeCRLF()
    }

    /// The null reply: `$-1` in RESP2, `_` in RESP3.
    @inlinable
    public mutating func writeRESPNull(_ version: RESPProtocolVersion) {
        writeStaticString(version == .resp3 ? "_\r\n" : "$-1\r\n")
    }

    /// The null array reply: `*-1` in RESP2, `_` in RESP3.
    @inlinable
    public mutating func writeRESPNullArray(_ version: RESPProtocolVersion) {
        writeStaticString(version == .resp3 ? "_\r\n" : "*-1\r\n")
    }

    @inlinable
    public mutating func writeRESPArrayHeader(_ count: Int) {
        writeInteger(UInt8(ascii: "*"))
        writeDecimal(Int64(count))
        writeCRLF()
    }

    /// A map of `count` pairs; RESP2 gets an array of `2 × count` elements.
    @inlinable
    public mutating func writeRESPMapHeader(_ count: Int, _ version: RESPProtocolVersion) {
        if version == .resp3 {
            writeInteger(UInt8(ascii: "%"))
            writeDecimal(Int64(count))
        } else {
            writeInteger(UInt8(ascii: "*"))
            writeDecimal(Int64(count * 2))
        }
        writeCRLF()
    }

    @inlinable
    public mutating func writeRESPSetHeader(_ count: Int, _ version: RESPProtocolVersion) {
        writeInteger(version == .resp3 ? UInt8(ascii: "~") : UInt8(ascii: "*"))
        writeDecimal(Int64(count))
        writeCRLF()
    }

    @inlinable
    public mutating func writeRESPPushHeader(_ count: Int, _ version: RESPProtocolVersion) {
        writeInteger(version == .resp3 ? UInt8(ascii: ">") : UInt8(ascii: "*"))
        writeDecimal(Int64(count))
        writeCRLF()
    }

    /// An attribute map; RESP2 clients do not see attributes at all, so nothing is written
    /// for them and the caller must skip the attribute's elements too.
    public mutating func writeRESPAttributeHeader(_ count: Int) {
        writeInteger(UInt8(ascii: "|"))
        writeDecimal(Int64(count))
        writeCRLF()
    }

    public mutating func writeRESPDouble(_ value: Double, _ version: RESPProtocolVersion) {
        RedisDouble.withFormatted(value) { text in
            if version == .resp3 {
                writeInteger(UInt8(ascii: ","))
                writeBytes(text)
                writeCRLF()
            } else {
                writeRESPBulkString(text)
            }
        }
    }

    public mutating func writeRESPBoolean(_ value: Bool, _ version: RESPProtocolVersion) {
        if version == .resp3 {
            writeStaticString(value ? "#t\r\n" : "#f\r\n")
        } else {
            writeStaticString(value ? ":1\r\n" : ":0\r\n")
        }
    }

    /// A big number given as its decimal digits.
    public mutating func writeRESPBigNumber(_ digits: some Collection<UInt8>, _ version: RESPProtocolVersion) {
        if version == .resp3 {
            writeInteger(UInt8(ascii: "("))
            writeBytes(digits)
            writeCRLF()
        } else {
            writeRESPBulkString(digits)
        }
    }

    /// Verbatim text with its three-letter format (`txt`, `mkd`); RESP2 gets the bare text.
    public mutating func writeRESPVerbatimString(
        _ text: some Collection<UInt8>,
        format: StaticString = "txt",
        _ version: RESPProtocolVersion
    ) {
        if version == .resp3 {
            writeInteger(UInt8(ascii: "="))
            writeDecimal(Int64(text.count + 4))
            writeCRLF()
            writeStaticString(format)
            writeInteger(UInt8(ascii: ":"))
            writeBytes(text)
            writeCRLF()
        } else {
            writeRESPBulkString(text)
        }
    }

    /// A bulk error (`!`) in RESP3; RESP2 has none, so it becomes a simple error.
    public mutating func writeRESPBlobError(_ message: some Collection<UInt8>, _ version: RESPProtocolVersion) {
        if version == .resp3 {
            writeInteger(UInt8(ascii: "!"))
            writeDecimal(Int64(message.count))
            writeCRLF()
            writeBytes(message)
            writeCRLF()
        } else {
            writeRESPError(bytes: message)
        }
    }

    @inlinable
    mutating func writeCRLF() {
        writeInteger(UInt16(0x0D0A))
    }

    /// Writes the decimal digits of `value` with no intermediate `String`.
    @inlinable
    public mutating func writeDecimal(_ value: Int64) {
        if value >= 0 && value < 10 {
            writeInteger(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        let length = RedisInteger.decimalLength(value)
        var magnitude = value.magnitude
        writeWithUnsafeMutableBytes(minimumWritableBytes: length) { out in
            var index = length - 1
            repeat {
                out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                index -= 1
            } while magnitude > 0
            if value < 0 { out[0] = UInt8(ascii: "-") }
            return length
        }
    }
}
