/// What one rule's caching did, as INFO's `sidecache` section and the admin API report it.
public struct CacheCounters: Sendable, Equatable {
    /// Reads answered from a fresh local copy.
    public var hits = 0
    /// Reads that needed an upstream fetch (a waiter of someone else's fetch counts too).
    public var misses = 0
    /// Reads answered "missing" from a remembered upstream miss.
    public var nullHits = 0
    /// Reads answered "missing" because the Bloom filter says the key cannot exist.
    public var bloomRejections = 0
    /// Keys fetched from upstream and kept.
    public var fills = 0
    /// Bytes of the values kept (`DumpValue.contentBytes`).
    public var fillBytes = 0
    /// Keys the upstream's invalidation messages dropped.
    public var invalidationsReceived = 0
    /// Delayed second deletes done.
    public var doubleDeletes = 0
    /// Reads answered from a local copy past its lifetime while the upstream was unreachable.
    public var staleServes = 0
    /// Misses that waited for another read's fetch instead of fetching (single-flight).
    public var coalescedWaits = 0
    /// Fetches that failed (upstream unreachable, timed out, or an error reply).
    public var upstreamErrors = 0

    public init() {}

    public static func += (lhs: inout CacheCounters, rhs: CacheCounters) {
        lhs.hits += rhs.hits
        lhs.misses += rhs.misses
        lhs.nullHits += rhs.nullHits
        lhs.bloomRejections += rhs.bloomRejections
        lhs.fills += rhs.fills
        lhs.fillBytes += rhs.fillBytes
        lhs.invalidationsReceived += rhs.invalidationsReceived
        lhs.doubleDeletes += rhs.doubleDeletes
        lhs.staleServes += rhs.staleServes
        lhs.coalescedWaits += rhs.coalescedWaits
        lhs.upstreamErrors += rhs.upstreamErrors
    }

    /// The counters as `name value` pairs, in INFO's order and names.
    public var fields: [(String, Int)] {
        [
            ("hits", hits), ("misses", misses), ("null_hits", nullHits), ("bloom_rejections", bloomRejections),
            ("fills", fills), ("fill_bytes", fillBytes), ("invalidations_received", invalidationsReceived),
            ("double_deletes", doubleDeletes), ("stale_serves", staleServes), ("coalesced_waits", coalescedWaits),
            ("upstream_errors", upstreamErrors),
        ]
    }
}
