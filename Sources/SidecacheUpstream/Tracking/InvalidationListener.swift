public import Logging
public import NIOCore
import NIOPosix
import SidecacheRESP

/// One connection to an upstream node that receives Redis's client-side caching
/// invalidations: it switches to RESP3 (`HELLO 3`), turns on broadcasting tracking for the
/// given key prefixes (`CLIENT TRACKING ON BCAST PREFIX ...`) and hands every `invalidate`
/// push to `onInvalidate` (the keys, or `nil` when the node flushed everything).
///
/// The link counts as up once tracking is on, and down when the connection breaks or a
/// PING goes unanswered for three command timeouts: a stopped or partitioned node cannot
/// leave invalidations silently undelivered. `onLink` reports each change; a new connection
/// is tried every 500 ms while down. State lives on `eventLoop`.
public final class InvalidationListener: @unchecked Sendable {
    public typealias InvalidationHandler = @Sendable (_ keys: [[UInt8]]?) -> Void
    public typealias LinkHandler = @Sendable (_ up: Bool) -> Void

    public let eventLoop: any EventLoop
    private let settings: UpstreamConnectionSettings
    private let target: @Sendable () -> UpstreamAddress?
    private let prefixes: [[UInt8]]
    private let onInvalidate: InvalidationHandler
    private let onLink: LinkHandler
    private let logger: Logger
    private var channel: (any Channel)?
    private var connecting = false
    private var stopped = false
    private var up = false
    /// Replies still due on the current connection (handshake, then PINGs).
    private var awaitedReplies = 0
    /// When the oldest unanswered PING was sent (uptime ns); `nil` when none is waiting.
    private var pingSentAt: UInt64?
    private var reconnect: Scheduled<Void>?
    private var heartbeat: RepeatedTask?
    /// The last handshake error, logged once until it changes.
    private var lastProblem: String?

    /// - Parameters:
    ///   - prefixes: the BCAST prefixes; empty for every key.
    ///   - target: the node to track, asked on every (re)connection.
    public init(
        eventLoop: any EventLoop,
        settings: UpstreamConnectionSettings,
        prefixes: [[UInt8]],
        logger: Logger,
        target: @escaping @Sendable () -> UpstreamAddress?,
        onInvalidate: @escaping InvalidationHandler,
        onLink: @escaping LinkHandler
    ) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.prefixes = prefixes
        self.logger = logger
        self.target = target
        self.onInvalidate = onInvalidate
        self.onLink = onLink
    }

    public func start() {
        eventLoop.execute { [self] in
            guard !stopped else { return }
            let interval = TimeAmount.milliseconds(Int64(max(100, min(1000, settings.commandTimeoutMilliseconds / 2))))
            heartbeat = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in ping() }
            connect()
        }
    }

    public func stop() {
        eventLoop.execute { [self] in
            stopped = true
            heartbeat?.cancel()
            reconnect?.cancel()
            channel?.close(promise: nil)
            channel = nil
        }
    }

    /// Drops the connection as if the node had gone away (for tests of link loss).
    public func dropConnection() {
        eventLoop.execute { [self] in channel?.close(promise: nil) }
    }

    private func connect() {
        guard !connecting, !stopped, channel == nil else { return }
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
        var hello: [[UInt8]] = [Array("HELLO".utf8), Array("3".utf8)]
        if let password = settings.password {
            hello += [Array("AUTH".utf8), Array((settings.username ?? "default").utf8), Array(password.utf8)]
        }
        requests.writeRESPRequest(RESPCommandFrame(hello))
        var tracking: [[UInt8]] = ["CLIENT", "TRACKING", "ON", "BCAST"].map { Array($0.utf8) }
        for prefix in prefixes { tracking += [Array("PREFIX".utf8), prefix] }
        requests.writeRESPRequest(RESPCommandFrame(tracking))
        awaitedReplies = 2
        pingSentAt = nil
        opened.writeAndFlush(requests, promise: nil)
    }

    private func closed(_ closedChannel: any Channel) {
        guard channel === closedChannel else { return }
        channel = nil
        awaitedReplies = 0
        pingSentAt = nil
        setUp(false)
        scheduleReconnect()
    }

    private func scheduleReconnect() {
        guard !stopped, reconnect == nil else { return }
        reconnect = eventLoop.scheduleTask(in: .milliseconds(500)) { [self] in
            reconnect = nil
            connect()
        }
    }

    /// Sends a PING, or gives the connection up when the last one is overdue.
    private func ping() {
        guard let channel, awaitedReplies >= 0 else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        if let sent = pingSentAt {
            // Three command timeouts (at least 2 s): a busy event loop is not a lost link.
            let patience = UInt64(max(2000, 3 * settings.commandTimeoutMilliseconds)) * 1_000_000
            if now - sent > patience {
                logger.warning("upstream invalidation link timed out; local copies are not trusted until it is back",
                               metadata: ["upstream": "\(settings.address)"])
                channel.close(promise: nil)
            }
            return
        }
        guard up else { return }
        var request = channel.allocator.buffer(capacity: 16)
        request.writeRESPRequest(["PING"])
        pingSentAt = now
        awaitedReplies += 1
        channel.writeAndFlush(request, promise: nil)
    }

    private func received(_ value: RESPValue) {
        if case .push(let elements) = value {
            guard elements.count == 2, elements[0].text == "invalidate" else { return }
            switch elements[1] {
            case .array(let keys?), .set(let keys):
                onInvalidate(keys.compactMap { key in
                    guard case .bulkString(let bytes?) = key else { return nil }
                    return Array(bytes.readableBytesView)
                })
            default:
                onInvalidate(nil)
            }
            return
        }
        awaitedReplies -= 1
        if case .simpleError(let message) = value {
            let text = String(buffer: message)
            if text != lastProblem {
                lastProblem = text
                logger.error("upstream refused invalidation tracking; local copies are not kept",
                             metadata: ["upstream": "\(settings.address)", "error": "\(text)"])
            }
            channel?.close(promise: nil)
            return
        }
        if up {
            pingSentAt = nil
        } else if awaitedReplies == 0 {
            lastProblem = nil
            setUp(true)
        }
    }

    private func setUp(_ isUp: Bool) {
        guard up != isUp else { return }
        up = isUp
        onLink(isUp)
    }
}
