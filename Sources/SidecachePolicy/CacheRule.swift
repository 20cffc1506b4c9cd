public import SidecacheConfig

/// One rule of the policy, compiled from its configuration.
public struct CacheRule: Sendable {
    /// The rule's position in `cache.rules` (what statistics are reported by).
    public let index: Int
    public let pattern: KeyPattern
    public let mode: CacheMode
    public let ttlMilliseconds: Int64
    public let maxTTLMilliseconds: Int64
    public let jitter: Double
    public let nullTTLMilliseconds: Int64
    public let bloom: CacheBloomConfiguration?
    public let doubleDeleteDelayMilliseconds: Int64
    public let doubleDeletesUpstream: Bool
    public let singleFlight: Bool
    public let staleIfErrorMilliseconds: Int64
    public let maxValueBytes: Int
    /// The names of the commands answered from the local copy; `nil` for the default set.
    public let commandNames: [String]?

    public init(index: Int, _ configuration: CacheRuleConfiguration) {
        self.index = index
        pattern = KeyPattern(configuration.match)
        mode = configuration.mode
        ttlMilliseconds = Int64(configuration.ttlMilliseconds)
        maxTTLMilliseconds = Int64(configuration.maxTTLMilliseconds)
        jitter = configuration.jitter
        nullTTLMilliseconds = Int64(configuration.nullTTLMilliseconds)
        bloom = configuration.bloom
        doubleDeleteDelayMilliseconds = Int64(configuration.doubleDeleteDelayMilliseconds)
        doubleDeletesUpstream = configuration.doubleDelete == .upstream
        singleFlight = configuration.singleFlight
        staleIfErrorMilliseconds = Int64(configuration.staleIfErrorMilliseconds)
        maxValueBytes = configuration.maxValueBytes
        commandNames = configuration.commands
    }

    /// The local lifetime of a key filled now, in milliseconds: `ttl` spread uniformly over
    /// ±`jitter`, capped by `max_ttl` and by the key's remaining upstream lifetime
    /// (`upstreamTTL`, PTTL's answer: -1 for none). At least 1 ms.
    public func lifetime(upstreamTTL: Int64, random: inout some RandomNumberGenerator) -> Int64 {
        var lifetime = Double(ttlMilliseconds)
        if jitter > 0 { lifetime *= 1 + Double.random(in: -jitter...jitter, using: &random) }
        var result = Int64(lifetime.rounded())
        if maxTTLMilliseconds > 0 { result = min(result, maxTTLMilliseconds) }
        if upstreamTTL > 0 { result = min(result, upstreamTTL) }
        return max(1, result)
    }
}
