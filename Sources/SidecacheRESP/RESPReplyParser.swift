public import NIOCore

/// Reads whole RESP2/RESP3 values (replies from upstream servers, and in tests from any
/// server), with a bound on aggregate nesting and on lengths so that a hostile or broken
/// peer cannot make the reader recurse or reserve without limit.
public struct RESPReplyParser: Sendable {
    public var limits: RESPLimits

    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    /// The next whole value of `buffer`, consuming it; `nil` (and nothing consumed) when the
    /// value has not fully arrived.
    public func next(from buffer: inout ByteBuffer) throws(RESPProtocolError) -> RESPValue? {
        var cursor = buffer
        guard let value = try parseValue(&cursor, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: cursor.readerIndex)
        return value
    }

    private func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws(RESPProtocolError) -> RESPValue? {
        guard let marker = buffer.readInteger(as: UInt8.self) else { return nil }
        guard let line = try readLine(&buffer) else { return nil }
        switch marker {
        case UInt8(ascii: "+"):
            return .simpleString(line)
        case UInt8(ascii: "-"):
            return .simpleError(line)
        case UInt8(ascii: ":"):
            return .integer(try integer(line))
        case UInt8(ascii: "_"):
            return .null
        case UInt8(ascii: "#"):
            switch line.readableBytesView.first {
            case UInt8(ascii: "t") where line.readableBytes == 1: return .boolean(true)
            case UInt8(ascii: "f") where line.readableBytes == 1: return .boolean(false)
            default: throw RESPProtocolError("invalid boolean")
            }
        case UInt8(ascii: ","):
            return .double(try double(line))
        case UInt8(ascii: "("):
            return .bigNumber(line)
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            let length = try integer(line)
            if length == -1 && marker == UInt8(ascii: "$") { return .bulkString(nil) }
            guard length >= 0, length <= limits.maxBulkLength else { throw .invalidBulkLength }
            guard buffer.readableBytes >= Int(length) + 2 else { return nil }
            let body = buffer.readSlice(length: Int(length))!
            guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw RESPProtocolError("expected CRLF") }
            switch marker {
            case UInt8(ascii: "$"):
                return .bulkString(body)
            case UInt8(ascii: "!"):
                return .blobError(body)
            default:
                guard body.readableBytes >= 4, body.getInteger(at: body.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":")
                else { throw RESPProtocolError("invalid verbatim string") }
                return .verbatimString(
                    format: body.getSlice(at: body.readerIndex, length: 3)!,
                    text: body.getSlice(at: body.readerIndex + 4, length: body.readableBytes - 4)!
                )
            }
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
            let count = try integer(line)
            if count == -1 && marker == UInt8(ascii: "*") { return .array(nil) }
            let pairs = marker == UInt8(ascii: "%") || marker == UInt8(ascii: "|")
            guard count >= 0, count <= limits.maxMultibulkLength else { throw .invalidMultibulkLength }
            guard depth < limits.maxNestingDepth else { throw .tooDeep }
            let elementCount = Int(count) * (pairs ? 2 : 1)
            var elements: [RESPValue] = []
            // Reserve only what could already be in the buffer: at least 3 bytes per element.
            elements.reserveCapacity(min(elementCount, buffer.readableBytes / 3))
            for _ in 0..<elementCount {
                guard let element = try parseValue(&buffer, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            switch marker {
            case UInt8(ascii: "*"): return .array(elements)
            case UInt8(ascii: "~"): return .set(elements)
            case UInt8(ascii: ">"): return .push(elements)
            case UInt8(ascii: "%"): return .map(elements)
            default:
                guard let annotated = try parseValue(&buffer, depth: depth + 1) else { return nil }
                return .attribute(elements, annotated)
            }
        default:
            throw RESPProtocolError("unknown reply type '\(Character(Unicode.Scalar(marker)))'")
        }
    }

    /// The bytes up to the next CRLF, consumed with it; `nil` if no CRLF has arrived yet.
    private func readLine(_ buffer: inout ByteBuffer) throws(RESPProtocolError) -> ByteBuffer? {
        guard let end = buffer.readableBytesView.firstIndex(of: 0x0D) else {
            if buffer.readableBytes > limits.maxInlineLength { throw RESPProtocolError("too long line") }
            return nil
        }
        guard end + 1 < buffer.writerIndex else { return nil }
        guard buffer.getInteger(at: end + 1, as: UInt8.self) == 0x0A else { throw RESPProtocolError("expected CRLF") }
        let line = buffer.readSlice(length: end - buffer.readerIndex)!
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    private func integer(_ line: ByteBuffer) throws(RESPProtocolError) -> Int64 {
        let value = line.withUnsafeReadableBytes { RedisInteger.parse($0) }
        guard let value else { throw RESPProtocolError("invalid integer") }
        return value
    }

    private func double(_ line: ByteBuffer) throws(RESPProtocolError) -> Double {
        let text = String(buffer: line)
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default:
            guard let value = Double(text) else { throw RESPProtocolError("invalid double") }
            return value
        }
    }
}
