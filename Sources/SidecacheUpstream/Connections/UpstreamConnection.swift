#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import NIOCore
import NIOPosix
import NIOSSL
public import SidecacheRESP

/// One pipelined connection to one upstream node, owned by one event loop.
///
/// Requests are written in order and their replies matched to them in the same order, so many
/// requests (from many clients) can be in flight at once. The connection opens on first use and
/// again after a failure; every request has a deadline, and when the oldest request passes
/// its deadline the connection is given up (a late reply could no longer be matched) and every
/// request on it fails with a clear error. Everything here runs on `eventLoop`.
public final class UpstreamConnection {
    public let eventLoop: any EventLoop
    public let settings: UpstreamConnectionSettings
    public let health: UpstreamNodeHealth

    private enum State {
        case idle
        case connecting
        case connected(any Channel)
        /// Shut down for good (server stopping, or a dedicated connection released).
        case closed
    }

    private struct Pending {
        enum Kind {
            case request(any UpstreamReplySink, tag: UInt64)
            /// AUTH or HELLO: an error means the node refuses this connection.
            case handshake
            /// SELECT before a request for another database: an error fails that request.
            case select
        }
        var kind: Kind
        /// Uptime nanoseconds by which the reply must arrive; `UInt64.max` for none.
        var deadline: UInt64
    }

    @exclusivity(unchecked) private var state = State.idle
    /// Requests not yet handed to the socket (all of them while connecting).
    @exclusivity(unchecked) private var outbound: ByteBuffer
    @exclusivity(unchecked) private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    @exclusivity(unchecked) private var readBuffer = ByteBuffer()
    private let scanner: RESPReplyScanner
    /// The database the connection is in once everything written so far has run.
    @exclusivity(unchecked) private var database = 0
    /// Set when a SELECT failed: the request queued after it gets this error instead of a reply
    /// from the wrong database.
    @exclusivity(unchecked) private var failNext: UpstreamFailure?
    /// Sinks that got replies during the current read; told to flush when it completes.
    @exclusivity(unchecked) private var touched: [any UpstreamReplySink] = []
    @exclusivity(unchecked) private var timeoutCheck: Scheduled<Void>?
    /// A flush is due at the end of this event-loop turn (`flush()`).
    @exclusivity(unchecked) private var flushScheduled = false

    /// A health check's connection: it still reaches an ejected node, to probe it.
    private let isProbe: Bool
    /// A client's own connection holds MULTI and WATCH state that a new connection would not:
    /// once lost it stays closed (requests fail), so a transaction never goes on elsewhere.
    private let reconnects: Bool

    public init(
        eventLoop: any EventLoop,
        settings: UpstreamConnectionSettings,
        health: UpstreamNodeHealth,
        isProbe: Bool = false,
        reconnects: Bool = true
    ) {
        self.isProbe = isProbe
        self.reconnects = reconnects
        self.eventLoop = eventLoop
        self.settings = settings
        self.health = health
        self.scanner = RESPReplyScanner(limits: settings.replyLimits)
        self.outbound = ByteBufferAllocator().buffer(capacity: 1024)
    }

    /// Requests waiting for their replies.
    public var inFlight: Int { pending.count }

    /// Closed for good: `close()`, or a connection that does not reconnect was lost.
    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Queues `frame` for `database`; its reply goes to `sink` with `tag`. Returns the failure
    /// instead when the request cannot be sent at all (node ejected, too many in flight,
    /// connection closed). Call `flush()` once a batch of requests is queued.
    ///
    /// - Parameter timeoutMilliseconds: the wait for the reply; the configured command timeout
    ///   when `nil`, none when 0 (a blocking command without a timeout).
    ///   - now: uptime nanoseconds (CLOCK_MONOTONIC) when the caller has just read the clock.
    public func send(
        _ frame: RESPCommandFrame,
        database: Int,
        sink: any UpstreamReplySink,
        tag: UInt64,
        timeoutMilliseconds: Int? = nil,
        now: UInt64? = nil
    ) -> UpstreamFailure? {
        enqueue(database: database, kind: .request(sink, tag: tag), timeoutMilliseconds: timeoutMilliseconds, now: now) {
            $0.writeRESPRequest(frame)
        }
    }

