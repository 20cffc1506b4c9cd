/// One entry of `cache.rules`: which keys it covers and how they are cached.
public struct CacheRuleConfiguration: Sendable, Equatable {
    /// `match`: a key prefix (`user:`) or a glob (`user:*`, `*:profile`); required.
    public var match = ""
    /// `mode`: `cache` (local copy in front of the upstream), `bypass` (always forward) or
    /// `local` (answered by the local engine only, never forwarded).
    public var mode: CacheMode = .cache
    /// `ttl`: the local lifetime of a filled key, in milliseconds.
    public var ttlMilliseconds = 60_000
    /// `max_ttl`: the longest local lifetime after jitter, in milliseconds; 0 for no cap.
    public var maxTTLMilliseconds = 0
    /// `jitter`: fraction by which each lifetime is spread uniformly (0.1 is ±10%).
    public var jitter = 0.0
    /// `null_ttl`: how long an upstream "no such key" is remembered, in milliseconds; 0 disables.
    public var nullTTLMilliseconds = 0
    /// `bloom`: the penetration guard, or `nil` (off).
    public var bloom: CacheBloomConfiguration?
    /// `double_delete_delay`: the second invalidation after a write, in milliseconds; 0 disables.
    public var doubleDeleteDelayMilliseconds = 0
    /// `double_delete`: `local` repeats only the local delete; `upstream` also repeats a
    /// client's DEL/UNLINK at the upstream.
    public var doubleDelete: DoubleDeleteTarget = .local
    /// `single_flight`: concurrent misses of one key share one upstream fetch.
    public var singleFlight = true
    /// `stale_if_error`: how long past its lifetime a local copy may still answer while the
    /// upstream is unreachable, in milliseconds; 0 disables.
    public var staleIfErrorMilliseconds = 0
    /// `max_value_bytes`: values whose serialized form is larger are answered but not kept.
    public var maxValueBytes = 1024 * 1024
    /// `commands`: the commands answered from the local copy; `nil` for the default (the
    /// read-only data commands of the command table).
    public var commands: [String]?

    public init() {}
}

/// What a rule does with its keys.
public enum CacheMode: String, Sendable, CaseIterable {
    case cache, bypass, local
}

/// What a delayed second delete repeats.
public enum DoubleDeleteTarget: String, Sendable, CaseIterable {
    case local, upstream
}

/// A rule's Bloom filter of the keys that exist upstream.
public struct CacheBloomConfiguration: Sendable, Equatable {
    /// `capacity`: keys the filter is sized for.
    public var capacity = 1_000_000
    /// `error_rate`: the false-positive rate at `capacity` keys.
    public var errorRate = 0.01
    /// `rebuild_interval`: how often the filter is rebuilt from a SCAN of the upstream, in
    /// milliseconds; 0 never rebuilds it after start-up.
    public var rebuildIntervalMilliseconds = 3_600_000
    /// `scan_limit`: the most keys one build reads from the upstream (a bounded SCAN).
    public var scanLimit = 10_000_000

    public init() {}
}

extension CacheRuleConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("match", \.match, .requiredText),
            ConfigurationKey("mode", \.mode, .choice),
            ConfigurationKey("ttl", \.ttlMilliseconds, .milliseconds(in: 1...(365 * 86_400_000))),
            ConfigurationKey("max_ttl", \.maxTTLMilliseconds, .milliseconds(in: 0...(365 * 86_400_000))),
            ConfigurationKey("jitter", \.jitter, .fraction),
            ConfigurationKey("null_ttl", \.nullTTLMilliseconds, .milliseconds(in: 0...(365 * 86_400_000))),
            ConfigurationKey("bloom", \.bloom, .bloom),
            ConfigurationKey("double_delete_delay", \.doubleDeleteDelayMilliseconds, .milliseconds(in: 0...3_600_000)),
            ConfigurationKey("double_delete", \.doubleDelete, .choice),
            ConfigurationKey("single_flight", \.singleFlight, .boolean),
            ConfigurationKey("stale_if_error", \.staleIfErrorMilliseconds, .milliseconds(in: 0...(365 * 86_400_000))),
            ConfigurationKey("max_value_bytes", \.maxValueBytes, .size(atLeast: 1)),
            ConfigurationKey("commands", \.commands, .commandNames),
        ]
    }
}

extension CacheBloomConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("capacity", \.capacity, .integer(in: 1...1_000_000_000)),
            ConfigurationKey("error_rate", \.errorRate, .openFraction),
            ConfigurationKey("rebuild_interval", \.rebuildIntervalMilliseconds, .milliseconds(in: 0...(30 * 86_400_000))),
            ConfigurationKey("scan_limit", \.scanLimit, .integer(in: 1...1_000_000_000)),
        ]
    }
}
