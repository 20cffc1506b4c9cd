import NIOCore
import SidecacheEngine
import SidecacheRESP
import SidecacheUpstream

/// Forwarding requests upstream, with an upstream configured: every command except the
/// sidecar's own (`ForwardingRules.isLocal`) goes to the node the router picks, and its reply
/// comes back in request order among the local ones (`ForwardedReplies`).
extension ClientSession: UpstreamReplySink {
    /// Forwards the current request, or refuses it, when it is not one the sidecar answers;
    /// returns `false` to let the local dispatch handle it.
    func dispatchForwarded(suppressed: Bool) -> Bool {
        let top = frame.withArgument(0) { server.table.lookup($0) }
        // Unknown names, NOAUTH and RESP2's subscribed mode get the local answers, in
        // redis-server's order.
        guard let top, authenticated else { return false }
        if subscriptions.isActive && protocolVersion == .resp2 && !PubSubCommands.allowedInSubscribedMode(top.name) {
            return false
        }
        let kind = server.forwardingKinds[top.id]
        // Inside MULTI everything is queued upstream, as redis-server queues it, bar the
        // commands that act on the connection itself.
        if forwarding!.inTransaction {
            if top.name == "quit" || top.name == "reset" { return false }
        } else if case .local = kind {
            return false
        }
        if case .refusedSubscription = kind {
            replyError(
                "ERR \(top.name.uppercased()) is not available with an upstream in this version of sidecache; subscribe at the upstream server directly"
            )
            return true
        }
        var spec = top
        if top.isContainer, frame.count >= 2, let sub = frame.withArgument(1, { top.subcommand($0) }) { spec = sub }
        command = spec
        guard admitForwarded(spec, suppressed: suppressed) else { return true }
        var change = ForwardingRules.PinChange.none
        if case .forwarded(let pin) = server.forwardingKinds[spec.id] {
            change = pin
        } else if !forwarding!.inTransaction {
            // A container whose subcommand is the sidecar's own (none today): answered here.
            return false
        }
        if forwarding!.cache != nil {
            switch routeThroughCache(spec, change, suppressed: suppressed) {
            case .forward: break
            case .local: return false
            case .handled:
                observe(spec, microseconds: 0)
                return true
            }
        }
        // A lost connection of the client's own is replaced only between transactions; within
        // one, its requests fail and the transaction is discarded.
        if !forwarding!.isPinned { forwarding!.dropClosedDedicated() }
        if forwarding!.pinBroken, forwarding!.isPinned || change == .endAfterSending {
            refuseAfterBrokenPin(change)
        } else if forwarding!.router.hasOneNode {
            switch forwarding!.router.oneNode() {
            case .success(let node): forwardToSingleNode(spec, change, node: node, suppressed: suppressed)
            case .failure(let refused): if !suppressed { replyError(refused.message) }
            }
        } else {
            forwardByKey(spec, change, suppressed: suppressed)
        }
        // MONITOR shows forwarded commands as they are sent (their run time is upstream's).
        observe(spec, microseconds: 0)
        return true
    }

    // MARK: Single node

    /// Single server or Sentinel's primary: `node` (a transaction stays on the node it began on).
    private func forwardToSingleNode(_ spec: CommandSpec, _ change: ForwardingRules.PinChange, node current: Int, suppressed: Bool) {
        let node = forwarding!.isPinned ? forwarding!.pinnedNode ?? current : current
        var timeout: Int?
        var dedicated = forwarding!.isPinned || change == .startTransaction || change == .startWatch
        if let wait = blockingWait(spec) {
            timeout = wait
            dedicated = true
        }
        var selectsDatabase: Int?
        if forwarding!.inTransaction, spec.name == "select", frame.count == 2, let index = frame.integer(1),
            (0..<Int64(server.keyspace.databaseCount)).contains(index)
        {
            forwarding!.queuedSelect = Int(index)
        }
        if change == .endAfterSending, spec.name == "exec" { selectsDatabase = forwarding!.queuedSelect }
        switch change {
        case .startTransaction: forwarding!.inTransaction = true
        case .startWatch: if !forwarding!.inTransaction { forwarding!.watching = true }
        case .endAfterSending: endPin()
        case .unwatch: if !forwarding!.inTransaction { forwarding!.watching = false }
        case .none: break
        }
        if forwarding!.isPinned { forwarding!.pinnedNode = node }
        let connection = dedicated ? dedicatedConnection(node) : sharedConnection(node)
        let entry = appendEntry(spec, suppressed: suppressed, selectsDatabase: selectsDatabase)
        submit(node: node, connection: connection, tag: ForwardedReplies.tag(entry: entry, piece: 0, node: node), timeout: timeout)
        if selectsDatabase != nil { forwarding!.awaitingDatabaseChange = true }
    }

