/// The `memory` section: the limit on the data's memory and what goes when it is reached.
/// The names and defaults are Redis 7's (`maxmemory`, `maxmemory-policy` and friends).
public struct MemoryConfiguration: Sendable, Equatable {
    /// `maxmemory`: bytes the data may hold before eviction; 0 means no limit.
    public var maxmemory = 0
    /// `maxmemory_policy`: what is evicted when the data is over `maxmemory`.
    public var maxmemoryPolicy = MaxmemoryPolicy.noeviction
    /// `maxmemory_samples`: keys sampled per database for each eviction.
    public var maxmemorySamples = 5
    /// `lfu_log_factor`: how many accesses it takes to saturate the LFU counter.
    public var lfuLogFactor = 10
    /// `lfu_decay_time`: minutes after which an idle key's LFU counter loses one; 0 = never.
    public var lfuDecayTime = 1

    public init() {}
}

/// Redis's `maxmemory-policy` values.
public enum MaxmemoryPolicy: String, Sendable, CaseIterable {
    case volatileLRU = "volatile-lru"
    case volatileLFU = "volatile-lfu"
    case volatileRandom = "volatile-random"
    case volatileTTL = "volatile-ttl"
    case allkeysLRU = "allkeys-lru"
    case allkeysLFU = "allkeys-lfu"
    case allkeysRandom = "allkeys-random"
    case noeviction
}

extension MemoryConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("maxmemory", \.maxmemory, .size(atLeast: 0)),
            ConfigurationKey("maxmemory_policy", \.maxmemoryPolicy, .choice),
            ConfigurationKey("maxmemory_samples", \.maxmemorySamples, .integer(in: 1...Int(Int32.max))),
            ConfigurationKey("lfu_log_factor", \.lfuLogFactor, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("lfu_decay_time", \.lfuDecayTime, .integer(in: 0...Int(Int32.max))),
        ]
    }
}
