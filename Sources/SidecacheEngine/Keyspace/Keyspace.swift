public import NIOConcurrencyHelpers

/// The local keyspace: `databases` numbered databases of byte keys, behind one lock.
///
/// Commands run on their connection's event loop and hold the lock for the length of one
/// command (or one MULTI/EXEC block, which is how transactions stay atomic). Multi-key
/// commands, SWAPDB, FLUSHALL and transactions therefore need no lock ordering. A command
/// takes well under a microsecond inside the lock, so two event loops rarely wait for it;
/// see the README's benchmark section for the figures that justify this choice.
public final class Keyspace: @unchecked Sendable {
    /// Unix time in milliseconds; injectable so that expiry can be tested without waiting.
    public typealias Clock = @Sendable () -> Int64

    public let databaseCount: Int
    private let lock = NIOLock()
    /// Guarded by `lock`.
    private let state: KeyspaceState
    private let clock: Clock

    /// The longest string a command may build (`proto-max-bulk-len`).
    public var maxStringLength: Int {
        get { withState { $0.maxStringLength } }
        set { withState { $0.maxStringLength = newValue } }
    }

    public init(databases: Int, clock: @escaping Clock = Keyspace.systemClock) {
        self.databaseCount = databases
        self.clock = clock
        self.state = KeyspaceState(databases: databases, now: clock())
    }

    public static let systemClock: Clock = { Clocks.wallMilliseconds() }

    /// Runs `body` holding the lock, with the command time snapshot taken now (Redis takes one
    /// per command; a transaction runs on the snapshot of its EXEC). Before the lock is
    /// released, clients blocked on keys that `body` made ready are served, then the
    /// collections it wrote are re-measured and the memory peak updated.
    package func withState<R>(_ body: (KeyspaceState) throws -> R) rethrows -> R {
        try lock.withLock {
            state.refreshClock(now: clock())
            defer {
                if !state.writtenCollections.isEmpty { state.settleWrittenCollections() }
                if state.usedMemory > state.peakMemory { state.peakMemory = state.usedMemory }
            }
            defer { if state.blocking.hasReadyKeys { state.blocking.serveReadyKeys(state) } }
            return try body(state)
        }
    }

    /// Number of keys in database `index` (DBSIZE), expired-but-not-deleted keys included,
    /// as Redis counts them.
    public func keyCount(database index: Int) -> Int {
        withState { $0.databases[index].count }
    }

    /// Number of keys with an expiry in database `index`.
    public func expiringKeyCount(database index: Int) -> Int {
        withState { $0.databases[index].expiringCount }
    }

    /// A copy of the counters INFO reports.
    public var statistics: KeyspaceStatistics {
        withState { $0.statistics }
    }

    /// CONFIG RESETSTAT's share of the keyspace counters.
    public func resetStatistics() {
        withState { $0.statistics = KeyspaceStatistics() }
    }
}

