public import NIOCore
import NIOPosix
import SidecacheRESP

/// One connection in subscribed mode to an upstream node, shared by every local subscriber:
/// it subscribes to a channel or pattern while some local client listens to it, hands each
/// published message to `onMessage`, and when the connection breaks opens a new one (to
/// `target()` then, which may have changed) and subscribes again to everything.
///
/// State lives on `eventLoop`; `subscribe`, `unsubscribe` and `stop` may be called from any
/// thread. Messages published while the connection is being replaced are lost, as they are
/// for any Redis subscriber that reconnects.
public final class UpstreamSubscription: @unchecked Sendable {
    public typealias MessageHandler = @Sendable (_ channel: [UInt8], _ pattern: [UInt8]?, _ payload: ByteBuffer) -> Void

    public let eventLoop: any EventLoop
    private let settings: UpstreamConnectionSettings
    private let target: @Sendable () -> UpstreamAddress?
    private let onMessage: MessageHandler
    private var channels: Set<[UInt8]> = []
    private var patterns: Set<[UInt8]> = []
    private var channel: (any Channel)?
    private var connecting = false
    private var stopped = false
    private var reconnect: Scheduled<Void>?

    /// - Parameters:
    ///   - settings: credentials and timeouts (the address comes from `target`).
    ///   - target: the node to subscribe at, asked on every (re)connection.
    public init(
        eventLoop: any EventLoop,
        settings: UpstreamConnectionSettings,
        target: @escaping @Sendable () -> UpstreamAddress?,
        onMessage: @escaping MessageHandler
    ) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.target = target
        self.onMessage = onMessage
    }

    public func subscribe(_ name: [UInt8], pattern: Bool) {
        eventLoop.execute { [self] in
            guard !stopped else { return }
            if pattern { patterns.insert(name) } else { channels.insert(name) }
            send([pattern ? Array("PSUBSCRIBE".utf8) : Array("SUBSCRIBE".utf8), name])
        }
    }

    public func unsubscribe(_ name: [UInt8], pattern: Bool) {
        eventLoop.execute { [self] in
            if pattern { patterns.remove(name) } else { channels.remove(name) }
            send([pattern ? Array("PUNSUBSCRIBE".utf8) : Array("UNSUBSCRIBE".utf8), name])
        }
    }

    public func stop() {
        eventLoop.execute { [self] in
            stopped = true
            reconnect?.cancel()
            channel?.close(promise: nil)
            channel = nil
        }
    }

    /// Sends on the open connection; with none, opens one (which subscribes to everything).
    private func send(_ request: [[UInt8]]) {
        guard let channel else { return connect() }
        var buffer = channel.allocator.buffer(capacity: 64)
        buffer.writeRESPRequest(RESPCommandFrame(request))
        channel.writeAndFlush(buffer, promise: nil)
    }

    private func connect() {
        guard !connecting, !stopped, channel == nil, !(channels.isEmpty && patterns.isEmpty) else { return }
        guard let address = target() else { return scheduleReconnect() }
        connecting = true
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        SubscriptionReader.connect(to: address, settings: settings, on: eventLoop) { value in bound.value.received(value) }
            .whenComplete { result in bound.value.connected(result) }
    }

    private func connected(_ result: Result<any Channel, any Error>) {
        connecting = false
        guard case .success(let opened) = result else { return scheduleReconnect() }
        guard !stopped else {
            opened.close(promise: nil)
            return
        }
        channel = opened
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        opened.closeFuture.whenComplete { _ in bound.value.closed(opened) }
        var requests = opened.allocator.buffer(capacity: 256)
        if let password = settings.password {
            requests.writeRESPRequest(["AUTH"] + (settings.username.map { [$0] } ?? []) + [password])
        }
        if !channels.isEmpty { requests.writeRESPRequest(RESPCommandFrame([Array("SUBSCRIBE".utf8)] + channels)) }
        if !patterns.isEmpty { requests.writeRESPRequest(RESPCommandFrame([Array("PSUBSCRIBE".utf8)] + patterns)) }
        opened.writeAndFlush(requests, promise: nil)
    }

    private func closed(_ closedChannel: any Channel) {
        guard channel === closedChannel else { return }
        channel = nil
        scheduleReconnect()
    }

    private func scheduleReconnect() {
        guard !stopped, reconnect == nil else { return }
        reconnect = eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .milliseconds(500)) { [self] in
            reconnect = nil
            connect()
        }
    }

    /// `message channel payload` and `pmessage pattern channel payload` (RESP2 arrays or RESP3
    /// pushes); subscription confirmations and AUTH's reply carry nothing to deliver.
    private func received(_ value: RESPValue) {
        guard let elements = value.elements, let kind = elements.first?.text else { return }
        switch (kind, elements.count) {
        case ("message", 3):
            guard case .bulkString(let channelName?) = elements[1], case .bulkString(let payload?) = elements[2] else { return }
            onMessage(Array(channelName.readableBytesView), nil, payload)
        case ("pmessage", 4):
            guard case .bulkString(let pattern?) = elements[1], case .bulkString(let channelName?) = elements[2],
                case .bulkString(let payload?) = elements[3]
            else { return }
            onMessage(Array(channelName.readableBytesView), Array(pattern.readableBytesView), payload)
        default:
            return
        }
    }
}

/// Reads whole replies and messages off a subscribed (or tracking) connection.
final class SubscriptionReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let parser: RESPReplyParser
    private let onValue: (RESPValue) -> Void
    private var buffer = ByteBuffer()

    init(limits: RESPLimits, onValue: @escaping (RESPValue) -> Void) {
        self.parser = RESPReplyParser(limits: limits)
        self.onValue = onValue
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let value = try parser.next(from: &buffer) { onValue(value) }
        } catch {
            // A broken stream cannot be resynchronized: a new connection subscribes again.
            context.close(promise: nil)
            return
        }
        buffer.discardReadBytes()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
