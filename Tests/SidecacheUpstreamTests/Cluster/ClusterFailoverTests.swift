import Logging
import NIOPosix
import SidecacheConfig
import SidecacheRESP
import SidecacheServer
import SidecacheUpstream
import Testing

/// A primary of a real Redis Cluster goes down under traffic through a cluster-mode sidecar:
/// every request gets an answer within its timeout (an error while the cluster fails over),
/// no reply is wrong, and writes reach the promoted replica once the cluster has promoted it.
/// A cluster of its own: the test takes a primary away.
@Suite(.enabled(if: ClusterServers.available, "needs redis-server, redis-cli and scripts/cluster"), .redisCluster)
struct ClusterFailoverTests {
    var cluster: ClusterServers { ClusterServers.current! }

    @Test func writesFollowAPrimaryFailover() async throws {
        var configuration = SidecacheConfiguration()
        configuration.server.bind = ["127.0.0.1"]
        configuration.server.port = 0
        configuration.upstream.mode = .cluster
        configuration.upstream.nodes = cluster.ports.map { UpstreamNodeConfiguration(host: "127.0.0.1", port: $0) }
        configuration.upstream.commandTimeoutMilliseconds = 1000
        configuration.upstream.connectTimeoutMilliseconds = 500
        configuration.upstream.clusterRefreshIntervalMilliseconds = 500
        let server = SidecacheServer(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await server.start()
        let port = try #require(server.boundAddresses.first?.port)
        defer { Task { await server.shutdown(grace: .seconds(1)) } }

        let key = "failover-key"
        try await SentinelDeployment.waitUntil("the slot map", within: .seconds(10)) {
            try await RESPExchange.command(port: port, "SET", key, "0") == .simple("OK")
        }
        let seed = cluster.address(cluster.ports[0])
        let map = try await ClusterDiscovery(seeds: [seed], settings: UpstreamConnectionSettings(address: seed))
            .discover(on: MultiThreadedEventLoopGroup.singleton.next())
        let primary = try #require(map.primaryAddress(for: ClusterKeySlot.slot(for: Array(key.utf8))))
        _ = try? await ClusterServers.run("/usr/bin/redis-cli", ["-p", "\(primary.port)", "SHUTDOWN", "NOSAVE"])

        var written = 0
        var failures = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let started = ContinuousClock.now
            let reply = try await RESPExchange.command(port: port, "SET", key, "\(written + 1)", timeout: .seconds(10))
            // Never a hang: an answer, error or not, comes within the command timeout and a
            // connect timeout (with a wide margin for a loaded machine).
            #expect(ContinuousClock.now - started < .seconds(5))
            switch reply {
            case .simple("OK"): written += 1
            case .simpleError: failures += 1
            default: Issue.record("SET answered \(reply)")
            }
            if written >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(written >= 3, "writes never reached the promoted replica (\(failures) errors)")
        #expect(try await RESPExchange.command(port: port, "GET", key) == .bulk("\(written)"))
        // The node that now owns the slot is the promoted replica, not the stopped primary.
        let after = try await ClusterDiscovery(seeds: cluster.ports.map { cluster.address($0) }, settings: UpstreamConnectionSettings(address: seed))
            .discover(on: MultiThreadedEventLoopGroup.singleton.next(), from: cluster.ports.filter { $0 != primary.port }.map { cluster.address($0) })
        #expect(after.primaryAddress(for: ClusterKeySlot.slot(for: Array(key.utf8))) != primary)
    }
}