    // MARK: Shards

    /// Shards and cluster slots: each command to the node of its keys.
    private func forwardByKey(_ spec: CommandSpec, _ change: ForwardingRules.PinChange, suppressed: Bool) {
        let keys: KeyMap
        switch forwarding!.currentKeyMap() {
        case .success(let map): keys = map
        case .failure(let refused): return suppressed ? () : replyError(refused.message)
        }
        if forwarding!.inTransaction || change != .none {
            return forwardPinnedByKey(spec, change, keys: keys, suppressed: suppressed)
        }
        switch forwarding!.router.route(spec, frame, keys: keys) {
        case .refuse(let message):
            if !suppressed { replyError(message) }
        case .node(let primary):
            let timeout = blockingWait(spec)
            let node = timeout == nil ? readTarget(spec, primary: primary, keys: keys) : primary
            let connection = timeout != nil ? dedicatedConnection(node) : sharedConnection(node, readOnly: node != primary)
            let entry = appendEntry(spec, suppressed: suppressed)
            submit(node: node, connection: connection, tag: ForwardedReplies.tag(entry: entry, piece: 0, node: node), timeout: timeout)
        case .split(let parts, let merge):
            let pieces = ForwardedReplies.Pieces(
                merge: merge,
                replies: Array(repeating: nil, count: parts.count),
                protocolVersion: protocolVersion,
                allocator: forwarding!.allocator
            )
            let entry = appendEntry(spec, suppressed: suppressed, pieces: pieces)
            let sends = parts.enumerated().map { piece, part in
                let node = readTarget(spec, primary: part.node, keys: keys)
                return SessionForwarding.Send(
                    node: node,
                    connection: sharedConnection(node, readOnly: node != part.node),
                    frame: part.frame,
                    tag: ForwardedReplies.tag(entry: entry, piece: piece, node: node),
                    timeoutMilliseconds: nil
                )
            }
            submit(sends)
        }
    }

    /// MULTI, WATCH and what runs inside them, with shards or slots: everything on the client's
    /// own connection to the one node that holds the transaction's keys. MULTI is answered here
    /// and sent on once the first queued command shows which node that is.
    private func forwardPinnedByKey(
        _ spec: CommandSpec, _ change: ForwardingRules.PinChange, keys: KeyMap, suppressed: Bool
    ) {
        let inTransaction = forwarding!.inTransaction
        switch change {
        case .startWatch where !inTransaction:
            guard case .node(let node) = forwarding!.router.placement(spec, frame, keys: keys),
                forwarding!.pinnedNode == nil || forwarding!.pinnedNode == node
            else { return replyError(keys.crossGroupError(spec)) }
            forwarding!.pinnedNode = node
            forwarding!.watching = true
            sendPinned(spec, node: node, suppressed: suppressed)
        case .startTransaction where !inTransaction:
            forwarding!.inTransaction = true
            if let node = forwarding!.pinnedNode {
                sendPinned(spec, node: node, suppressed: suppressed)
            } else {
                forwarding!.multiDeferred = true
                if !suppressed { out.writeStaticString("+OK\r\n") }
            }
        case .endAfterSending where inTransaction || forwarding!.watching:
            let exec = spec.name == "exec"
            let pinned = forwarding!.pinnedNode
            let deferred = forwarding!.multiDeferred
            let spansShards = forwarding!.transactionSpansShards
            endPin()
            if spansShards {
                if !deferred, let node = pinned { sendInternal(["DISCARD"], node: node) }
                if exec { replyError("EXECABORT Transaction discarded because of previous errors.") } else if !suppressed {
                    out.writeStaticString("+OK\r\n")
                }
            } else if deferred {
                // Nothing was queued: redis-server answers an empty EXEC (or DISCARD's OK).
                if !suppressed { out.writeStaticString(exec ? "*0\r\n" : "+OK\r\n") }
            } else {
                sendPinned(spec, node: pinned ?? 0, suppressed: suppressed)
            }
        case .unwatch where !inTransaction:
            if forwarding!.watching, let node = forwarding!.pinnedNode {
                forwarding!.watching = false
                forwarding!.pinnedNode = nil
                sendPinned(spec, node: node, suppressed: suppressed)
            } else if !suppressed {
                out.writeStaticString("+OK\r\n")
            }
        default:
            guard inTransaction else {
                // WATCHing outside MULTI: other commands go their usual way.
                forwarding!.watching = false
                defer { forwarding!.watching = true }
                return forwardByKey(spec, .none, suppressed: suppressed)
            }
            var node = forwarding!.pinnedNode ?? 0
            switch forwarding!.router.placement(spec, frame, keys: keys) {
            case .node(let keyNode): node = keyNode
            case .noKeys: break
            case .refused(let message):
                forwarding!.transactionSpansShards = true
                return replyError(message)
            }
            if let pinned = forwarding!.pinnedNode, pinned != node {
                forwarding!.transactionSpansShards = true
                return replyError(
                    "ERR this command's keys live on another shard than the transaction's; sharded mode runs a transaction on one shard only"
                )
            }
            forwarding!.pinnedNode = node
            if forwarding!.multiDeferred {
                forwarding!.multiDeferred = false
                sendInternal(["MULTI"], node: node)
            }
            sendPinned(spec, node: node, suppressed: suppressed)
        }
    }

