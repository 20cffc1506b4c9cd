import SidecacheEngine
import Logging
import NIOCore
import SidecacheRESP

/// One client connection: frames requests out of what it reads, executes them in order, and
/// writes the replies of a whole read in one flush. Decoding and execution share this one
/// handler: no per-request message between handlers, no per-request allocation.
final class RESPSessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent through the pipeline when the server shuts down gracefully.
    struct ShutdownEvent {}

    private let server: ServerContext
    @exclusivity(unchecked) private var session: ClientSession?
    @exclusivity(unchecked) private var parser: RESPRequestParser
    @exclusivity(unchecked) private var readBuffer = ByteBuffer()
    @exclusivity(unchecked) private var configurationGeneration = -1
    @exclusivity(unchecked) private var queryBufferLimit = Int.max
    @exclusivity(unchecked) private var closing = false
    /// QUIT or shutdown while forwarded replies are still due: close once they are written.
    @exclusivity(unchecked) private var closeWhenForwardingDone = false
    /// The request in `session.frame` was held by CLIENT PAUSE and has not run yet.
    @exclusivity(unchecked) private var holdingFrame = false
    /// Hands the end of a CLIENT PAUSE to this connection's event loop.
    @exclusivity(unchecked) private var resumeAfterPause: (@Sendable () -> Void)?

    init(server: ServerContext) {
        self.server = server
        self.parser = RESPRequestParser(limits: server.protocolLimits)
    }

    func channelActive(context: ChannelHandlerContext) {
        let config = server.config
        let now = Clocks.monotonicNanoseconds()
        server.statistics.update { $0.connectionsReceived += 1 }
        guard let record = server.clients.register(channel: context.channel, maxClients: config.server.maxClients, now: now)
        else {
            server.statistics.update { $0.rejectedConnections += 1 }
            var buffer = context.channel.allocator.buffer(capacity: 48)
            buffer.writeStaticString("-ERR max number of clients reached\r\n")
            closeAfterWriting(buffer, context: context)
            return
        }
        if ProtectedMode.refuses(
            context.channel.remoteAddress,
            enabled: config.server.protectedMode,
            defaultUserHasNoPassword: server.acl.defaultUser.flags.contains(.noPass)
        ) {
            server.statistics.update { $0.rejectedConnections += 1 }
            server.clients.unregister(record.id)
            var buffer = context.channel.allocator.buffer(capacity: ProtectedMode.deniedReply.utf8.count)
            buffer.writeString(ProtectedMode.deniedReply)
            closeAfterWriting(buffer, context: context)
            return
        }
        let session = ClientSession(server: server, record: record, allocator: context.channel.allocator)
        let handler = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        session.enableBlocking { blocked in
            handler.eventLoop.execute { handler.value.0.resume(after: blocked, context: handler.value.1) }
        }
        if session.forwarding != nil {
            // Upstream replies arrive on this event loop (the session's pool is this loop's).
            session.onUpstreamDelivery = { handler.value.0.upstreamDelivered(context: handler.value.1) }
        }
        self.resumeAfterPause = { handler.eventLoop.execute { handler.value.0.resumeAfterPause(context: handler.value.1) } }
        self.session = session
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let session {
            session.cancelWait()
            session.releaseUpstreamConnection()
            session.onUpstreamDelivery = nil
            TransactionCommands.forget(session)
            session.dropSubscriptions()
            session.stopMonitoring()
            if session.isPostponed { server.clientPause.forget(clientID: session.record.id) }
            session.mergeStatistics()
            server.clients.unregister(session.record.id)
            self.session = nil
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session, !closing else { return }
        var incoming = unwrapInboundIn(data)
        session.receivePendingMessages()
        session.statistics.reads += 1
        session.statistics.netInputBytes += incoming.readableBytes
        refreshLimits()
        if readBuffer.readableBytes == 0 {
            readBuffer = incoming
        } else {
            readBuffer.writeBuffer(&incoming)
        }
        process(context: context, session: session)
    }

    private func process(context: ChannelHandlerContext, session: ClientSession) {
        // A blocked session leaves its input queued until the wait ends (`resume`), and one
        // whose next request waits for upstream replies until they arrive (`upstreamDelivered`).
        defer { session.flushUpstream() }
        while !closing && !session.isBlocked && !session.isWaitingForUpstream && !session.isPostponed {
            if !holdingFrame {
                let framed: Bool
                do {
                    framed = try parser.next(
                        from: &readBuffer,
                        into: &session.frame,
                        authenticated: session.authenticated
                    )
                } catch {
                    protocolError(error, context: context, session: session)
                    return
                }
                guard framed else { break }
            }
            if let resumeAfterPause, session.postponeIfPaused(resume: resumeAfterPause) {
                holdingFrame = true
                break
            }
            holdingFrame = false
            session.dispatch()
            session.frame.reset()
            if session.closeAfterReply {
                closeWhenDone(context: context, session: session)
                return
            }
        }
        if readBuffer.readableBytes > queryBufferLimit {
            server.logger.warning(
                "closing client that reached max query buffer length",
                metadata: ["client": "\(session.record.address)", "bytes": "\(readBuffer.readableBytes)"]
            )
            server.statistics.update { $0.queryBufferLimitDisconnections += 1 }
            closing = true
            context.close(promise: nil)
            return
        }
        if readBuffer.readableBytes == 0 {
            readBuffer.clear()
        } else if readBuffer.readerIndex > 64 * 1024 && !parser.isInsideRequest || readBuffer.readerIndex > 1 << 20 {
            // Offsets of a partial request are relative to the reader index: compaction is safe.
            readBuffer.discardReadBytes()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard session != nil, !closing else { return }
        flushReplies(context: context)
        context.fireChannelReadComplete()
    }

    /// The wait of this connection's blocking command ended: its reply goes out, then the
    /// requests that arrived meanwhile run.
    private func resume(after blocked: BlockedClient, context: ChannelHandlerContext) {
        guard let session, !closing, session.endWait(blocked) else { return }
        process(context: context, session: session)
        flushReplies(context: context)
    }

    /// A CLIENT PAUSE that held this connection's request ended: the request runs, then the
    /// ones that arrived meanwhile.
    private func resumeAfterPause(context: ChannelHandlerContext) {
        guard let session, !closing, session.isPostponed else { return }
        session.endPostponement()
        process(context: context, session: session)
        flushReplies(context: context)
    }

    /// Upstream replies for this session arrived: a request held back for them goes out and
    /// reading goes on, then what can be written is.
    private func upstreamDelivered(context: ChannelHandlerContext) {
        guard let session else { return }
        if closeWhenForwardingDone {
            let ready = takeReplies(session)
            if session.isForwardingIdle {
                closeAfterWriting(ready, context: context)
            } else if ready.readableBytes > 0 {
                context.writeAndFlush(wrapOutboundOut(ready), promise: nil)
            }
            return
        }
        guard !closing else { return }
        session.sendParkedIfReady()
        // Reads on if it had stopped for these replies (a no-op when no whole request waits).
        process(context: context, session: session)
        flushReplies(context: context)
    }

    /// Stops reading and closes after the replies still owed, forwarded ones included.
    private func closeWhenDone(context: ChannelHandlerContext, session: ClientSession) {
        closing = true
        if session.isForwardingIdle {
            closeAfterWriting(takeReplies(session), context: context)
        } else {
            closeWhenForwardingDone = true
            let ready = takeReplies(session)
            if ready.readableBytes > 0 { context.writeAndFlush(wrapOutboundOut(ready), promise: nil) }
        }
    }

    /// Writes the replies of the requests processed so far and publishes the session's state.
    private func flushReplies(context: ChannelHandlerContext) {
        guard let session, !closing else { return }
        if session.out.readableBytes > 0 || session.hasForwardedReplies {
            let replies = takeReplies(session)
            if replies.readableBytes > 0 {
                session.statistics.writes += 1
                context.writeAndFlush(wrapOutboundOut(replies), promise: nil)
                if session.enforceOutputBufferLimit() { return }
            }
        }
        session.publishRecord(
            lastCommand: session.command?.name,
            queued: readBuffer.readableBytes,
            now: Clocks.monotonicNanoseconds()
        )
        session.mergeStatistics()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleTimeoutEvent || event is ShutdownEvent {
            guard let session, !closing else { return }
            if event is IdleTimeoutEvent {
                // Sent by the clients cron, which read a snapshot: the session decides.
                guard session.isIdleTimedOut(now: Clocks.monotonicNanoseconds()) else { return }
                server.logger.debug("closing idle client", metadata: ["client": "\(session.record.address)"])
            }
            closeWhenDone(context: context, session: session)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Pending output fell under the low-water mark, or rose over the high one: CLIENT LIST's
    /// `omem` follows.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let session, !closing, context.channel.isWritable {
            session.publishOutputBytes((try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        server.logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    /// Broken protocol: answer `-ERR Protocol error: ...` after the replies already due, then
    /// close, as Redis does. Other connections are untouched.
    private func protocolError(_ error: RESPProtocolError, context: ChannelHandlerContext, session: ClientSession) {
        server.logger.info(
            "protocol error from client",
            metadata: ["client": "\(session.record.address)", "error": "\(error.message)"]
        )
        session.replyError("ERR " + error.message)
        closing = true
        closeAfterWriting(takeReplies(session), context: context)
    }

    private func takeReplies(_ session: ClientSession) -> ByteBuffer {
        let replies: ByteBuffer
        if session.hasForwardedReplies {
            replies = session.takeDeliverableReplies()
        } else {
            replies = session.out
            session.out.clear()
        }
        session.statistics.netOutputBytes += replies.readableBytes
        return replies
    }

    private func closeAfterWriting(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        let channel = context.channel
        if buffer.readableBytes == 0 {
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    private func refreshLimits() {
        let generation = server.configurationGeneration.load(ordering: .acquiring)
        guard generation != configurationGeneration else { return }
        configurationGeneration = generation
        parser.limits = server.protocolLimits
        queryBufferLimit = server.config.limits.clientQueryBufferLimit
    }
}

@available(*, unavailable)
extension RESPSessionHandler: Sendable {}
