import NIOCore
import SidecacheEngine
import SidecachePolicy
import SidecacheRESP
import SidecacheUpstream

/// The cache tier in a session's request path, ahead of forwarding: reads of `cache` keys are
/// answered from fresh local copies, remembered misses and the Bloom guard, or wait for a
/// (single-flight) fill; writes are forwarded and drop the local copies once acknowledged,
/// and again after `double_delete_delay`; `local` keys never leave the sidecar.
extension ClientSession {
    enum CacheRoute {
        /// Forward as usual (with `nextInvalidation` attached when it is a write).
        case forward
        /// Answer from the local engine.
        case local
        /// Answered, or waiting for fills.
        case handled
    }

    func routeThroughCache(_ spec: CommandSpec, _ change: ForwardingRules.PinChange, suppressed: Bool) -> CacheRoute {
        guard let tier = server.cache else { return .forward }
        forwarding!.cache!.nextInvalidation = nil
        let kind = tier.commandKinds[spec.id]
        if change == .endAfterSending, let queued = forwarding!.cache!.transactionInvalidation {
            forwarding!.cache!.transactionInvalidation = nil
            if kind == .exec { forwarding!.cache!.nextInvalidation = queued }
        }
        switch kind {
        case .flushDatabase:
            noteWrite(CacheInvalidation(scope: .database, database: database, deletes: false), change)
            return .forward
        case .flushEverything:
            noteWrite(CacheInvalidation(scope: .everything, database: database, deletes: false), change)
            return .forward
        case .other, .delete, .exec:
            break
        }
        let positions = spec.requestKeyPositions(in: frame)
        guard !positions.isEmpty else { return .forward }
        if positions.count == 1, !spec.flags.contains(.write), let rule = singleKeyHit(spec, at: positions[0], tier: tier) {
            forwarding!.cache!.counters[rule].hits += 1
            forwarding!.cache!.countersDirty = true
            return .local
        }
        var keys: [(key: [UInt8], rule: Int)] = []
        var localKeys = 0
        var uncached = 0
        for position in positions {
            frame.withArgument(position) { key in
                guard let rule = tier.policy.ruleIndex(for: key) else { return uncached += 1 }
                switch tier.policy.rules[rule].mode {
                case .cache: keys.append((Array(key), rule))
                case .local: localKeys += 1
                case .bypass: uncached += 1
                }
            }
        }
        if localKeys > 0 {
            if localKeys == positions.count && !forwarding!.isPinned { return .local }
            replyError(
                forwarding!.isPinned
                    ? "ERR keys under a local cache rule cannot be used inside MULTI or WATCH with an upstream"
                    : "ERR this command mixes keys of a local cache rule with keys that live upstream"
            )
            return .handled
        }
        guard !keys.isEmpty else { return .forward }
        if spec.flags.contains(.write) {
            noteWrite(CacheInvalidation(scope: .keys(keys), database: database, deletes: kind == .delete), change)
            return .forward
        }
        guard uncached == 0, !forwarding!.isPinned, change == .none, forwarding!.cache!.writesInFlight == 0,
            keys.allSatisfy({ tier.answered[$0.rule][spec.id] })
        else { return .forward }
        return readThroughCache(spec, keys, tier: tier, suppressed: suppressed)
    }

    /// The common read, one key with a fresh local copy, checked without copying the key:
    /// its rule's index, or `nil` for the general path.
    private func singleKeyHit(_ spec: CommandSpec, at position: Int, tier: CacheTier) -> Int? {
        guard !forwarding!.isPinned, forwarding!.cache!.writesInFlight == 0 else { return nil }
        return frame.withArgument(position) { key -> Int? in
            guard let rule = tier.policy.ruleIndex(for: key), tier.policy.rules[rule].mode == .cache,
                tier.answered[rule][spec.id], tier.isFreshWithoutStaleWindow(key, rule: rule, database: database)
            else { return nil }
            return rule
        }
    }

    /// A write: its invalidation rides on its reply entry, or on the transaction's EXEC.
    private func noteWrite(_ invalidation: CacheInvalidation, _ change: ForwardingRules.PinChange) {
        if forwarding!.inTransaction || change == .startTransaction {
            let queued = forwarding!.cache!.transactionInvalidation
            forwarding!.cache!.transactionInvalidation = queued.map { $0.merged(with: invalidation) } ?? invalidation
        } else {
            forwarding!.cache!.nextInvalidation = invalidation
        }
    }

