import NIOCore
import SidecacheRESP

/// What a sentinel subscription connection brings, one value at a time.
enum SentinelSubscriptionEvent: Equatable {
    /// A published message (`message` in RESP2, a push in RESP3).
    case message(channel: String, payload: String)
    /// The confirmation of SUBSCRIBE for `channel`.
    case subscribed(channel: String)
    /// The answer to a PING sent in subscribed mode.
    case pong
    /// An error reply (AUTH refused, NOAUTH): the subscription is not working.
    case error(String)
    /// A reply that is none of the above (AUTH's `+OK`), or one that could not be read.
    case other
}

/// The reader of a subscription connection to a sentinel. Writes the opening requests (AUTH,
/// SUBSCRIBE) when the connection is up, turns the replies and published messages into
/// `SentinelSubscriptionEvent`s, and reports when the connection is gone. Knows bytes only;
/// what the events mean is `SentinelMonitor`'s business. `UpstreamConnection` cannot carry a
/// subscription: it matches every reply to a request, and messages answer none.
final class SentinelSubscriptionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let opening: [[String]]
    private let parser: RESPReplyParser
    private let onEvent: (SentinelSubscriptionEvent) -> Void
    private let onClose: () -> Void
    private var buffer = ByteBuffer()
    private var isClosed = false
    /// Set when a reply could not be read: nothing after it can be trusted, and nothing is read.
    private var isBroken = false

    /// - Parameters:
    ///   - opening: the requests written when the connection becomes active.
    ///   - onEvent: called for every whole reply or message, on the channel's event loop.
    ///   - onClose: called once, when the connection is closed or has failed.
    init(
        opening: [[String]],
        limits: RESPLimits = RESPLimits(),
        onEvent: @escaping (SentinelSubscriptionEvent) -> Void,
        onClose: @escaping () -> Void
    ) {
        self.opening = opening
        self.parser = RESPReplyParser(limits: limits)
        self.onEvent = onEvent
        self.onClose = onClose
    }

    func channelActive(context: ChannelHandlerContext) {
        var requests = context.channel.allocator.buffer(capacity: 128)
        for request in opening { requests.writeRESPRequest(request) }
        context.writeAndFlush(NIOAny(requests), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isBroken else { return }
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do throws(RESPProtocolError) {
            while let value = try parser.next(from: &buffer) {
                onEvent(Self.event(value))
                if isClosed { return }
            }
        } catch {
            isBroken = true
            buffer.clear()
            onEvent(.error("malformed reply from the sentinel (\(error.message))"))
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else {
            buffer.discardReadBytes()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closed()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func closed() {
        guard !isClosed else { return }
        isClosed = true
        onClose()
    }

    /// The event one reply or message stands for.
    static func event(_ value: RESPValue) -> SentinelSubscriptionEvent {
        switch value {
        case .simpleError(let text), .blobError(let text):
            return .error(String(buffer: text))
        case .array(let items?), .push(let items):
            let texts = items.map(\.text)
            switch (texts.first??.lowercased(), texts.count) {
            case ("message", 3):
                guard let channel = texts[1], let payload = texts[2] else { return .other }
                return .message(channel: channel, payload: payload)
            case ("subscribe", 3):
                return texts[1].map { .subscribed(channel: $0) } ?? .other
            case ("pong", _):
                return .pong
            default:
                return .other
            }
        case .simpleString(let text) where String(buffer: text) == "PONG":
            return .pong
        default:
            return .other
        }
    }
}

@available(*, unavailable)
extension SentinelSubscriptionHandler: Sendable {}