    /// Queues a request built from text arguments (health checks).
    public func send(_ arguments: [String], sink: any UpstreamReplySink, tag: UInt64) -> UpstreamFailure? {
        enqueue(database: database, kind: .request(sink, tag: tag), timeoutMilliseconds: nil, now: nil) {
            $0.writeRESPRequest(arguments)
        }
    }

    private func enqueue(
        database: Int,
        kind: Pending.Kind,
        timeoutMilliseconds: Int?,
        now: UInt64?,
        encode: (inout ByteBuffer) -> Void
    ) -> UpstreamFailure? {
        eventLoop.assertInEventLoop()
        let now = now ?? NIODeadline.now().uptimeNanoseconds
        if health.isEjected && !isProbe { return health.ejectedFailure(now: now) }
        if case .closed = state { return UpstreamFailure("ERR upstream \(settings.address) connection is closed") }
        guard pending.count < settings.maxInFlight else {
            return UpstreamFailure(
                "ERR upstream \(settings.address) has \(pending.count) requests in flight on one connection (max_in_flight); try again later"
            )
        }
        if case .idle = state { connect() }
        let timeout = timeoutMilliseconds ?? settings.commandTimeoutMilliseconds
        let deadline = timeout == 0 ? UInt64.max : now + UInt64(timeout) * 1_000_000
        if database != self.database {
            outbound.writeRESPRequest(["SELECT", String(database)])
            pending.append(Pending(kind: .select, deadline: deadline))
            self.database = database
        }
        encode(&outbound)
        pending.append(Pending(kind: kind, deadline: deadline))
        if timeoutCheck == nil { scheduleTimeoutCheck(at: deadline) }
        return nil
    }

    /// The node switched this connection to `database` by itself (a SELECT queued in MULTI ran
    /// at EXEC). Valid only when nothing was sent after that EXEC.
    public func assumeDatabase(_ database: Int) {
        self.database = database
    }

