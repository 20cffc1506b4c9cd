import Logging
import NIOConcurrencyHelpers
import NIOCore
import SidecacheConfig
import SidecacheEngine
import SidecachePolicy
import SidecacheUpstream
import Synchronization

/// The cache tier's shared state: the compiled rules, remembered misses, fills in progress,
/// Bloom filters, freshness of local copies kept for `stale_if_error`, and the per-rule
/// counters. Local copies themselves live in the engine's keyspace.
///
/// Lock order: the keyspace lock, then this one (a fill checks that its key was not
/// invalidated and stores it under both, so an invalidation is never lost between the two).
final class CacheTier: @unchecked Sendable {
    let policy: CachePolicy
    let keyspace: Keyspace
    /// Per rule, by `CommandSpec.id`: whether the command is answered from a local copy.
    let answered: [[Bool]]
    /// By `CommandSpec.id`: what a command means to the cache beyond its keys, decided once so
    /// that a request costs an array read, not name comparisons.
    let commandKinds: [CommandKind]

    enum CommandKind {
        case other
        /// FLUSHDB: drops the database's copies once answered.
        case flushDatabase
        /// FLUSHALL, SWAPDB: drop every copy once answered.
        case flushEverything
        /// DEL, UNLINK: repeated upstream under `double_delete: upstream`.
        case delete
        /// EXEC: carries the invalidations of the writes it queued.
        case exec
    }
    /// Whether invalidations come from upstream client tracking (`cache.tracking`).
    let tracks: Bool
    let logger: Logger
    private let lock = NIOLock()
    private var nulls: NullEntries
    private var flights = FillFlights<CacheWaiter>()
    private var blooms: [RuleBloom?]
    /// For rules with `stale_if_error`: when each local copy stops being fresh (its engine
    /// expiry is later by the stale window).
    private var freshUntil: [CacheKey: Int64] = [:]
    private var counters: [CacheCounters]
    /// Local copies can be trusted: every invalidation link is up (always, without tracking).
    private let coherentFlag: Synchronization.Atomic<Bool>
    private var random = SystemRandomNumberGenerator()
    /// The upstream, router and event loop of the background work, once `start` ran.
    let backgroundLock = Mutex<CacheBackground?>(nil)

    init(_ configuration: CacheConfiguration, table: CommandTable, keyspace: Keyspace, logger: Logger) {
        policy = CachePolicy(configuration)
        self.keyspace = keyspace
        self.logger = logger
        tracks = configuration.tracking && policy.caches
        coherentFlag = Atomic(!tracks)
        nulls = NullEntries(capacity: configuration.nullMaxEntries)
        counters = Array(repeating: CacheCounters(), count: policy.rules.count)
        blooms = policy.rules.map { rule in
            rule.bloom.map { RuleBloom(filter: KeyBloomFilter(capacity: $0.capacity, errorRate: $0.errorRate)) }
        }
        answered = policy.rules.map { rule in Self.answeredCommands(rule, table: table) }
        commandKinds = table.all.map { spec in
            switch spec.name {
            case "flushdb": .flushDatabase
            case "flushall", "swapdb": .flushEverything
            case "del", "unlink": .delete
            case "exec": .exec
            default: .other
            }
        }
    }

    /// The default: read-only data commands with keys, bar those whose answer is about the
    /// local copy rather than the data (TTL, OBJECT, DUMP ...) or reads other keys (SORT_RO).
    private static func answeredCommands(_ rule: CacheRule, table: CommandTable) -> [Bool] {
        var answered = [Bool](repeating: false, count: table.all.count)
        if let names = rule.commandNames {
            for name in names {
                guard let spec = table.spec(named: name), spec.flags.contains(.readonly) else { continue }
                answered[spec.id] = true
            }
            return answered
        }
        let excluded: Set<String> = [
            "ttl", "pttl", "expiretime", "pexpiretime", "object|encoding", "object|freq", "object|idletime",
            "object|refcount", "memory|usage", "dump", "sort_ro", "eval_ro", "evalsha_ro", "fcall_ro", "type",
        ]
        for spec in table.all where spec.flags.contains(.readonly) && !spec.flags.contains(.write)
            && spec.firstKey > 0 && !excluded.contains(spec.name) && !spec.flags.contains(.admin)
        {
            answered[spec.id] = true
        }
        return answered
    }

    var isCoherent: Bool { coherentFlag.load(ordering: .acquiring) }

    // MARK: Reads

    /// What a read found for one key.
    enum KeyState {
        case fresh
        /// A remembered upstream miss.
        case knownMissing
        /// The Bloom filter says the key cannot exist upstream.
        case rejected
        case missing
    }

