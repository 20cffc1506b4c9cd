import NIOCore
import SidecacheEngine
import SidecachePolicy
import SidecacheRESP

/// A session's side of the cache tier.
struct SessionCache {
    /// Reads waiting for fills, by the tag of their reply entry.
    var misses: [UInt64: PendingMiss] = [:]
    /// Writes to cached keys sent upstream and not yet answered. Meanwhile this session's
    /// reads of cached keys go upstream too (after its writes, on the same connection), so
    /// that it never reads a local copy its own write is about to drop.
    var writesInFlight = 0
    /// What the request being forwarded invalidates once answered.
    var nextInvalidation: CacheInvalidation?
    /// The writes queued in the open transaction: invalidated when EXEC is answered.
    var transactionInvalidation: CacheInvalidation?
    /// This session's counters since the last merge into the tier's, per rule.
    var counters: [CacheCounters]
    var countersDirty = false
    /// Where a read waiting for fills is answered: the fetched values (and copies of the keys
    /// it found locally) restored into a private one-database keyspace, so the answer is
    /// exactly what was fetched whatever happened to the local copies meanwhile.
    var scratch: Keyspace?
    /// A delivery of answered fills to the client is due at the end of this event-loop turn.
    var deliveryScheduled = false

    init(ruleCount: Int) {
        counters = Array(repeating: CacheCounters(), count: ruleCount)
    }
}

/// A cached read waiting for the fills of its missing keys.
struct PendingMiss {
    var spec: CommandSpec
    var frame: RESPCommandFrame
    var database: Int
    var protocolVersion: RESPProtocolVersion
    var keys: [(key: [UInt8], rule: Int)]
    /// The values the read is answered from: copies of the keys found locally, then the
    /// fetched ones (a key known missing has none).
    var values: [[UInt8]: DumpValue]
    var remaining = 0
    var failure: String?
    /// The nodes of the fetches, counted as this session's requests in flight there.
    var nodes: [Int] = []
}

/// What a write to cached keys drops once the upstream has answered it.
struct CacheInvalidation {
    enum Scope {
        case keys([(key: [UInt8], rule: Int)])
        /// FLUSHDB: every cached key of the database.
        case database
        /// FLUSHALL, SWAPDB: every cached key.
        case everything
    }

    var scope: Scope
    var database: Int
    /// DEL or UNLINK: repeated upstream after the delay under `double_delete: upstream`.
    var deletes: Bool

    /// Both invalidations, as one (a transaction's queued writes).
    func merged(with other: CacheInvalidation) -> CacheInvalidation {
        switch (scope, other.scope) {
        case (.keys(let mine), .keys(let theirs)) where database == other.database:
            return CacheInvalidation(scope: .keys(mine + theirs), database: database, deletes: deletes || other.deletes)
        case (.database, _) where database == other.database, (_, .database) where database == other.database:
            return CacheInvalidation(scope: .database, database: database, deletes: false)
        default:
            return CacheInvalidation(scope: .everything, database: database, deletes: false)
        }
    }
}
