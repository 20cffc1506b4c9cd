import NIOCore
public import SidecacheRESP

extension RESPValue {
    /// The reply on one line with its RESP type spelled out (`simple "OK"` and `bulk "OK"`
    /// look the same in redis-cli but are different replies), strings quoted as redis-cli
    /// would quote arguments.
    public var difftestDescription: String {
        func quoted(_ buffer: ByteBuffer) -> String {
            let bytes = Array(buffer.readableBytesView)
            let text = RedisCLIQuoting.quote(bytes)
            return text.hasPrefix("\"") ? text : "\"\(text)\""
        }
        func list(_ elements: [RESPValue]) -> String {
            elements.map(\.difftestDescription).joined(separator: ", ")
        }
        func pairs(_ elements: [RESPValue]) -> String {
            stride(from: 0, to: elements.count, by: 2).map { index in
                let value = index + 1 < elements.count ? elements[index + 1].difftestDescription : "?"
                return "\(elements[index].difftestDescription): \(value)"
            }.joined(separator: ", ")
        }
        switch self {
        case .simpleString(let buffer): return "simple \(quoted(buffer))"
        case .simpleError(let buffer): return "error \(quoted(buffer))"
        case .integer(let value): return "integer \(value)"
        case .bulkString(.some(let buffer)): return "bulk \(quoted(buffer))"
        case .bulkString(.none): return "null bulk"
        case .array(.some(let elements)): return "array[\(elements.count)] [\(list(elements))]"
        case .array(.none): return "null array"
        case .null: return "null"
        case .double(let value): return "double \(value)"
        case .boolean(let value): return "boolean \(value)"
        case .bigNumber(let buffer): return "big number \(String(buffer: buffer))"
        case .blobError(let buffer): return "blob error \(quoted(buffer))"
        case .verbatimString(let format, let text): return "verbatim \(String(buffer: format)) \(quoted(text))"
        case .map(let elements): return "map[\(elements.count / 2)] {\(pairs(elements))}"
        case .set(let elements): return "set[\(elements.count)] {\(list(elements))}"
        case .attribute(let attributes, let value): return "attribute {\(pairs(attributes))} \(value.difftestDescription)"
        case .push(let elements): return "push[\(elements.count)] [\(list(elements))]"
        }
    }
}
