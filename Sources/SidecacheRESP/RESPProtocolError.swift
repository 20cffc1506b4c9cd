/// A request or reply that breaks the protocol. The connection that sent it cannot be read
/// any further: the server answers `-ERR <message>` and closes it, as Redis does.
public struct RESPProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text Redis sends after `-ERR `, e.g. `Protocol error: invalid bulk length`.
    public var message: String

    public init(_ reason: String) {
        self.message = "Protocol error: " + reason
    }

    public var description: String { message }

    public static let invalidMultibulkLength = RESPProtocolError("invalid multibulk length")
    public static let invalidBulkLength = RESPProtocolError("invalid bulk length")
    public static let unauthenticatedMultibulkLength = RESPProtocolError("unauthenticated multibulk length")
    public static let unauthenticatedBulkLength = RESPProtocolError("unauthenticated bulk length")
    public static let tooBigMultibulkCount = RESPProtocolError("too big mbulk count string")
    public static let tooBigBulkCount = RESPProtocolError("too big bulk count string")
    public static let tooBigInlineRequest = RESPProtocolError("too big inline request")
    public static let unbalancedQuotes = RESPProtocolError("unbalanced quotes in request")
    public static let tooDeep = RESPProtocolError("reply nesting too deep")

    public static func expectedDollar(got byte: UInt8) -> RESPProtocolError {
        RESPProtocolError("expected '$', got '\(Character(Unicode.Scalar(byte)))'")
    }
}