    /// The state of each of `keys` (with their rule indices) in `database`; when some key is
    /// missing, also copies of the present ones (a multi-key read is answered from those and
    /// the fetched ones together).
    func check(
        _ keys: [(key: [UInt8], rule: Int)], database: Int
    ) -> (states: [KeyState], present: [[UInt8]: DumpValue]) {
        let coherent = isCoherent
        return keyspace.withState { state in
            let db = state.database(database)
            let now = state.now
            var states = [KeyState](repeating: .missing, count: keys.count)
            let isPresent = keys.map { item in item.key.withUnsafeBytes { db.lookup($0, options: .noTouch) } != nil }
            let present = keys.indices.filter { isPresent[$0] }
            lock.withLock {
                for index in present where coherent {
                    let rule = policy.rules[keys[index].rule]
                    if rule.staleIfErrorMilliseconds > 0,
                        freshUntil[CacheKey(database: database, key: keys[index].key), default: 0] <= now
                    {
                        continue
                    }
                    states[index] = .fresh
                }
                for index in keys.indices where coherent && !isPresent[index] {
                    let key = keys[index]
                    if nulls.contains(CacheKey(database: database, key: key.key), now: now) {
                        states[index] = .knownMissing
                    } else if database == 0, let bloom = blooms[key.rule], bloom.ready,
                        !key.key.withUnsafeBytes({ bloom.filter.mayContain($0) })
                    {
                        states[index] = .rejected
                    }
                }
            }
            var copies: [[UInt8]: DumpValue] = [:]
            if states.contains(where: { if case .missing = $0 { true } else { false } }) {
                for index in present {
                    if let entry = keys[index].key.withUnsafeBytes({ db.lookup($0, options: .noTouch) }),
                        let value = DumpCommands.dumpValue(of: entry)
                    {
                        copies[keys[index].key] = value
                    }
                }
            }
            return (states, copies)
        }
    }

    /// Whether `key` has a local copy that is fresh by its presence alone (the rule keeps no
    /// stale window, and copies are trusted): the hit check of the common single-key read.
    func isFreshWithoutStaleWindow(_ key: UnsafeRawBufferPointer, rule: Int, database: Int) -> Bool {
        guard policy.rules[rule].staleIfErrorMilliseconds == 0, isCoherent else { return false }
        return keyspace.withState { $0.database(database).lookup(key, options: .noTouch) != nil }
    }

    /// Joins the fill of `key` or starts one (`isNew`: the caller fetches it).
    func join(_ key: CacheKey, rule: Int, waiter: CacheWaiter) -> (flight: FillFlights<CacheWaiter>.Flight, isNew: Bool) {
        lock.withLock {
            let joined = flights.join(key, waiter: waiter, shared: policy.rules[rule].singleFlight)
            counters[rule].misses += 1
            if !joined.isNew { counters[rule].coalescedWaits += 1 }
            return joined
        }
    }

    /// A fetch of `flight`'s key ended: keeps its result when nothing invalidated the key
    /// meanwhile and local copies can be trusted, then tells every waiter (on its own loop).
    func completeFetch(_ flight: FillFlights<CacheWaiter>.Flight, rule ruleIndex: Int, result: CacheFetchResult) {
        let rule = policy.rules[ruleIndex]
        let key = flight.key
        let coherent = isCoherent
        let waiters = keyspace.withState { state -> [CacheWaiter] in
            let db = state.database(key.database)
            let now = state.now
            let (waiters, keep) = lock.withLock { () -> ([CacheWaiter], Bool) in
                let keep = !flight.invalidated && coherent
                let waiters = flights.finish(flight)
                switch result {
                case .value(_, let size, _):
                    if keep && size <= rule.maxValueBytes {
                        counters[ruleIndex].fills += 1
                        counters[ruleIndex].fillBytes += size
                    }
                    if key.database == 0, var bloom = blooms[ruleIndex] {
                        key.key.withUnsafeBytes { bloom.insert($0) }
                        blooms[ruleIndex] = bloom
                    }
                case .missing:
                    if keep && rule.nullTTLMilliseconds > 0 { nulls.insert(key, until: now + rule.nullTTLMilliseconds) }
                case .failed:
                    counters[ruleIndex].upstreamErrors += 1
                }
                return (waiters, keep)
            }
            guard keep else { return waiters }
            switch result {
            case .value(let value, let size, let upstreamTTL) where size <= rule.maxValueBytes:
                guard state.freeMemoryIfNeeded() else { break }
                key.key.withUnsafeBytes { bytes in
                    _ = db.delete(bytes)
                    let entry = db.addRestored(bytes, value)
                    let lifetime = lock.withLock { rule.lifetime(upstreamTTL: upstreamTTL, random: &random) }
                    db.setExpire(entry, at: now + lifetime + rule.staleIfErrorMilliseconds)
                    if rule.staleIfErrorMilliseconds > 0 { lock.withLock { freshUntil[key] = now + lifetime } }
                }
            case .missing:
                _ = key.key.withUnsafeBytes { db.delete($0) }
            default:
                break
            }
            return waiters
        }
        for waiter in waiters { waiter.deliver(key: key.key, result) }
    }