    private func readThroughCache(
        _ spec: CommandSpec, _ keys: [(key: [UInt8], rule: Int)], tier: CacheTier, suppressed: Bool
    ) -> CacheRoute {
        let (states, present) = tier.check(keys, database: database)
        var missing: [Int] = []
        for (index, state) in states.enumerated() {
            let rule = keys[index].rule
            switch state {
            case .fresh: forwarding!.cache!.counters[rule].hits += 1
            case .knownMissing: forwarding!.cache!.counters[rule].nullHits += 1
            case .rejected: forwarding!.cache!.counters[rule].bloomRejections += 1
            case .missing: missing.append(index)
            }
        }
        forwarding!.cache!.countersDirty = true
        if missing.isEmpty { return .local }
        let entry = appendEntry(spec, suppressed: suppressed)
        let tag = ForwardedReplies.tag(entry: entry, piece: 0, node: 0)
        var miss = PendingMiss(
            spec: spec, frame: RESPCommandFrame(frame.arguments), database: database, protocolVersion: protocolVersion,
            keys: keys, values: present
        )
        let waiter = CacheWaiter(session: NIOLoopBound(self, eventLoop: record.channel.eventLoop), tag: tag)
        var fetches: [(flight: FillFlights<CacheWaiter>.Flight, rule: Int, node: Int)] = []
        for index in missing {
            let key = keys[index]
            guard let node = cacheNode(for: key.key) else {
                miss.failure = miss.failure ?? "CLUSTERDOWN Hash slot not served"
                continue
            }
            let (flight, isNew) = tier.join(CacheKey(database: database, key: key.key), rule: key.rule, waiter: waiter)
            if isNew { fetches.append((flight, key.rule, node)) }
            miss.remaining += 1
            miss.nodes.append(node)
            // Counted as in flight on no connection of the session's, so that its later
            // forwarded requests to the node wait for the fill (a write must not overtake it).
            forwarding!.ensureNode(node)
            forwarding!.flights[node].count += 1
            forwarding!.flights[node].connection = nil
        }
        guard miss.remaining > 0 else {
            complete(tag: tag, with: answer(miss))
            return .handled
        }
        // Stored before the fetches start: one refused at once (node ejected) completes here.
        forwarding!.cache!.misses[tag] = miss
        for fetch in fetches {
            CacheFetch.start(fetch.flight, rule: fetch.rule, tier: tier, connection: sharedConnection(fetch.node))
        }
        return .handled
    }

    /// The node that holds `key`, or `nil` when none does now.
    private func cacheNode(for key: [UInt8]) -> Int? {
        if forwarding!.router.hasOneNode {
            guard case .success(let node) = forwarding!.router.oneNode() else { return nil }
            return node
        }
        guard case .success(let map) = forwarding!.currentKeyMap() else { return nil }
        let node = key.withUnsafeBytes { map.locate($0).node }
        return node >= 0 ? node : nil
    }

    /// A fill this session waited for is done (on the session's event loop).
    func cacheFetchCompleted(tag: UInt64, key: [UInt8], _ result: CacheFetchResult) {
        guard forwarding != nil, var miss = forwarding!.cache!.misses[tag], let tier = server.cache else { return }
        miss.remaining -= 1
        switch result {
        case .value(let value, _, _):
            miss.values[key] = value
        case .missing:
            miss.values[key] = nil
        case .failed(let message):
            let rule = miss.keys.first { $0.key == key }?.rule ?? 0
            if let stale = tier.staleCopy(key, rule: rule, database: miss.database) {
                miss.values[key] = stale
            } else if message.hasPrefix("MOVED ") || message.hasPrefix("ASK ") {
                // Cluster mode, a slot on the move: a redirection would confuse a client that
                // does not know it talks to a cluster. The map is read again for the next read.
                if case .cluster(let topology) = forwarding!.router.topology { topology.refresh() }
                miss.failure = miss.failure ?? "ERR the key's slot is moving between cluster nodes; try again"
            } else {
                miss.failure = miss.failure ?? message
            }
        }
        guard miss.remaining == 0 else {
            forwarding!.cache!.misses[tag] = miss
            return
        }
        forwarding!.cache!.misses[tag] = nil
        for node in miss.nodes { forwarding!.flights[node].count -= 1 }
        complete(tag: tag, with: answer(miss))
        // Fills complete while an upstream read is delivered: hand the replies on once, at
        // the end of this event-loop turn, rather than one write per fill.
        guard !forwarding!.cache!.deliveryScheduled else { return }
        forwarding!.cache!.deliveryScheduled = true
        let session = NIOLoopBound(self, eventLoop: record.channel.eventLoop)
        record.channel.eventLoop.execute {
            guard session.value.forwarding?.cache != nil else { return }
            session.value.forwarding!.cache!.deliveryScheduled = false
            session.value.onUpstreamDelivery?()
        }
    }

