/// What goes when the data outgrows `maxmemory` (Redis's `maxmemory-policy`).
public enum EvictionPolicy: String, Sendable, CaseIterable {
    case noEviction = "noeviction"
    case allKeysLRU = "allkeys-lru"
    case volatileLRU = "volatile-lru"
    case allKeysLFU = "allkeys-lfu"
    case volatileLFU = "volatile-lfu"
    case allKeysRandom = "allkeys-random"
    case volatileRandom = "volatile-random"
    case volatileTTL = "volatile-ttl"

    /// Whether keys are counted by frequency (the access clock holds LFU minutes and counter).
    public var usesLFU: Bool { self == .allKeysLFU || self == .volatileLFU }

    /// Whether only keys with an expiry may be evicted.
    public var volatileOnly: Bool {
        switch self {
        case .volatileLRU, .volatileLFU, .volatileRandom, .volatileTTL: true
        default: false
        }
    }

    /// Whether victims are drawn at random rather than from the pool of best candidates.
    var isRandom: Bool { self == .allKeysRandom || self == .volatileRandom }
}

/// The memory limit and how eviction and LFU behave (Redis's names in the comments).
public struct EvictionSettings: Sendable, Equatable {
    /// `maxmemory`: bytes of data allowed before eviction; 0 means no limit.
    public var maxMemory = 0
    /// `maxmemory-policy`.
    public var policy = EvictionPolicy.noEviction
    /// `maxmemory-samples`: keys sampled per database per round.
    public var samples = 5
    /// `lfu-log-factor`: how slowly the LFU counter saturates.
    public var lfuLogFactor = 10
    /// `lfu-decay-time`: minutes for the LFU counter to lose one; 0 never decays.
    public var lfuDecayTime = 1

    public init() {}
}