    /// A local copy past its lifetime but within its rule's `stale_if_error` window, for a
    /// read whose fetch failed; counts the stale serve.
    func staleCopy(_ key: [UInt8], rule: Int, database: Int) -> DumpValue? {
        guard policy.rules[rule].staleIfErrorMilliseconds > 0 else { return nil }
        return keyspace.withState { state -> DumpValue? in
            guard let entry = key.withUnsafeBytes({ state.database(database).lookup($0, options: .noTouch) }),
                let value = DumpCommands.dumpValue(of: entry)
            else { return nil }
            lock.withLock { counters[rule].staleServes += 1 }
            return value
        }
    }

    // MARK: Invalidation

    /// Drops the local copies and remembered misses of `keys` (a write through this sidecar
    /// acknowledged, a delayed second delete, or an upstream invalidation), in `database` or
    /// every database, and marks their fills in progress so they are not kept. The keys may
    /// exist upstream now: they go into their rules' Bloom filters.
    func invalidate(_ keys: [(key: [UInt8], rule: Int)], database: Int?, reason: InvalidationReason) {
        guard !keys.isEmpty else { return }
        keyspace.withState { state in
            let databases = database.map { [$0] } ?? Array(0..<keyspace.databaseCount)
            for index in databases {
                let db = state.database(index)
                for item in keys { _ = item.key.withUnsafeBytes { db.delete($0) } }
            }
            lock.withLock {
                for item in keys {
                    for index in databases {
                        let key = CacheKey(database: index, key: item.key)
                        nulls.remove(key)
                        flights.invalidate(key)
                        if !freshUntil.isEmpty { freshUntil[key] = nil }
                    }
                    if reason != .doubleDelete, databases.contains(0), var bloom = blooms[item.rule] {
                        item.key.withUnsafeBytes { bloom.insert($0) }
                        blooms[item.rule] = bloom
                    }
                    switch reason {
                    case .write: break
                    case .doubleDelete: counters[item.rule].doubleDeletes += 1
                    case .tracking: counters[item.rule].invalidationsReceived += 1
                    }
                }
            }
        }
    }

    enum InvalidationReason {
        case write, doubleDelete, tracking
    }

    /// Drops every local copy under a `cache` rule in `database` (or all), every remembered
    /// miss and every fill in progress: FLUSHDB/FLUSHALL, an upstream flush, a lost
    /// invalidation link. With `keepStale`, copies of `stale_if_error` rules stay, no longer
    /// fresh, to answer while the upstream is unreachable.
    func dropAll(database: Int?, keepStale: Bool) {
        keyspace.withState { state in
            let databases = database.map { [$0] } ?? Array(0..<keyspace.databaseCount)
            for index in databases {
                let db = state.database(index)
                var doomed: [[UInt8]] = []
                db.forEachLiveEntry { entry in
                    entry.withKey { key in
                        guard let rule = policy.ruleIndex(for: key), policy.rules[rule].mode == .cache else { return }
                        if keepStale && policy.rules[rule].staleIfErrorMilliseconds > 0 { return }
                        doomed.append(Array(key))
                    }
                }
                for key in doomed { _ = key.withUnsafeBytes { db.delete($0) } }
            }
            lock.withLock {
                nulls.removeAll(database: database)
                flights.invalidateAll(database: database)
                if let database { freshUntil = freshUntil.filter { $0.key.database != database } } else { freshUntil.removeAll() }
            }
        }
    }

    /// Tracking told about `keys` (`nil`: the node flushed): drop them in every database.
    func receivedInvalidation(_ keys: [[UInt8]]?) {
        guard let keys else { return dropAll(database: nil, keepStale: false) }
        let ruled = keys.compactMap { key -> (key: [UInt8], rule: Int)? in
            guard let rule = key.withUnsafeBytes({ policy.ruleIndex(for: $0) }), policy.rules[rule].mode == .cache else { return nil }
            return (key, rule)
        }
        invalidate(ruled, database: nil, reason: .tracking)
    }

    // MARK: Invalidation links

    /// The invalidation link of each tracked node (by node number) and whether it is up.
    private var links: [Int: (listener: InvalidationListener, up: Bool)] = [:]

    /// The tracked nodes.
    var trackedNodes: [Int] { lock.withLock { Array(links.keys) } }

