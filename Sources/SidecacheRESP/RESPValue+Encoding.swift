public import NIOCore

extension RESPValue {
    /// Encodes the value as a server sends it to a client of `version` (RESP3 types are
    /// downgraded for RESP2, attributes dropped).
    public func encode(into buffer: inout ByteBuffer, _ version: RESPProtocolVersion) {
        switch self {
        case .simpleString(let text):
            buffer.writeRESPSimpleString(bytes: text.readableBytesView)
        case .simpleError(let text):
            buffer.writeRESPError(bytes: text.readableBytesView)
        case .integer(let value):
            buffer.writeInteger(UInt8(ascii: ":"))
            buffer.writeDecimal(value)
            buffer.writeCRLF()
        case .bulkString(let value):
            if let value { buffer.writeRESPBulkString(buffer: value) } else { buffer.writeRESPNull(version) }
        case .array(let values):
            guard let values else {
                buffer.writeRESPNullArray(version)
                return
            }
            buffer.writeRESPArrayHeader(values.count)
            for value in values { value.encode(into: &buffer, version) }
        case .null:
            buffer.writeRESPNull(version)
        case .double(let value):
            buffer.writeRESPDouble(value, version)
        case .boolean(let value):
            buffer.writeRESPBoolean(value, version)
        case .bigNumber(let digits):
            buffer.writeRESPBigNumber(digits.readableBytesView, version)
        case .blobError(let message):
            buffer.writeRESPBlobError(message.readableBytesView, version)
        case .verbatimString(let format, let text):
            if version == .resp3 {
                buffer.writeInteger(UInt8(ascii: "="))
                buffer.writeDecimal(Int64(text.readableBytes + format.readableBytes + 1))
                buffer.writeCRLF()
                buffer.writeImmutableBuffer(format)
                buffer.writeInteger(UInt8(ascii: ":"))
                buffer.writeImmutableBuffer(text)
                buffer.writeCRLF()
            } else {
                buffer.writeRESPBulkString(buffer: text)
            }
        case .map(let pairs):
            buffer.writeRESPMapHeader(pairs.count / 2, version)
            for value in pairs { value.encode(into: &buffer, version) }
        case .set(let values):
            buffer.writeRESPSetHeader(values.count, version)
            for value in values { value.encode(into: &buffer, version) }
        case .attribute(let pairs, let value):
            if version == .resp3 {
                buffer.writeRESPAttributeHeader(pairs.count / 2)
                for pair in pairs { pair.encode(into: &buffer, version) }
            }
            value.encode(into: &buffer, version)
        case .push(let values):
            buffer.writeRESPPushHeader(values.count, version)
            for value in values { value.encode(into: &buffer, version) }
        }
    }

    /// What a RESP2 client receives for this value, as a value (used to compare replies
    /// across protocol versions).
    public var downgradedToRESP2: RESPValue {
        switch self {
        case .null: .bulkString(nil)
        case .double(let value): .bulkString(ByteBuffer(bytes: RedisDouble.format(value)))
        case .boolean(let value): .integer(value ? 1 : 0)
        case .bigNumber(let digits): .bulkString(digits)
        case .blobError(let message): .simpleError(Self.replacingNewlines(message))
        case .verbatimString(_, let text): .bulkString(text)
        case .map(let values), .set(let values), .push(let values): .array(values.map(\.downgradedToRESP2))
        case .array(let values): .array(values?.map(\.downgradedToRESP2))
        case .attribute(_, let value): value.downgradedToRESP2
        case .simpleString(let text): .simpleString(Self.replacingNewlines(text))
        case .simpleError(let text): .simpleError(Self.replacingNewlines(text))
        default: self
        }
    }

    /// Simple strings and errors are sent with CR and LF replaced by spaces.
    private static func replacingNewlines(_ text: ByteBuffer) -> ByteBuffer {
        ByteBuffer(bytes: text.readableBytesView.map { $0 == 0x0D || $0 == 0x0A ? 0x20 : $0 })
    }
}
