import NIOCore
import SidecacheRESP

/// Reading the parts of cluster replies (CLUSTER SHARDS, CLUSTER SLOTS) in either protocol.
extension RESPValue {
    /// The value without RESP3 attributes around it.
    var unwrapped: RESPValue {
        if case .attribute(_, let value) = self { return value.unwrapped }
        return self
    }

    /// A simple, bulk or verbatim string's text; `nil` for anything else.
    var textValue: String? {
        switch unwrapped {
        case .simpleString(let buffer), .bulkString(.some(let buffer)): String(buffer: buffer)
        case .verbatimString(_, let text): String(buffer: text)
        default: nil
        }
    }

    /// An integer, or a string holding one.
    var integerValue: Int? {
        if case .integer(let value) = unwrapped { return Int(exactly: value) }
        return textValue.flatMap { Int($0) }
    }

    /// A short rendering for error messages: `"text"`, `12`, `nil`, `[a, b]`, `-ERR ...`.
    var summary: String {
        let text = rendered(depth: 0)
        return text.count > 160 ? String(text.prefix(160)) + "..." : text
    }

    private func rendered(depth: Int) -> String {
        switch unwrapped {
        case .simpleString(let buffer), .bulkString(.some(let buffer)), .bigNumber(let buffer):
            return "\"\(String(buffer: buffer))\""
        case .verbatimString(_, let text): return "\"\(String(buffer: text))\""
        case .simpleError(let buffer), .blobError(let buffer): return "-\(String(buffer: buffer))"
        case .integer(let value): return String(value)
        case .double(let value): return String(value)
        case .boolean(let value): return String(value)
        case .null, .bulkString(nil), .array(nil): return "nil"
        case .array(let items?), .set(let items), .push(let items), .map(let items):
            guard depth < 3 else { return "[...]" }
            return "[" + items.prefix(12).map { $0.rendered(depth: depth + 1) }.joined(separator: ", ")
                + (items.count > 12 ? ", ..." : "") + "]"
        case .attribute: return "?"
        }
    }
}
