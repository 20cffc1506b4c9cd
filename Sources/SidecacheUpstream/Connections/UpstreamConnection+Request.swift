public import NIOCore
public import SidecacheRESP

extension UpstreamConnection {
    /// Sends one request built from text arguments and completes with its parsed reply (an
    /// error reply is a value, not a failure); fails with `UpstreamFailure` when no reply came.
    /// For control traffic (discovery, sentinel queries), not for client requests. Call on
    /// `eventLoop`; the request is flushed at once.
    public func request(_ arguments: [String]) -> EventLoopFuture<RESPValue> {
        let sink = ParsedReplySink(promise: eventLoop.makePromise(of: RESPValue.self), limits: settings.replyLimits)
        if let failure = send(arguments, sink: sink, tag: 0) {
            sink.promise.fail(failure)
        } else {
            flush()
        }
        return sink.promise.futureResult
    }
}

/// Completes a promise with the one reply it receives, parsed.
private final class ParsedReplySink: UpstreamReplySink {
    let promise: EventLoopPromise<RESPValue>
    let parser: RESPReplyParser

    init(promise: EventLoopPromise<RESPValue>, limits: RESPLimits) {
        self.promise = promise
        self.parser = RESPReplyParser(limits: limits)
    }

    func receiveUpstreamReply(_ reply: UpstreamReply, tag: UInt64) {
        switch reply {
        case .reply(var bytes):
            do {
                if let value = try parser.next(from: &bytes) {
                    promise.succeed(value)
                } else {
                    promise.fail(UpstreamFailure("ERR upstream reply could not be read"))
                }
            } catch {
                promise.fail(UpstreamFailure("ERR upstream reply could not be read: \(error.message)"))
            }
        case .failure(let failure):
            promise.fail(failure)
        }
    }

    func upstreamRepliesDelivered() {}
}
