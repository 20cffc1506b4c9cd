import SidecacheConfig
import Testing

/// The `upstream` section, its node syntax and the `--upstream` URL.
struct UpstreamConfigurationTests {
    @Test func singleNodeWithTimeouts() throws {
        let configuration = try SidecacheConfiguration.decode(
            yaml: """
                upstream:
                  mode: single
                  nodes: ["10.0.0.5:6380"]
                  username: app
                  password: s3cret
                  command_timeout: 250ms
                  connect_timeout: 2s
                  connections: 2
                """
        )
        #expect(configuration.upstream.mode == .single)
        #expect(configuration.upstream.nodes == [UpstreamNodeConfiguration(host: "10.0.0.5", port: 6380)])
        #expect(configuration.upstream.username == "app")
        #expect(configuration.upstream.password == "s3cret")
        #expect(configuration.upstream.commandTimeoutMilliseconds == 250)
        #expect(configuration.upstream.connectTimeoutMilliseconds == 2000)
        #expect(configuration.upstream.connections == 2)
    }

    @Test func nodeSyntax() {
        #expect(UpstreamNodeConfiguration(parsing: "h:1") == UpstreamNodeConfiguration(host: "h", port: 1))
        #expect(UpstreamNodeConfiguration(parsing: "h:6379:3 shard-a") == UpstreamNodeConfiguration(host: "h", port: 6379, weight: 3, name: "shard-a"))
        #expect(UpstreamNodeConfiguration(parsing: "[::1]:7000:2") == UpstreamNodeConfiguration(host: "::1", port: 7000, weight: 2))
        #expect(UpstreamNodeConfiguration(parsing: "h") == nil)
        #expect(UpstreamNodeConfiguration(parsing: "h:0") == nil)
        #expect(UpstreamNodeConfiguration(parsing: "h:1:0") == nil)
        #expect(UpstreamNodeConfiguration(parsing: "h:1 a b") == nil)
    }

    @Test func badNodesAndCountsAreReported() {
        let bad = problems(in: "upstream:\n  mode: single\n  nodes: [\"host\", \"h:70000\"]\n")
        #expect(bad.map(\.path) == ["upstream.nodes[0]", "upstream.nodes[1]"])
        let two = problems(in: "upstream:\n  mode: single\n  nodes: [\"a:1\", \"b:2\"]\n")
        #expect(two.map(\.description) == ["upstream: mode single needs exactly one node, got 2"])
        let orphan = problems(in: "upstream:\n  nodes: [\"a:1\"]\n")
        #expect(orphan.first?.message.contains("mode is none") == true)
        let timeout = problems(in: "upstream:\n  command_timeout: 0\n")
        #expect(timeout.first?.path == "upstream.command_timeout")
    }

    @Test func upstreamURL() {
        var upstream = UpstreamConfiguration()
        #expect(upstream.applySingleURL("redis://app:p%40ss@cache.internal:6390") == nil)
        #expect(upstream.mode == .single)
        #expect(upstream.nodes == [UpstreamNodeConfiguration(host: "cache.internal", port: 6390)])
        #expect(upstream.username == "app")
        #expect(upstream.password == "p@ss")
        #expect(upstream.applySingleURL("redis://:only@h") == nil)
        #expect(upstream.username == nil && upstream.password == "only")
        #expect(upstream.nodes.first?.port == 6379)
        #expect(upstream.applySingleURL("http://h:1") != nil)
        #expect(upstream.applySingleURL("redis://h:1/3") != nil)
        #expect(upstream.applySingleURL("redis://h:notaport") != nil)
    }

    @Test func shardList() {
        var upstream = UpstreamConfiguration()
        #expect(upstream.applyShardList("10.0.0.1:6379, 10.0.0.2:6379:2") == nil)
        #expect(upstream.mode == .sharded)
        #expect(upstream.nodes == [
            UpstreamNodeConfiguration(host: "10.0.0.1", port: 6379),
            UpstreamNodeConfiguration(host: "10.0.0.2", port: 6379, weight: 2),
        ])
        #expect(upstream.applyShardList("a:1,,b:2") != nil)
        #expect(upstream.applyShardList("a:1 name") != nil)
    }

    @Test func sentinelMode() throws {
        let configuration = try SidecacheConfiguration.decode(
            yaml: "upstream:\n  mode: sentinel\n  nodes: [\"s1:26379\", \"s2:26379\"]\n  sentinel_master: cache\n"
        )
        #expect(configuration.upstream.mode == .sentinel)
        #expect(configuration.upstream.sentinelMaster == "cache")
        let missing = problems(in: "upstream:\n  mode: sentinel\n  nodes: [\"s1:26379\"]\n")
        #expect(missing.first?.message.contains("sentinel_master") == true)
        var upstream = UpstreamConfiguration()
        #expect(upstream.applySentinels("a:26379,b:26380", master: "m") == nil)
        #expect(upstream.nodes.count == 2 && upstream.mode == .sentinel && upstream.sentinelMaster == "m")
        #expect(upstream.applySentinels("a:26379", master: nil) != nil)
    }
}
