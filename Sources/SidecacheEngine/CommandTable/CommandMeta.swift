public import NIOCore
public import SidecacheRESP

/// A node of Redis's command metadata as redis-server replies it (COMMAND INFO and COMMAND
/// DOCS), with the exact RESP3 type of every node so that replies can be reproduced.
public indirect enum CommandMeta: Sendable, Equatable {
    case bulk(String)
    case status(String)
    case integer(Int)
    case array([CommandMeta])
    case set([CommandMeta])
    /// Key/value pairs flattened: `[k1, v1, k2, v2, ...]`.
    case map([CommandMeta])

    public var text: String? {
        switch self {
        case .bulk(let text), .status(let text): text
        default: nil
        }
    }

    public var intValue: Int? {
        if case .integer(let value) = self { value } else { nil }
    }

    public var elements: [CommandMeta] {
        switch self {
        case .array(let values), .set(let values), .map(let values): values
        default: []
        }
    }

    /// The value under `key` in a map node.
    public subscript(key: String) -> CommandMeta? {
        guard case .map(let pairs) = self else { return nil }
        var index = 0
        while index + 1 < pairs.count {
            if pairs[index].text == key { return pairs[index + 1] }
            index += 2
        }
        return nil
    }

    /// Writes the node as redis-server would to a client of `version`.
    public func write(into buffer: inout ByteBuffer, _ version: RESPProtocolVersion) {
        switch self {
        case .bulk(let text):
            buffer.writeRESPBulkString(text)
        case .status(let text):
            buffer.writeRESPSimpleString(bytes: text.utf8)
        case .integer(let value):
            buffer.writeRESPInteger(value)
        case .array(let values):
            buffer.writeRESPArrayHeader(values.count)
            for value in values { value.write(into: &buffer, version) }
        case .set(let values):
            buffer.writeRESPSetHeader(values.count, version)
            for value in values { value.write(into: &buffer, version) }
        case .map(let pairs):
            buffer.writeRESPMapHeader(pairs.count / 2, version)
            for value in pairs { value.write(into: &buffer, version) }
        }
    }
}

/// Reads the typed JSON that `scripts/gen-command-table.py` writes: strings prefixed with
/// `$` (bulk) or `+` (status), integers, and arrays whose first element names the aggregate
/// (`"*"` array, `"~"` set, `"%"` map). The input is generated and trusted; a malformed
/// record is a programming error caught by the command table's tests.
struct CommandMetaReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    static func parse(_ text: String) -> CommandMeta {
        var reader = CommandMetaReader(text)
        return reader.value()
    }

    private mutating func value() -> CommandMeta {
        switch bytes[position] {
        case UInt8(ascii: "\""):
            let text = string()
            let body = String(text.dropFirst())
            return text.first == "+" ? .status(body) : .bulk(body)
        case UInt8(ascii: "["):
            position += 1
            let kind = string()
            var children: [CommandMeta] = []
            while bytes[position] == UInt8(ascii: ",") {
                position += 1
                children.append(value())
            }
            precondition(bytes[position] == UInt8(ascii: "]"), "malformed command metadata")
            position += 1
            switch kind {
            case "~": return .set(children)
            case "%": return .map(children)
            default: return .array(children)
            }
        default:
            var negative = false
            if bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            var number = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                number = number * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            return .integer(negative ? -number : number)
        }
    }

    private mutating func string() -> String {
        precondition(bytes[position] == UInt8(ascii: "\""), "malformed command metadata")
        position += 1
        var out: [UInt8] = []
        while bytes[position] != UInt8(ascii: "\"") {
            if bytes[position] == UInt8(ascii: "\\") {
                position += 1
                switch bytes[position] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "u"):
                    let hex = String(decoding: bytes[(position + 1)...(position + 4)], as: UTF8.self)
                    let scalar = Unicode.Scalar(UInt32(hex, radix: 16)!)!
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    position += 4
                default: out.append(bytes[position])
                }
            } else {
                out.append(bytes[position])
            }
            position += 1
        }
        position += 1
        return String(decoding: out, as: UTF8.self)
    }
}
