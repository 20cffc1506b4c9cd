import SidecacheConfig
import Testing

/// The `cache` section: the issue's example as written, and whole-document problems.
struct CacheConfigurationTests {
    @Test func theDocumentedExampleDecodes() throws {
        let configuration = try SidecacheConfiguration.decode(yaml: """
            upstream:
              mode: single
              nodes: ["127.0.0.1:6379"]
            cache:
              rules:
                - match: "user:*"
                  mode: cache
                  ttl: 60s
                  jitter: 0.1
                  null_ttl: 5s
                  bloom: { capacity: 1000000, error_rate: 0.01 }
                  double_delete_delay: 500ms
                  stale_if_error: 30s
                - match: "session:*"
                  mode: bypass
            """)
        let rules = configuration.cache.rules
        #expect(rules.count == 2)
        #expect(rules[0].match == "user:*" && rules[0].mode == .cache)
        #expect(rules[0].ttlMilliseconds == 60_000 && rules[0].jitter == 0.1 && rules[0].nullTTLMilliseconds == 5000)
        #expect(rules[0].bloom?.capacity == 1_000_000 && rules[0].bloom?.errorRate == 0.01)
        #expect(rules[0].doubleDeleteDelayMilliseconds == 500 && rules[0].staleIfErrorMilliseconds == 30_000)
        #expect(rules[0].singleFlight && rules[0].doubleDelete == .local)
        #expect(rules[1].mode == .bypass && rules[1].bloom == nil)
        #expect(configuration.cache.tracking)
        #expect(SidecacheConfiguration().cache.rules.isEmpty)
    }

    @Test func everyProblemOfTheRulesIsReported() {
        let yaml = """
            upstream:
              mode: single
              nodes: ["127.0.0.1:6379"]
            cache:
              rules:
                - mode: cache
                - match: "a:*"
                  jitter: 2
                  bloom: { capacity: 0, error_rate: 1.5 }
                  mode: sometimes
                - match: "b:"
                  colour: blue
            """
        do {
            _ = try SidecacheConfiguration.decode(yaml: yaml)
            Issue.record("decoded")
        } catch {
            let paths = error.problems.map(\.path)
            #expect(paths.contains("cache.rules[0]"))
            #expect(paths.contains("cache.rules[1].jitter"))
            #expect(paths.contains("cache.rules[1].bloom.capacity"))
            #expect(paths.contains("cache.rules[1].bloom.error_rate"))
            #expect(paths.contains("cache.rules[1].mode"))
            #expect(paths.contains("cache.rules[2].colour"))
        }
    }

    @Test func aCacheRuleNeedsAnUpstream() {
        do {
            _ = try SidecacheConfiguration.decode(yaml: "cache:\n  rules:\n    - match: \"a:*\"\n    - match: \"b:*\"\n      mode: local\n")
            Issue.record("decoded")
        } catch {
            #expect(error.problems.map(\.path) == ["cache.rules[0].mode"])
        }
    }
}
