public import SidecacheConfig

/// The ordered rules: the first whose pattern fits a key decides for it.
public struct CachePolicy: Sendable {
    public let rules: [CacheRule]

    public init(_ configuration: CacheConfiguration) {
        rules = configuration.rules.enumerated().map { CacheRule(index: $0.offset, $0.element) }
    }

    /// The index of the rule for `key`, or `nil` when no rule matches.
    @inline(__always)
    public func ruleIndex(for key: UnsafeRawBufferPointer) -> Int? {
        for index in rules.indices where rules[index].pattern.matches(key) { return index }
        return nil
    }

    /// Whether any rule caches (and so needs fills, invalidations and tracking).
    public var caches: Bool { rules.contains { $0.mode == .cache } }

    /// The prefixes client tracking must broadcast for the `cache` rules: each rule's literal
    /// prefix, without those another one already covers (Redis refuses overlapping prefixes).
    /// An empty result means every key (some rule has no literal prefix).
    public var trackingPrefixes: [[UInt8]] {
        let prefixes = rules.filter { $0.mode == .cache }.map(\.pattern.literalPrefix)
        if prefixes.contains(where: \.isEmpty) { return [] }
        var kept: [[UInt8]] = []
        for prefix in prefixes.sorted(by: { $0.count < $1.count }) where !kept.contains(where: { prefix.starts(with: $0) }) {
            kept.append(prefix)
        }
        return kept
    }
}
