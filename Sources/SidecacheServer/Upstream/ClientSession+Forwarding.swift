import NIOCore
import SidecacheEngine
import SidecacheRESP
import SidecacheUpstream

/// Forwarding requests upstream, with an upstream configured: every command except the
/// sidecar's own (`ForwardingRules.isLocal`) goes to the node, and its reply comes back in
/// request order among the local ones (`ForwardedReplies`).
extension ClientSession: UpstreamReplySink {
    /// Forwards the current request, or refuses it, when it is not one the sidecar answers;
    /// returns `false` to let the local dispatch handle it.
    func dispatchForwarded(suppressed: Bool) -> Bool {
        let top = frame.withArgument(0) { server.table.lookup($0) }
        // Inside MULTI everything is queued upstream, as redis-server queues it, bar the
        // commands that act on the connection itself.
        if forwarding!.inTransaction {
            if let top, top.name == "quit" || top.name == "reset" { return false }
        } else if let top, ForwardingRules.isLocal(top) {
            return false
        }
        // Unknown names and NOAUTH get the local answers, in redis-server's order.
        guard let top, authenticated else { return false }
        if ForwardingRules.isUnsupportedSubscription(top) {
            replyError(
                "ERR \(top.name.uppercased()) is not available with an upstream in this version of sidecache; subscribe at the upstream server directly"
            )
            return true
        }
        var spec = top
        if top.isContainer, frame.count >= 2, let sub = frame.withArgument(1, { top.subcommand($0) }) { spec = sub }
        command = spec
        forward(spec, suppressed: suppressed)
        return true
    }

    private func forward(_ spec: CommandSpec, suppressed: Bool) {
        let change = ForwardingRules.pinChange(spec)
        if forwarding!.pinBroken, forwarding!.isPinned || change == .endAfterSending {
            return refuseAfterBrokenPin(change)
        }
        var timeout: Int?
        var dedicated = forwarding!.isPinned || change == .startTransaction || change == .startWatch
        if spec.flags.contains(.blocking), !forwarding!.inTransaction,
            let wait = ForwardingRules.blockingTimeout(spec, frame, commandTimeout: server.upstreamCommandTimeout)
        {
            timeout = wait
            dedicated = true
        }
        let connection = dedicated ? dedicatedConnection() : sharedConnection()
        var selectsDatabase: Int?
        if forwarding!.inTransaction, spec.name == "select", frame.count == 2, let index = frame.integer(1),
            (0..<Int64(server.keyspace.databaseCount)).contains(index)
        {
            forwarding!.queuedSelect = Int(index)
        }
        if change == .endAfterSending {
            if spec.name == "exec" { selectsDatabase = forwarding!.queuedSelect }
            forwarding!.queuedSelect = nil
        }
        switch change {
        case .startTransaction: forwarding!.inTransaction = true
        case .startWatch: if !forwarding!.inTransaction { forwarding!.watching = true }
        case .endAfterSending: (forwarding!.inTransaction, forwarding!.watching) = (false, false)
        case .unwatch: if !forwarding!.inTransaction { forwarding!.watching = false }
        case .none: break
        }
        var prefix: ByteBuffer?
        if out.readableBytes > 0 {
            prefix = out
            out = forwarding!.allocator.buffer(capacity: 256)
        }
        let tag = forwarding!.replies.append(
            ForwardedReplies.Entry(
                prefix: prefix,
                reply: nil,
                suppressed: suppressed,
                commandID: spec.id,
                startedNanoseconds: Clocks.monotonicNanoseconds(),
                selectsDatabase: selectsDatabase
            )
        )
        let switching = forwarding!.activeConnection.map { $0 !== connection } ?? false
        if forwarding!.inFlight > 0 && (switching || forwarding!.awaitingDatabaseChange) {
            forwarding!.parked = SessionForwarding.Parked(
                connection: connection,
                frame: RESPCommandFrame(frame.arguments),
                tag: tag,
                timeoutMilliseconds: timeout
            )
            return
        }
        send(frame, on: connection, tag: tag, timeout: timeout)
        if selectsDatabase != nil { forwarding!.awaitingDatabaseChange = true }
    }

    private func send(_ request: RESPCommandFrame, on connection: UpstreamConnection, tag: UInt64, timeout: Int?) {
        if let failure = connection.send(request, database: database, sink: self, tag: tag, timeoutMilliseconds: timeout) {
            return complete(tag: tag, with: Self.errorLine(failure, allocator: forwarding!.allocator))
        }
        forwarding!.inFlight += 1
        forwarding!.activeConnection = connection
        if forwarding!.unflushed.last !== connection { forwarding!.unflushed.append(connection) }
    }