    /// Hands the queued requests to the socket at the end of this event-loop turn, so that the
    /// requests of every client read in the turn go out in one write (as twemproxy writes its
    /// server queue once per turn) rather than one write per client.
    public func flush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.assumeIsolatedUnsafeUnchecked().execute { [self] in
            flushScheduled = false
            flushNow()
        }
    }

    private func flushNow() {
        guard case .connected(let channel) = state, outbound.readableBytes > 0 else { return }
        channel.writeAndFlush(outbound, promise: nil)
        outbound.clear()
    }

    /// Closes the connection for good; requests still waiting fail.
    public func close() {
        eventLoop.assertInEventLoop()
        let previous = state
        state = .closed
        if case .connected(let channel) = previous { channel.close(promise: nil) }
        failAll(UpstreamFailure("ERR upstream \(settings.address) connection is closed"), countsAsFailure: false)
    }

    // MARK: Connecting

    private func connect() {
        state = .connecting
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let (tls, host) = (settings.tls, settings.address.host)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(Int64(settings.connectTimeoutMilliseconds)))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addClientHandler(to: channel, host: host)
                    try channel.pipeline.syncOperations.addHandler(UpstreamReplyHandler(connection: bound.value))
                }
            }
            .connect(host: settings.address.host, port: settings.address.port)
            .whenComplete { result in bound.value.connected(result) }
    }

    private func connected(_ result: Result<any Channel, any Error>) {
        switch result {
        case .success(let channel):
            guard case .connecting = state else {
                // Closed while connecting.
                channel.close(promise: nil)
                return
            }
            state = .connected(channel)
            let handshake = settings.handshake
            let deadline = NIODeadline.now().uptimeNanoseconds + UInt64(settings.commandTimeoutMilliseconds) * 1_000_000
            for _ in handshake { pending.prepend(Pending(kind: .handshake, deadline: deadline)) }
            if timeoutCheck == nil, !handshake.isEmpty { scheduleTimeoutCheck(at: deadline) }
            var opening = channel.allocator.buffer(capacity: 64)
            for request in handshake { opening.writeRESPRequest(request) }
            channel.write(opening, promise: nil)
            if outbound.readableBytes > 0 {
                channel.write(outbound, promise: nil)
                outbound.clear()
            }
            channel.flush()
        case .failure(let error):
            guard case .connecting = state else { return }
            state = reconnects ? .idle : .closed
            failAll(UpstreamFailure("ERR upstream \(settings.address) unavailable: \(Self.describe(error))"), countsAsFailure: true)
        }
    }

    /// "connection refused", "connect timed out" and the like, without NIO's type names.
    private static func describe(_ error: any Error) -> String {
        // "connection refused", not NIO's "connection reset (error set): ... (errno: 111)".
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if error is ChannelError, case .connectTimeout = error as? ChannelError { return "connect timed out" }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        return "\(error)"
    }

    // MARK: Replies

    /// Bytes from the node: every whole reply goes to the request it answers, in order.
    func received(_ data: inout ByteBuffer, on channel: any Channel) {
        guard isCurrent(channel) else { return }
        if readBuffer.readableBytes == 0 {
            readBuffer = data
        } else {
            readBuffer.writeBuffer(&data)
        }
        while readBuffer.readableBytes > 0 {
            let extent: RESPReplyScanner.Extent?
            do {
                extent = try readBuffer.withUnsafeReadableBytes { bytes throws(RESPProtocolError) in try scanner.scan(bytes) }
            } catch {
                return broken("sent a malformed reply (\(error.message))")
            }
            guard let extent else { break }
            let reply = readBuffer.readSlice(length: extent.length)!
            // Pushes (RESP3 invalidations and the like) answer no request.
            if extent.marker == UInt8(ascii: ">") { continue }
            guard let head = pending.popFirst() else { return broken("sent a reply to no request") }
            let isError = extent.marker == UInt8(ascii: "-") || extent.marker == UInt8(ascii: "!")
            switch head.kind {
            case .handshake where isError:
                let text = String(buffer: reply).trimmingCRLF
                health.recordFailure("handshake refused: \(text)", now: NIODeadline.now().uptimeNanoseconds)
                closeChannel()
                failAll(UpstreamFailure("ERR upstream \(settings.address) refused the connection: \(text)"), countsAsFailure: false)
                return
            case .handshake:
                break
            case .select where isError:
                failNext = UpstreamFailure("ERR upstream \(settings.address) cannot select the database: \(String(buffer: reply).trimmingCRLF)")
            case .select:
                break
            case .request(let sink, let tag):
                if let failure = failNext {
                    failNext = nil
                    deliver(.failure(failure), to: sink, tag: tag)
                } else {
                    deliver(.reply(reply), to: sink, tag: tag)
                }
            }
        }
        health.recordSuccess()
        if readBuffer.readableBytes == 0 {
            readBuffer.clear()
        } else if readBuffer.readerIndex > 64 * 1024 {
            readBuffer.discardReadBytes()
        }
    }

    /// The end of one read: sinks that got replies flush them to their clients.
    func readComplete() {
        notifyTouched()
    }

    /// The node closed the connection, or the socket failed.
    func channelClosed(_ channel: any Channel) {
        guard isCurrent(channel) else { return }
        state = reconnects ? .idle : .closed
        failAll(UpstreamFailure("ERR upstream \(settings.address) closed the connection"), countsAsFailure: !pending.isEmpty)
    }

    /// TLS failed on `channel` (a certificate not trusted, a handshake refused).
    func tlsFailed(_ error: any Error, on channel: any Channel) {
        guard isCurrent(channel) else { return }
        broken("TLS failed: \(error)")
    }

    /// Whether `channel` is the connection's live one (not one it has given up).
    private func isCurrent(_ channel: any Channel) -> Bool {
        guard case .connected(let current) = state else { return false }
        return current === channel
    }

    private func deliver(_ reply: UpstreamReply, to sink: any UpstreamReplySink, tag: UInt64) {
        sink.receiveUpstreamReply(reply, tag: tag)
        if touched.last !== sink && !touched.contains(where: { $0 === sink }) { touched.append(sink) }
    }

    private func notifyTouched() {
        guard !touched.isEmpty else { return }
        let sinks = touched
        touched.removeAll(keepingCapacity: true)
        for sink in sinks { sink.upstreamRepliesDelivered() }
    }

    /// A reply that cannot be matched to a request: nothing on this connection can be trusted.
    private func broken(_ what: String) {
        health.recordFailure(what, now: NIODeadline.now().uptimeNanoseconds)
        closeChannel()
        failAll(UpstreamFailure("ERR upstream \(settings.address) \(what)"), countsAsFailure: false)
    }

    /// Gives up the live channel; the next request opens a new one.
    private func closeChannel() {
        if case .connected(let channel) = state {
            state = reconnects ? .idle : .closed
            channel.close(promise: nil)
        }
    }

    /// Fails every request in flight (their connection is gone) and forgets the connection's
    /// state, so that the next request starts a fresh one.
    private func failAll(_ failure: UpstreamFailure, countsAsFailure: Bool) {
        if countsAsFailure { health.recordFailure(failure.message, now: NIODeadline.now().uptimeNanoseconds) }
        let failed = pending
        pending.removeAll(keepingCapacity: true)
        outbound.clear()
        readBuffer.clear()
        database = 0
        failNext = nil
        timeoutCheck?.cancel()
        timeoutCheck = nil
        for entry in failed {
            if case .request(let sink, let tag) = entry.kind { deliver(.failure(failure), to: sink, tag: tag) }
        }
        notifyTouched()
    }

    // MARK: Timeouts

    private func scheduleTimeoutCheck(at deadline: UInt64) {
        guard deadline != UInt64.max else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        timeoutCheck = eventLoop.scheduleTask(deadline: NIODeadline.uptimeNanoseconds(deadline)) {
            bound.value.checkTimeouts()
        }
    }

    /// Runs at the oldest request's deadline: past it, the connection is given up.
    private func checkTimeouts() {
        timeoutCheck = nil
        // A reply cannot overtake the ones before it: any request past its deadline means the
        // connection is stuck.
        guard let earliest = pending.lazy.map(\.deadline).min(), earliest != UInt64.max else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        guard now >= earliest else { return scheduleTimeoutCheck(at: earliest) }
        // Closed first: requests that the failed clients send next must go to a new connection.
        closeChannel()
        failAll(
            UpstreamFailure("ERR upstream \(settings.address) timed out after \(settings.commandTimeoutMilliseconds) ms"),
            countsAsFailure: true
        )
    }
}

/// Reads the node's bytes into its `UpstreamConnection`.
final class UpstreamReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: UpstreamConnection

    init(connection: UpstreamConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        connection.received(&buffer, on: context.channel)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection.readComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.channelClosed(context.channel)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused handshake or certificate says why, rather than "closed the connection".
        if let error = error as? NIOSSLError, error != .uncleanShutdown {
            connection.tlsFailed(error, on: context.channel)
        } else if let error = error as? NIOSSLExtraError {
            connection.tlsFailed(error, on: context.channel)
        }
        context.close(promise: nil)
    }
}

extension String {
    /// The text of a one-line reply without its type byte and CRLF.
    var trimmingCRLF: String {
        var text = Substring(self)
        if text.hasSuffix("\r\n") { text = text.dropLast(2) }
        if let first = text.first, "-!+".contains(first) { text = text.dropFirst() }
        return String(text)
    }
}
