import SidecacheConfig
import SidecachePolicy
import Testing

/// The cache rules' decisions without sockets: which rule a key falls under, lifetimes with
/// jitter and caps, tracking prefixes, remembered misses, Bloom filter error rates and
/// single-flight fills.
struct CachePolicyTests {
    private func rule(_ match: String, mode: CacheMode = .cache, ttl: Int = 60_000, jitter: Double = 0, maxTTL: Int = 0) -> CacheRuleConfiguration {
        var rule = CacheRuleConfiguration()
        rule.match = match
        rule.mode = mode
        rule.ttlMilliseconds = ttl
        rule.jitter = jitter
        rule.maxTTLMilliseconds = maxTTL
        return rule
    }

    private func policy(_ rules: [CacheRuleConfiguration]) -> CachePolicy {
        var configuration = CacheConfiguration()
        configuration.rules = rules
        return CachePolicy(configuration)
    }

    @Test func theFirstMatchingRuleDecides() {
        let policy = policy([rule("user:admin:*", mode: .bypass), rule("user:*"), rule("*:profile", mode: .local), rule("sess")])
        func index(_ key: String) -> Int? { Array(key.utf8).withUnsafeBytes { policy.ruleIndex(for: $0) } }
        #expect(index("user:admin:1") == 0)
        #expect(index("user:1") == 1)
        #expect(index("user:") == 1)
        #expect(index("use") == nil)
        #expect(index("x:profile") == 2)
        #expect(index("session:9") == 3)
        #expect(index("other") == nil)
        #expect(policy.rules[1].pattern.kind == .prefix)
        #expect(policy.rules[2].pattern.kind == .glob)
    }

    @Test func trackingPrefixesCoverEveryCachedRuleWithoutOverlap() {
        let prefixes = policy([rule("user:*"), rule("user:admin:*"), rule("item:"), rule("x*", mode: .bypass)]).trackingPrefixes
        #expect(Set(prefixes) == [Array("item:".utf8), Array("user:".utf8)])
        #expect(prefixes.count == 2)
        #expect(policy([rule("user:*"), rule("*:profile")]).trackingPrefixes.isEmpty)
    }

    /// 100,000 lifetimes of a 60 s rule with jitter 0.2 drawn at once (keys filled in the same
    /// instant): uniform over 48–72 s, no one-second bucket above twice its share.
    @Test func jitterSpreadsLifetimesUniformly() {
        let jittered = CacheRule(index: 0, rule("k", ttl: 60_000, jitter: 0.2))
        var random = SystemRandomNumberGenerator()
        var buckets: [Int64: Int] = [:]
        var lifetimes: [Int64] = []
        for _ in 0..<100_000 {
            let lifetime = jittered.lifetime(upstreamTTL: -1, random: &random)
            lifetimes.append(lifetime)
            buckets[lifetime / 1000, default: 0] += 1
        }
        #expect(lifetimes.min()! >= 48_000 && lifetimes.max()! <= 72_000)
        #expect(buckets.values.allSatisfy { $0 <= 2 * 100_000 / 24 })
        #expect(buckets.count >= 24)
        let fixed = CacheRule(index: 0, rule("k", ttl: 60_000, jitter: 0))
        #expect((0..<1000).allSatisfy { _ in fixed.lifetime(upstreamTTL: -1, random: &random) == 60_000 })
    }

    @Test func lifetimesAreCappedByMaxTTLAndTheUpstreamTTL() {
        var random = SystemRandomNumberGenerator()
        let capped = CacheRule(index: 0, rule("k", ttl: 60_000, jitter: 0.5, maxTTL: 50_000))
        #expect((0..<1000).allSatisfy { _ in capped.lifetime(upstreamTTL: -1, random: &random) <= 50_000 })
        #expect(capped.lifetime(upstreamTTL: 1234, random: &random) == 1234)
        #expect(capped.lifetime(upstreamTTL: 0, random: &random) >= 1)
    }

    @Test func nullEntriesExpireAndStayBounded() {
        var nulls = NullEntries(capacity: 100)
        let key = CacheKey(database: 0, key: Array("a".utf8))
        nulls.insert(key, until: 1000)
        let before = nulls.contains(key, now: 999)
        let after = nulls.contains(key, now: 1000)
        #expect(before && !after)
        for index in 0..<1000 { nulls.insert(CacheKey(database: 0, key: Array("k\(index)".utf8)), until: 5000) }
        #expect(nulls.count <= 100)
        nulls.insert(key, until: 5000)
        let removed = nulls.remove(key)
        let remembered = nulls.contains(key, now: 0)
        #expect(removed && !remembered)
    }

    /// At capacity, the false-positive rate stays near the configured one.
    @Test(arguments: [0.01, 0.001])
    func bloomFalsePositiveRate(errorRate: Double) {
        var filter = KeyBloomFilter(capacity: 50_000, errorRate: errorRate)
        for index in 0..<50_000 { Array("present:\(index)".utf8).withUnsafeBytes { filter.insert($0) } }
        #expect((0..<50_000).allSatisfy { index in Array("present:\(index)".utf8).withUnsafeBytes { filter.mayContain($0) } })
        let falsePositives = (0..<100_000).filter { index in
            Array("absent:\(index)".utf8).withUnsafeBytes { filter.mayContain($0) }
        }.count
        #expect(Double(falsePositives) <= errorRate * 100_000 * 1.5, "\(falsePositives) false positives")
    }

    @Test func concurrentMissesShareOneFillUntilItIsInvalidated() {
        var flights = FillFlights<Int>()
        let key = CacheKey(database: 0, key: Array("k".utf8))
        let first = flights.join(key, waiter: 1, shared: true)
        let second = flights.join(key, waiter: 2, shared: true)
        #expect(first.isNew && !second.isNew && first.flight === second.flight)
        flights.invalidate(key)
        #expect(first.flight.invalidated)
        let third = flights.join(key, waiter: 3, shared: true)
        #expect(third.isNew && third.flight !== first.flight)
        #expect(flights.finish(first.flight) == [1, 2])
        #expect(flights.finish(third.flight) == [3])
        #expect(flights.join(key, waiter: 4, shared: false).isNew && flights.join(key, waiter: 5, shared: false).isNew)
    }
}