    private func sendPinned(_ spec: CommandSpec, node: Int, suppressed: Bool) {
        let entry = appendEntry(spec, suppressed: suppressed)
        submit(node: node, connection: dedicatedConnection(node), tag: ForwardedReplies.tag(entry: entry, piece: 0, node: node), timeout: nil)
    }

    /// A request of the sidecar's own on the client's connection to `node`, its reply dropped.
    private func sendInternal(_ arguments: [String], node: Int) {
        let entry = forwarding!.replies.append(
            ForwardedReplies.Entry(prefix: takeLocalReplies(), reply: nil, suppressed: true, commandID: -1, startedNanoseconds: 0)
        )
        submit([
            SessionForwarding.Send(
                node: node,
                connection: dedicatedConnection(node),
                frame: RESPCommandFrame(strings: arguments),
                tag: ForwardedReplies.tag(entry: entry, piece: 0, node: node),
                timeoutMilliseconds: nil
            )
        ])
    }

    // MARK: Sending

    /// The reply wait of a blocking command (which then needs a connection of its own).
    private func blockingWait(_ spec: CommandSpec) -> Int? {
        guard spec.flags.contains(.blocking), !forwarding!.inTransaction else { return nil }
        return ForwardingRules.blockingTimeout(spec, frame, commandTimeout: server.upstreamCommandTimeout)
    }

    /// The entry of a request about to be sent; the local replies so far become its prefix.
    func appendEntry(
        _ spec: CommandSpec, suppressed: Bool, selectsDatabase: Int? = nil, pieces: ForwardedReplies.Pieces? = nil
    ) -> UInt64 {
        let now = Clocks.monotonicNanoseconds()
        forwarding!.lastSendTime = now
        let invalidation = forwarding!.cache?.nextInvalidation
        if invalidation != nil {
            forwarding!.cache!.nextInvalidation = nil
            forwarding!.cache!.writesInFlight += 1
        }
        return forwarding!.replies.append(
            ForwardedReplies.Entry(
                prefix: takeLocalReplies(),
                reply: nil,
                suppressed: suppressed,
                commandID: spec.id,
                startedNanoseconds: now,
                selectsDatabase: selectsDatabase,
                pieces: pieces,
                invalidation: invalidation
            )
        )
    }

    private func takeLocalReplies() -> ByteBuffer? {
        guard out.readableBytes > 0 else { return nil }
        let prefix = out
        out = forwarding!.allocator.buffer(capacity: 256)
        return prefix
    }

    /// Sends the current request, or parks it (a copy) when it must wait for requests in
    /// flight on another connection to the same node, or for a database change.
    private func submit(node: Int, connection: UpstreamConnection, tag: UInt64, timeout: Int?) {
        if mustWait(node: node, connection: connection) {
            let send = SessionForwarding.Send(
                node: node, connection: connection, frame: RESPCommandFrame(frame.arguments), tag: tag, timeoutMilliseconds: timeout
            )
            forwarding!.parked = SessionForwarding.Parked(sends: [send])
            return
        }
        send(frame, node: node, connection: connection, tag: tag, timeout: timeout)
    }

    private func submit(_ sends: [SessionForwarding.Send]) {
        if sends.contains(where: { mustWait(node: $0.node, connection: $0.connection) }) {
            forwarding!.parked = SessionForwarding.Parked(sends: sends)
            return
        }
        for item in sends {
            send(item.frame, node: item.node, connection: item.connection, tag: item.tag, timeout: item.timeoutMilliseconds)
        }
    }

