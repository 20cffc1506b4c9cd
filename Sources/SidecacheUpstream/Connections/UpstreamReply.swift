public import NIOCore

/// What became of one forwarded request.
public enum UpstreamReply {
    /// The bytes of one whole RESP reply, exactly as the node sent them.
    case reply(ByteBuffer)
    /// No reply: the node was unreachable, timed out, or the connection broke.
    case failure(UpstreamFailure)
}

/// Why a request got no reply from its node, as the error a client receives.
public struct UpstreamFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error line without its leading `-`, e.g.
    /// `ERR upstream 127.0.0.1:6379 timed out after 1000 ms`.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The receiver of forwarded requests' replies: a client session. Called on the event loop
/// of the connection the request was sent on, which is the session's own.
public protocol UpstreamReplySink: AnyObject {
    /// The reply to the request sent with `tag`.
    func receiveUpstreamReply(_ reply: UpstreamReply, tag: UInt64)
    /// A batch of replies (everything one read brought) has been delivered: time to flush.
    func upstreamRepliesDelivered()
}
