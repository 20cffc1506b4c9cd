public import NIOCore

/// A whole RESP2/RESP3 value: what a reply parser yields and what tests compare.
/// Strings are slices of the buffer they were read from.
public indirect enum RESPValue: Sendable, Hashable {
    case simpleString(ByteBuffer)
    case simpleError(ByteBuffer)
    case integer(Int64)
    /// `nil` is RESP2's null bulk string (`$-1`).
    case bulkString(ByteBuffer?)
    /// `nil` is RESP2's null array (`*-1`).
    case array([RESPValue]?)
    /// RESP3's null (`_`).
    case null
    case double(Double)
    case boolean(Bool)
    case bigNumber(ByteBuffer)
    case blobError(ByteBuffer)
    case verbatimString(format: ByteBuffer, text: ByteBuffer)
    /// Key/value pairs in order: `[k1, v1, k2, v2, ...]`.
    case map([RESPValue])
    case set([RESPValue])
    /// Attribute pairs, then the value they annotate.
    case attribute([RESPValue], RESPValue)
    case push([RESPValue])

    // Convenience constructors for tests and generated replies.
    public static func simple(_ text: String) -> RESPValue { .simpleString(ByteBuffer(string: text)) }
    public static func error(_ text: String) -> RESPValue { .simpleError(ByteBuffer(string: text)) }
    public static func bulk(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }
    public static func bulk(bytes: [UInt8]) -> RESPValue { .bulkString(ByteBuffer(bytes: bytes)) }

    /// The text of a string-like value (simple, bulk, verbatim, error), for tests and logs.
    public var text: String? {
        switch self {
        case .simpleString(let buffer), .simpleError(let buffer), .bulkString(.some(let buffer)),
            .bigNumber(let buffer), .blobError(let buffer):
            String(buffer: buffer)
        case .verbatimString(_, let text):
            String(buffer: text)
        case .integer(let value):
            String(value)
        default:
            nil
        }
    }

    /// The elements of an aggregate (arrays, sets, pushes, and maps as flat pairs).
    public var elements: [RESPValue]? {
        switch self {
        case .array(let values): values
        case .set(let values), .map(let values), .push(let values): values
        default: nil
        }
    }

    public var isError: Bool {
        switch self {
        case .simpleError, .blobError: true
        default: false
        }
    }
}