    /// MULTI or WATCH state was lost with the dedicated connection: refuse until it ends.
    private func refuseAfterBrokenPin(_ change: ForwardingRules.PinChange) {
        let ends = change == .endAfterSending || (change == .unwatch && !forwarding!.inTransaction)
        switch ends {
        case true:
            let exec = command?.name == "exec"
            (forwarding!.inTransaction, forwarding!.watching, forwarding!.pinBroken) = (false, false, false)
            if exec {
                replyError("EXECABORT Transaction discarded because the upstream connection was lost")
            } else {
                out.writeStaticString("+OK\r\n")
            }
        case false:
            replyError("ERR the upstream connection of this transaction was lost; send DISCARD or EXEC to end it")
        }
    }

    private func sharedConnection() -> UpstreamConnection {
        forwarding!.pool.connection(node: 0, affinity: Int(truncatingIfNeeded: record.id), protocolVersion: protocolVersion)
    }

    private func dedicatedConnection() -> UpstreamConnection {
        if let connection = forwarding!.dedicated, connection.settings.protocolVersion == protocolVersion {
            return connection
        }
        forwarding!.dedicated?.close()
        let connection = forwarding!.pool.dedicatedConnection(node: 0, protocolVersion: protocolVersion)
        forwarding!.dedicated = connection
        return connection
    }

    /// Hands what this client queued to its connections' sockets; once per read.
    func flushUpstream() {
        guard forwarding != nil, !forwarding!.unflushed.isEmpty else { return }
        for connection in forwarding!.unflushed { connection.flush() }
        forwarding!.unflushed.removeAll(keepingCapacity: true)
    }

    /// Sends the parked request once the requests it waited for are answered.
    func sendParkedIfReady() {
        guard let parked = forwarding?.parked, forwarding!.inFlight == 0 else { return }
        forwarding!.parked = nil
        send(parked.frame, on: parked.connection, tag: parked.tag, timeout: parked.timeoutMilliseconds)
        flushUpstream()
    }

    /// Whether the session waits for upstream replies before reading on: a request is parked,
    /// or an EXEC that may change the database has not answered yet.
    var isWaitingForUpstream: Bool {
        guard let forwarding else { return false }
        return forwarding.parked != nil || forwarding.awaitingDatabaseChange
    }

    /// Whether nothing is waiting upstream.
    var isForwardingIdle: Bool { forwarding?.isIdle ?? true }

    /// The replies that can go to the client now, in order.
    func takeDeliverableReplies() -> ByteBuffer {
        var output = forwarding!.allocator.buffer(capacity: 0)
        forwarding!.replies.drain(into: &output, local: &client.out)
        return output
    }

    var hasForwardedReplies: Bool { !(forwarding?.replies.isEmpty ?? true) }

    /// RESET, or the connection closed: the client's own upstream connection goes, with the
    /// MULTI and WATCH state it held.
    func releaseUpstreamConnection() {
        guard forwarding != nil else { return }
        forwarding!.dedicated?.close()
        forwarding!.dedicated = nil
        (forwarding!.inTransaction, forwarding!.watching, forwarding!.pinBroken) = (false, false, false)
    }

    // MARK: UpstreamReplySink

    func receiveUpstreamReply(_ reply: UpstreamReply, tag: UInt64) {
        guard forwarding != nil else { return }
        forwarding!.inFlight -= 1
        switch reply {
        case .reply(let bytes):
            complete(tag: tag, with: bytes)
        case .failure(let failure):
            if forwarding!.isPinned { forwarding!.pinBroken = true }
            complete(tag: tag, with: Self.errorLine(failure, allocator: forwarding!.allocator))
        }
    }

    func upstreamRepliesDelivered() {
        onUpstreamDelivery?()
    }

    private func complete(tag: UInt64, with reply: ByteBuffer) {
        guard let entry = forwarding!.replies.fill(tag: tag, with: reply) else { return }
        let first = reply.readableBytesView.first
        if let selected = entry.selectsDatabase {
            forwarding!.awaitingDatabaseChange = false
            // `*-1` (aborted by WATCH) and errors ran nothing; an array ran the SELECT.
            if first == UInt8(ascii: "*"), reply.getInteger(at: reply.readerIndex + 1, as: UInt8.self) != UInt8(ascii: "-") {
                database = selected
                forwarding!.dedicated?.assumeDatabase(selected)
            }
        }
        let failed = first == UInt8(ascii: "-") || first == UInt8(ascii: "!")
        if failed { client.errorReplies += 1 }
        let elapsed = Int((Clocks.monotonicNanoseconds() &- entry.startedNanoseconds) / 1000)
        statistics.recordCall(commandID: entry.commandID, microseconds: elapsed, failed: failed)
    }

    private static func errorLine(_ failure: UpstreamFailure, allocator: ByteBufferAllocator) -> ByteBuffer {
        var line = allocator.buffer(capacity: failure.message.utf8.count + 3)
        line.writeRESPError(failure.message)
        return line
    }
}
