import Logging
import NIOCore
import SidecacheEngine
import SidecachePolicy
import SidecacheUpstream

/// Starting the cache tier's background work: the invalidation links (one per node that
/// holds data: the single server, Sentinel's primary, every shard, every cluster primary),
/// the Bloom filters' builds, and in cluster mode keeping the links in step with the primaries.
extension CacheTier {
    func start(upstream: UpstreamGroup, router: UpstreamRouter, on eventLoop: any EventLoop) {
        backgroundLock.withLock { $0 = CacheBackground(upstream: upstream, router: router, eventLoop: eventLoop) }
        if tracks {
            switch router.topology {
            case .single:
                track(node: 0, upstream: upstream, eventLoop: eventLoop) { upstream.node(0).address }
            case .sentinel(let primary):
                track(node: 0, upstream: upstream, eventLoop: eventLoop) {
                    primary.currentNode.map { upstream.node($0).address }
                }
            case .sharded:
                for node in 0..<router.nodeCount {
                    track(node: node, upstream: upstream, eventLoop: eventLoop) { upstream.node(node).address }
                }
            case .cluster(let topology):
                let reconcile = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(500)) { [self] _ in
                    trackPrimaries(topology, upstream: upstream, eventLoop: eventLoop)
                }
                backgroundLock.withLock { $0?.tasks.append(reconcile) }
            }
        } else {
            rebuildBloomFilters()
        }
        for rule in policy.rules {
            guard let bloom = rule.bloom, bloom.rebuildIntervalMilliseconds > 0 else { continue }
            let interval = TimeAmount.milliseconds(Int64(bloom.rebuildIntervalMilliseconds))
            let task = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
                guard isCoherent else { return }
                rebuildBloomFilter(rule: rule.index)
            }
            backgroundLock.withLock { $0?.tasks.append(task) }
        }
        let sweeper = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in
            sweep(now: Keyspace.systemClock())
        }
        backgroundLock.withLock { $0?.tasks.append(sweeper) }
    }

    func stop() {
        let tasks = backgroundLock.withLock { background -> [RepeatedTask] in
            defer { background = nil }
            return background?.tasks ?? []
        }
        for task in tasks { task.cancel() }
        stopLinks()
    }

    private func track(node: Int, upstream: UpstreamGroup, eventLoop: any EventLoop, target: @escaping @Sendable () -> UpstreamAddress?) {
        let address = upstream.node(node).address
        let listener = InvalidationListener(
            eventLoop: eventLoop,
            settings: upstream.settings(for: address),
            prefixes: policy.trackingPrefixes,
            logger: logger,
            target: target,
            onInvalidate: { [self] keys in receivedInvalidation(keys) },
            onLink: { [self] up in linkChanged(node: node, up: up) }
        )
        addLink(node: node, listener)
    }

    /// Cluster mode: a link to every serving primary, none to former ones.
    private func trackPrimaries(_ topology: ClusterTopology, upstream: UpstreamGroup, eventLoop: any EventLoop) {
        guard let primaries = topology.current?.primaries else { return }
        let tracked = Set(trackedNodes)
        for node in primaries where !tracked.contains(node) {
            track(node: node, upstream: upstream, eventLoop: eventLoop) { upstream.node(node).address }
        }
        for node in tracked.subtracting(primaries) { removeLink(node: node) }
    }

    // MARK: Bloom filters

    /// Rebuilds every rule's filter from the upstream's keys.
    func rebuildBloomFilters() {
        for rule in policy.rules where rule.bloom != nil { rebuildBloomFilter(rule: rule.index) }
    }

    /// Starts a build of `rule`'s filter: a bounded SCAN of every data node with the rule's
    /// pattern into a fresh filter (keys written meanwhile go into it too), which replaces
    /// the current one when complete. The filter guards reads only once a build completed.
    func rebuildBloomFilter(rule index: Int) {
        guard let background = backgroundLock.withLock({ $0 }), let settings = policy.rules[index].bloom else { return }
        let started = withBlooms { blooms -> Bool in
            guard blooms[index] != nil, blooms[index]!.next == nil else { return false }
            blooms[index]!.next = KeyBloomFilter(capacity: settings.capacity, errorRate: settings.errorRate)
            return true
        }
        guard started else { return }
        let nodes: [Int]
        switch background.router.topology {
        case .single: nodes = [0]
        case .sentinel(let primary): nodes = primary.currentNode.map { [$0] } ?? []
        case .sharded: nodes = Array(0..<background.router.nodeCount)
        case .cluster(let topology): nodes = topology.current?.primaries ?? []
        }
        let pattern = policy.rules[index].pattern
        let match = pattern.kind == .prefix ? pattern.literalPrefix + [UInt8(ascii: "*")] : Array(pattern.text.utf8)
        let build = BloomBuild(
            tier: self, rule: index, nodes: nodes, match: match, limit: settings.scanLimit,
            pool: background.upstream.pool(for: background.eventLoop)
        )
        background.eventLoop.execute { build.next() }
    }

    /// A build ended: swap in the new filter, or drop it after a failure.
    func finishBloomBuild(rule index: Int, succeeded: Bool, keys: Int) {
        let coherent = isCoherent
        withBlooms { blooms in
            guard var bloom = blooms[index], let next = bloom.next else { return }
            bloom.next = nil
            if succeeded {
                bloom.filter = next
                bloom.ready = coherent
            }
            blooms[index] = bloom
        }
        if succeeded {
            logger.info("bloom filter built", metadata: ["rule": "\(policy.rules[index].pattern.text)", "keys": "\(keys)"])
        } else {
            logger.warning("bloom filter build failed; reads under the rule are not guarded until a build succeeds",
                           metadata: ["rule": "\(policy.rules[index].pattern.text)"])
        }
    }

    func addToBloomBuild(rule index: Int, _ keys: [[UInt8]]) {
        withBlooms { blooms in
            guard var bloom = blooms[index], bloom.next != nil else { return }
            for key in keys { key.withUnsafeBytes { bloom.next!.insert($0) } }
            blooms[index] = bloom
        }
    }
}