    private func mustWait(node: Int, connection: UpstreamConnection) -> Bool {
        forwarding!.ensureNode(node)
        let flight = forwarding!.flights[node]
        if forwarding!.awaitingDatabaseChange && forwarding!.replies.count > 1 { return true }
        return flight.count > 0 && flight.connection !== connection
    }

    private func send(
        _ request: RESPCommandFrame, node: Int, connection: UpstreamConnection, tag: UInt64, timeout: Int?, redirects: Int = 0
    ) {
        if let failure = connection.send(
            request, database: database, sink: self, tag: tag, timeoutMilliseconds: timeout, now: forwarding!.lastSendTime
        ) {
            if forwarding!.isPinned { forwarding!.pinBroken = true }
            return complete(tag: tag, with: Self.errorLine(failure, allocator: forwarding!.allocator))
        }
        forwarding!.ensureNode(node)
        forwarding!.flights[node].count += 1
        forwarding!.flights[node].connection = connection
        if forwarding!.unflushed.last !== connection { forwarding!.unflushed.append(connection) }
        if case .cluster = forwarding!.router.topology, !forwarding!.isPinned {
            forwarding!.redirectable[tag] = (RESPCommandFrame(request.arguments), redirects)
        }
    }

    /// Cluster mode: a MOVED, ASK or TRYAGAIN reply sends the request again where the cluster
    /// says (at most five times); returns whether it did, so the reply is not the client's.
    private func followRedirect(_ reply: ByteBuffer, tag: UInt64, frame request: RESPCommandFrame, redirects: Int) -> Bool {
        guard case .cluster(let topology) = forwarding!.router.topology, redirects < 5,
            reply.readableBytesView.first == UInt8(ascii: "-"), let upstream = server.upstream
        else { return false }
        let node = ForwardedReplies.node(ofTag: tag)
        if reply.readableBytesView.starts(with: "-TRYAGAIN".utf8) {
            // A multi-key request during a slot migration: the keys come together again soon.
            let session = NIOLoopBound(self, eventLoop: record.channel.eventLoop)
            record.channel.eventLoop.scheduleTask(in: .milliseconds(50)) {
                let connection = session.value.sharedConnection(node)
                session.value.send(request, node: node, connection: connection, tag: tag, timeout: nil, redirects: redirects + 1)
                session.value.flushUpstream()
            }
            return true
        }
        guard let redirect = ClusterRedirect.parse(errorLine: reply, sentTo: upstream.node(node).address) else { return false }
        let target = upstream.register(redirect.address)
        let retargeted = tag & ~UInt64(0xFFFF) | UInt64(target & 0xFFFF)
        let connection = sharedConnection(target)
        switch redirect {
        case .moved(let slot, let address):
            topology.moved(slot, to: address)
        case .ask:
            // ASKING lets the importing node answer the next command for the migrating slot.
            let entry = forwarding!.replies.append(
                ForwardedReplies.Entry(prefix: takeLocalReplies(), reply: nil, suppressed: true, commandID: -1, startedNanoseconds: 0)
            )
            send(
                RESPCommandFrame(strings: ["ASKING"]), node: target, connection: connection,
                tag: ForwardedReplies.tag(entry: entry, piece: 0, node: target), timeout: nil, redirects: 5
            )
        }
        send(request, node: target, connection: connection, tag: retargeted, timeout: nil, redirects: redirects + 1)
        flushUpstream()
        return true
    }

    /// MULTI or WATCH state was lost with the dedicated connection: refuse until it ends.
    private func refuseAfterBrokenPin(_ change: ForwardingRules.PinChange) {
        let ends = change == .endAfterSending || (change == .unwatch && !forwarding!.inTransaction)
        guard ends else {
            return replyError("ERR the upstream connection of this transaction was lost; send DISCARD or EXEC to end it")
        }
        endPin()
        if command?.name == "exec" {
            replyError("EXECABORT Transaction discarded because the upstream connection was lost")
        } else {
            out.writeStaticString("+OK\r\n")
        }
    }

    private func endPin() {
        forwarding!.inTransaction = false
        forwarding!.watching = false
        forwarding!.pinBroken = false
        forwarding!.pinnedNode = nil
        forwarding!.multiDeferred = false
        forwarding!.transactionSpansShards = false
        forwarding!.queuedSelect = nil
    }

