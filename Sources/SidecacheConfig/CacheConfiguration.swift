/// The `cache` section: the rules that make the local engine an L1 in front of the upstream.
public struct CacheConfiguration: Sendable, Equatable {
    /// `rules`: ordered; the first rule whose `match` fits a key decides for it. Keys no rule
    /// matches are forwarded (with an upstream) or answered locally (without one).
    public var rules: [CacheRuleConfiguration] = []
    /// `tracking`: subscribe to upstream invalidations (`CLIENT TRACKING ... BCAST`) so that
    /// writes made through other sidecars or directly at the upstream drop local copies.
    public var tracking = true
    /// `null_max_entries`: most "no such key" entries remembered at once (the oldest go first).
    public var nullMaxEntries = 1_000_000

    public init() {}
}

extension CacheConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("rules", \.rules, .cacheRules),
            ConfigurationKey("tracking", \.tracking, .boolean),
            ConfigurationKey("null_max_entries", \.nullMaxEntries, .integer(in: 0...100_000_000)),
        ]
    }

    /// A `cache` rule needs an upstream to fill from.
    func crossKeyProblems(upstream: UpstreamMode) -> [ConfigurationProblem] {
        guard upstream == .none else { return [] }
        return rules.enumerated().compactMap { index, rule in
            guard rule.mode == .cache else { return nil }
            return ConfigurationProblem(
                path: "cache.rules[\(index)].mode",
                message: "mode cache needs an upstream to fill from, but upstream.mode is none; use mode local, or configure an upstream"
            )
        }
    }
}