/// What the keyspace lock guards: the databases, the command time and the counters.
package final class KeyspaceState {
    @exclusivity(unchecked) package private(set) var databases: [Database] = []
    /// The command time snapshot, Unix milliseconds: the "now" of every expiry check.
    @exclusivity(unchecked) package private(set) var now: Int64
    /// Redis's LRU clock: seconds, 24 bits.
    @exclusivity(unchecked) package private(set) var accessClock: UInt32 = 0
    /// The access clock a new key gets: the LRU clock, or LFU minutes with the initial counter.
    @exclusivity(unchecked) package private(set) var newEntryAccessClock: UInt32 = 0
    /// `maxmemory` and the eviction policy in force.
    @exclusivity(unchecked) package var eviction = EvictionSettings() {
        didSet {
            usesLFU = eviction.policy.usesLFU
            if eviction.policy != oldValue.policy { evictionPool.removeAll() }
            refreshClock(now: now)
        }
    }
    /// Whether the policy counts accesses by frequency (cached from `eviction`).
    @exclusivity(unchecked) package private(set) var usesLFU = false
    @exclusivity(unchecked) var evictionPool = EvictionPool()
    /// The database the random policies visit next.
    @exclusivity(unchecked) var nextEvictionDatabase = 0
    /// The most accessed keys (`HotKeyTracker`), and the accesses left before the next one
    /// it records.
    @exclusivity(unchecked) var hotKeys = HotKeyTracker()
    @exclusivity(unchecked) var hotKeyCountdown: UInt32 = 1
    @exclusivity(unchecked) package var statistics = KeyspaceStatistics()
    @exclusivity(unchecked) package var random = FastRandom()
    /// The longest string a command may build (`proto-max-bulk-len`).
    @exclusivity(unchecked) package var maxStringLength = 512 * 1024 * 1024
    /// Thresholds of the compact collection encodings.
    @exclusivity(unchecked) package var encodingLimits = EncodingLimits()
    /// Classes of keyspace notification to publish (`notify-keyspace-events`); none by default.
    @exclusivity(unchecked) package var notifyFlags: KeyspaceEventClass = []
    /// Where `Database.notify` delivers events; called with the keyspace lock held, so it must
    /// not take the keyspace lock itself.
    @exclusivity(unchecked) package var eventSink: ((KeyspaceEvent) -> Void)?
    /// Clients blocked on keys (BLPOP and friends) and the keys that may serve them.
    package let blocking = BlockingRegistry()
    /// Bytes the data holds: see `MemoryCounter`. Created before the databases, which share it.
    package let memory = MemoryCounter()
    /// The most `memory` has held (INFO `used_memory_peak`), as seen after each command.
    @exclusivity(unchecked) package var peakMemory = 0
    /// Bytes the clients' query and output buffers hold, as the server's cron last summed them:
    /// part of `used_memory` and of what `maxmemory` limits, as in Redis.
    @exclusivity(unchecked) package var clientBufferBytes = 0
    /// Collections looked up for writing by the command running now, with what each counted
    /// for in `memory` then (see `Database+Memory.swift`).
    @exclusivity(unchecked) var writtenCollections: [(value: any CollectionValue, before: Int)] = []

    init(databases count: Int, now: Int64) {
        self.now = now
        self.databases = (0..<count).map { Database(index: $0, keyspace: self) }
        refreshClock(now: now)
    }

    func refreshClock(now: Int64) {
        self.now = now
        accessClock = UInt32(truncatingIfNeeded: now / 1000) & Self.accessClockMax
        newEntryAccessClock = usesLFU ? (lfuMinutes << 8) | Self.lfuInitialCounter : accessClock
    }

    package static let accessClockMax: UInt32 = (1 << 24) - 1

    package func database(_ index: Int) -> Database { databases[index] }

    /// SWAPDB: exchanges the contents of two databases; watchers of keys in either are told.
    package func swapDatabases(_ first: Int, _ second: Int) {
        guard first != second else { return }
        let a = databases[first]
        let b = databases[second]
        a.touchAllWatchers(replacedWith: b)
        b.touchAllWatchers(replacedWith: a)
        a.swapContents(with: b)
        blocking.signalExistingKeys(in: a)
        blocking.signalExistingKeys(in: b)
    }
}

/// Counters INFO reports from the keyspace (`stats` section).
public struct KeyspaceStatistics: Sendable {
    public var keyspaceHits = 0
    public var keyspaceMisses = 0
    public var expiredKeys = 0
    /// Keys deleted to stay under `maxmemory` (`evicted_keys`).
    public var evictedKeys = 0
    /// Estimated percentage of keys already expired but not yet deleted, from the last cycles.
    public var expiredStalePercent = 0.0
    public var expireCycleMicroseconds = 0
    /// Active expiry cycles that stopped on their time budget.
    public var expiredTimeCappedReachedCount = 0
    /// Changes since start (Redis's `dirty`): `rdb_changes_since_last_save`.
    public var changes = 0

    public init() {}
}

/// A fast, non-cryptographic generator for sampling (xoshiro256**), seeded from the system.
package struct FastRandom: RandomNumberGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    package init() {
        var seeder = SystemRandomNumberGenerator()
        (s0, s1, s2, s3) = (seeder.next(), seeder.next(), seeder.next(), seeder.next() | 1)
    }

    /// A generator that always gives the same sequence for `seed` (tests), seeded with
    /// splitmix64 as xoshiro's authors advise.
    package init(seed: UInt64) {
        var state = seed
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        (s0, s1, s2, s3) = (splitMix(), splitMix(), splitMix(), splitMix() | 1)
    }

    package mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(45)
        return result
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}

/// A key as the watch registry keeps it: its own copy of the bytes.
package struct KeyBytes: Hashable, Sendable {
    package var bytes: [UInt8]
    package init(bytes: [UInt8]) { self.bytes = bytes }
}