    func sharedConnection(_ node: Int, readOnly: Bool = false) -> UpstreamConnection {
        forwarding!.pool.connection(
            node: node, affinity: Int(truncatingIfNeeded: record.id), protocolVersion: protocolVersion, readOnly: readOnly
        )
    }

    /// Cluster mode's read policy: the replica a read-only command may go to instead of
    /// `primary` (which is returned when the policy, the command or the replicas say no).
    private func readTarget(_ spec: CommandSpec, primary: Int, keys: KeyMap) -> Int {
        guard forwarding!.router.readFrom != .primary, spec.flags.contains(.readonly), case .cluster(let routes) = keys,
            let replica = routes.replicaOf[primary], let upstream = server.upstream
        else { return primary }
        if forwarding!.router.readFrom == .preferReplica && upstream.node(replica).isEjected { return primary }
        return replica
    }

    private func dedicatedConnection(_ node: Int) -> UpstreamConnection {
        forwarding!.ensureNode(node)
        if let connection = forwarding!.dedicated[node], connection.settings.protocolVersion == protocolVersion {
            return connection
        }
        forwarding!.dedicated[node]?.close()
        let connection = forwarding!.pool.dedicatedConnection(node: node, protocolVersion: protocolVersion)
        forwarding!.dedicated[node] = connection
        return connection
    }

    // MARK: The session's side

    /// Hands what this client queued to its connections' sockets; once per read.
    func flushUpstream() {
        guard forwarding != nil, !forwarding!.unflushed.isEmpty else { return }
        for connection in forwarding!.unflushed { connection.flush() }
        forwarding!.unflushed.removeAll(keepingCapacity: true)
    }

    /// Sends the parked request once every request in flight is answered.
    func sendParkedIfReady() {
        guard let parked = forwarding?.parked, !forwarding!.flights.contains(where: { $0.count > 0 }) else { return }
        forwarding!.parked = nil
        forwarding!.lastSendTime = nil
        for item in parked.sends {
            send(item.frame, node: item.node, connection: item.connection, tag: item.tag, timeout: item.timeoutMilliseconds)
        }
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
        forwarding!.replies.drain(local: &client.out, allocator: forwarding!.allocator)
    }

    var hasForwardedReplies: Bool { !(forwarding?.replies.isEmpty ?? true) }

    /// RESET, or the connection closed: the client's own upstream connections go, with the
    /// MULTI and WATCH state they held.
    func releaseUpstreamConnection() {
        guard forwarding != nil else { return }
        for index in forwarding!.dedicated.indices {
            forwarding!.dedicated[index]?.close()
            forwarding!.dedicated[index] = nil
        }
        endPin()
    }

    // MARK: UpstreamReplySink

    func receiveUpstreamReply(_ reply: UpstreamReply, tag: UInt64) {
        guard forwarding != nil else { return }
        forwarding!.flights[ForwardedReplies.node(ofTag: tag)].count -= 1
        let resendable = forwarding!.redirectable.isEmpty ? nil : forwarding!.redirectable.removeValue(forKey: tag)
        switch reply {
        case .reply(let bytes):
            if let resendable, followRedirect(bytes, tag: tag, frame: resendable.frame, redirects: resendable.redirects) { return }
            complete(tag: tag, with: bytes)
        case .failure(let failure):
            if forwarding!.isPinned { forwarding!.pinBroken = true }
            // A cluster node that stopped answering may have been failed over: read the map again.
            if case .cluster(let topology) = forwarding!.router.topology { topology.refresh() }
            complete(tag: tag, with: Self.errorLine(failure, allocator: forwarding!.allocator))
        }
    }

    func upstreamRepliesDelivered() {
        onUpstreamDelivery?()
    }

    func complete(tag: UInt64, with reply: ByteBuffer) {
        guard let entry = forwarding!.replies.fill(tag: tag, with: reply), let whole = entry.reply else { return }
        if let invalidation = entry.invalidation { finishCachedWrite(invalidation) }
        let first = whole.readableBytesView.first
        if let selected = entry.selectsDatabase {
            forwarding!.awaitingDatabaseChange = false
            // `*-1` (aborted by WATCH) and errors ran nothing; an array ran the SELECT.
            if first == UInt8(ascii: "*"), whole.getInteger(at: whole.readerIndex + 1, as: UInt8.self) != UInt8(ascii: "-") {
                database = selected
                forwarding!.dedicated[ForwardedReplies.node(ofTag: tag)]?.assumeDatabase(selected)
            }
        }
        guard entry.commandID >= 0 else { return }
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