/// What the background work runs with once started.
struct CacheBackground: @unchecked Sendable {
    var upstream: UpstreamGroup
    var router: UpstreamRouter
    var eventLoop: any EventLoop
    var tasks: [RepeatedTask] = []
}

/// One Bloom filter build: SCAN cursor MATCH pattern COUNT 1000 on each node in turn.
private final class BloomBuild: @unchecked Sendable {
    let tier: CacheTier
    let rule: Int
    var nodes: [Int]
    let match: [UInt8]
    let limit: Int
    let pool: UpstreamPool
    var cursor = "0"
    var keys = 0
    /// A connection of the build's own, in database 0 (the one the filter covers).
    var connection: UpstreamConnection?

    init(tier: CacheTier, rule: Int, nodes: [Int], match: [UInt8], limit: Int, pool: UpstreamPool) {
        self.tier = tier
        self.rule = rule
        self.nodes = nodes
        self.match = match
        self.limit = limit
        self.pool = pool
    }

    func next() {
        guard let node = nodes.first, keys < limit else { return finish(succeeded: true) }
        if connection == nil { connection = pool.dedicatedConnection(node: node, protocolVersion: .resp2) }
        let request = connection!.request(["SCAN", cursor, "MATCH", String(decoding: match, as: UTF8.self), "COUNT", "1000"])
        request.whenComplete { [self] result in
            guard case .success(let reply) = result, let elements = reply.elements, elements.count == 2,
                let nextCursor = elements[0].text, let found = elements[1].elements
            else { return finish(succeeded: false) }
            let batch = found.compactMap { value -> [UInt8]? in
                guard case .bulkString(let bytes?) = value else { return nil }
                return Array(bytes.readableBytesView)
            }
            keys += batch.count
            tier.addToBloomBuild(rule: rule, batch)
            cursor = nextCursor
            if cursor == "0" {
                nodes.removeFirst()
                connection?.close()
                connection = nil
            }
            next()
        }
    }

    private func finish(succeeded: Bool) {
        connection?.close()
        connection = nil
        tier.finishBloomBuild(rule: rule, succeeded: succeeded, keys: keys)
    }
}