    /// The reply of a read that waited for fills: the first failure, or the command run on a
    /// private keyspace holding exactly the values it was answered from.
    private func answer(_ miss: PendingMiss) -> ByteBuffer {
        if let failure = miss.failure {
            var line = forwarding!.allocator.buffer(capacity: failure.utf8.count + 3)
            line.writeRESPError(failure)
            return line
        }
        guard case .engine(let run) = server.handlers[miss.spec.id] else {
            var line = forwarding!.allocator.buffer(capacity: 64)
            line.writeRESPError("ERR '\(miss.spec.name)' cannot be answered from the cache tier")
            return line
        }
        if forwarding!.cache!.scratch == nil { forwarding!.cache!.scratch = Keyspace(databases: 1) }
        let scratch = forwarding!.cache!.scratch!
        let saved = (client.frame, client.out, client.database, client.protocolVersion, client.errorReplies, client.failed)
        client.frame = miss.frame
        client.out = forwarding!.allocator.buffer(capacity: 64)
        client.database = miss.database
        client.protocolVersion = miss.protocolVersion
        scratch.withState { state in
            let db = state.database(0)
            _ = db.removeAll()
            for (key, value) in miss.values { key.withUnsafeBytes { _ = db.addRestored($0, value) } }
            run(client, db)
            _ = db.removeAll()
        }
        let reply = client.out
        (client.frame, client.out, client.database, client.protocolVersion, client.errorReplies, client.failed) = saved
        return reply
    }

    /// A write to cached keys was answered: drop the local copies now, and again after the
    /// rule's delay (repeating a DEL upstream too under `double_delete: upstream`).
    func finishCachedWrite(_ invalidation: CacheInvalidation) {
        guard let tier = server.cache, forwarding?.cache != nil else { return }
        forwarding!.cache!.writesInFlight -= 1
        switch invalidation.scope {
        case .database: tier.dropAll(database: invalidation.database, keepStale: false)
        case .everything: tier.dropAll(database: nil, keepStale: false)
        case .keys(let keys):
            tier.invalidate(keys, database: invalidation.database, reason: .write)
            scheduleDoubleDelete(keys, invalidation, tier: tier)
        }
    }

    private func scheduleDoubleDelete(_ keys: [(key: [UInt8], rule: Int)], _ invalidation: CacheInvalidation, tier: CacheTier) {
        var byDelay: [Int64: [(key: [UInt8], rule: Int)]] = [:]
        for key in keys where tier.policy.rules[key.rule].doubleDeleteDelayMilliseconds > 0 {
            byDelay[tier.policy.rules[key.rule].doubleDeleteDelayMilliseconds, default: []].append(key)
        }
        let pool = forwarding!.pool
        let database = invalidation.database
        for (delay, group) in byDelay {
            let upstream = invalidation.deletes
                ? group.filter { tier.policy.rules[$0.rule].doubleDeletesUpstream }.compactMap { key in cacheNode(for: key.key).map { (key.key, $0) } }
                : []
            record.channel.eventLoop.scheduleTask(in: .milliseconds(delay)) {
                tier.invalidate(group, database: database, reason: .doubleDelete)
                for (key, node) in upstream {
                    let connection = pool.connection(node: node, affinity: 0, protocolVersion: .resp2)
                    _ = connection.send(RESPCommandFrame([Array("DEL".utf8), key]), database: database, sink: DiscardingSink.shared, tag: 0)
                    connection.flush()
                }
            }
        }
    }

    /// Hands this session's cache counters to the tier's totals.
    func mergeCacheCounters() {
        guard forwarding?.cache?.countersDirty == true, let tier = server.cache else { return }
        tier.merge(forwarding!.cache!.counters)
        for index in forwarding!.cache!.counters.indices { forwarding!.cache!.counters[index] = CacheCounters() }
        forwarding!.cache!.countersDirty = false
    }
}

/// Drops the replies of the sidecar's own fire-and-forget requests (delayed upstream DELs).
final class DiscardingSink: UpstreamReplySink, @unchecked Sendable {
    static let shared = DiscardingSink()
    func receiveUpstreamReply(_ reply: UpstreamReply, tag: UInt64) {}
    func upstreamRepliesDelivered() {}
}