    func addLink(node: Int, _ listener: InvalidationListener) {
        let wasCoherent = lock.withLock { () -> Bool in
            links[node] = (listener, false)
            return coherentFlag.load(ordering: .acquiring)
        }
        if wasCoherent { becameIncoherent() }
        listener.start()
    }

    /// Stops tracking `node` (no longer a primary); its link no longer counts.
    func removeLink(node: Int) {
        guard let removed = lock.withLock({ links.removeValue(forKey: node) }) else { return }
        removed.listener.stop()
        linkChanged(node: nil, up: true)
    }

    func stopLinks() {
        let all = lock.withLock { () -> [InvalidationListener] in
            defer { links.removeAll() }
            return links.values.map(\.listener)
        }
        for listener in all { listener.stop() }
    }

    /// A link went up or down. Local copies are trusted only while every link is up: when one
    /// goes down they are dropped (or kept only as stale) and misses are no longer remembered;
    /// meanwhile fetched values answer their reads but are not kept.
    func linkChanged(node: Int?, up: Bool) {
        let (wasCoherent, coherent) = lock.withLock { () -> (Bool, Bool) in
            let before = coherentFlag.load(ordering: .acquiring)
            if let node, links[node] != nil { links[node]!.up = up }
            return (before, !links.isEmpty && links.values.allSatisfy(\.up))
        }
        if coherent && !wasCoherent {
            // Whatever was fetched while a link was down is not kept.
            lock.withLock { flights.invalidateAll(database: nil) }
            coherentFlag.store(true, ordering: .releasing)
            logger.info("upstream invalidation tracking is on; local copies are kept")
            rebuildBloomFilters()
        } else if !coherent && wasCoherent {
            becameIncoherent()
        }
    }

    private func becameIncoherent() {
        coherentFlag.store(false, ordering: .releasing)
        lock.withLock {
            for index in blooms.indices { blooms[index]?.ready = false }
        }
        dropAll(database: nil, keepStale: true)
        logger.warning("upstream invalidation link down; local copies are not kept until it is back")
    }

    var linkStatus: String {
        guard tracks else { return "off" }
        return isCoherent ? "up" : "down"
    }

    // MARK: Statistics

    func merge(_ sessionCounters: [CacheCounters]) {
        lock.withLock {
            for index in sessionCounters.indices where index < counters.count { counters[index] += sessionCounters[index] }
        }
    }

    struct Snapshot {
        var counters: [CacheCounters]
        var nullEntries: Int
        var fillsInProgress: Int
        var blooms: [(ready: Bool, insertions: Int, bytes: Int)?]
    }

    var snapshot: Snapshot {
        lock.withLock {
            Snapshot(
                counters: counters,
                nullEntries: nulls.count,
                fillsInProgress: flights.count,
                blooms: blooms.map { $0.map { ($0.ready, $0.filter.insertions, $0.filter.byteCount) } }
            )
        }
    }

    /// Bloom filter access for the builder (`CacheBloomBuilder`).
    func withBlooms<R>(_ body: (inout [RuleBloom?]) -> R) -> R {
        lock.withLock { body(&blooms) }
    }

    /// Forgets the remembered misses past their deadline (server cron).
    func sweep(now: Int64) {
        lock.withLock { nulls.removeExpired(now: now) }
    }
}

/// A rule's Bloom filter: usable once a build from the upstream's keys is complete; while a
/// rebuild runs, new keys go into both the current filter and the one being built.
struct RuleBloom {
    var filter: KeyBloomFilter
    var ready = false
    var next: KeyBloomFilter?

    init(filter: KeyBloomFilter) {
        self.filter = filter
    }

    mutating func insert(_ key: UnsafeRawBufferPointer) {
        filter.insert(key)
        next?.insert(key)
    }
}

/// What a fetch of one key from upstream brought.
enum CacheFetchResult: Sendable {
    /// The key's value, its size (`DumpValue.contentBytes`), and its remaining upstream
    /// lifetime (PTTL: -1 for none).
    case value(DumpValue, size: Int, upstreamTTL: Int64)
    case missing
    /// No usable answer: the error line's text.
    case failed(String)
}

/// A read waiting for a fill: the session (answered on its own event loop) and its request.
struct CacheWaiter: Sendable {
    let session: NIOLoopBound<ClientSession>
    let tag: UInt64

    func deliver(key: [UInt8], _ result: CacheFetchResult) {
        let session = session
        let tag = tag
        if session.eventLoop.inEventLoop {
            session.value.cacheFetchCompleted(tag: tag, key: key, result)
        } else {
            session.eventLoop.execute { session.value.cacheFetchCompleted(tag: tag, key: key, result) }
        }
    }
}
