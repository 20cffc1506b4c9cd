import Logging
import SidecacheConfig
import SidecacheRESP
import SidecacheServer
import SidecacheUpstream
import Testing

/// A sidecar in sentinel mode, end to end: one primary, one replica, three real sentinels.
/// Writes go to the primary the sentinels name, and after a failover to the promoted replica,
/// without restarting the sidecar.
@Suite(.enabled(if: SentinelDeployment.available, "needs redis-server"))
struct SentinelForwardingTests {
    @Test func writesFollowTheFailover() async throws {
        let deployment = try await SentinelDeployment.start()
        defer { deployment.stop() }
        var configuration = SidecacheConfiguration()
        configuration.server.bind = ["127.0.0.1"]
        configuration.server.port = 0
        configuration.upstream.mode = .sentinel
        configuration.upstream.nodes = deployment.sentinelAddresses.map { UpstreamNodeConfiguration(host: $0.host, port: $0.port) }
        configuration.upstream.sentinelMaster = SentinelDeployment.masterName
        configuration.upstream.commandTimeoutMilliseconds = 500
        let server = SidecacheServer(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await server.start()
        defer { Task { await server.shutdown(grace: .seconds(1)) } }
        let port = try #require(server.boundAddresses.first?.port)

        let before = try #require(try await deployment.primaryNamed(bySentinel: 0))
        var reply = RESPValue.null
        try await SentinelDeployment.waitUntil("a write through the sidecar", within: .seconds(10)) {
            reply = try await RESPExchange.command(port: port, "SET", "k", "before")
            return reply == .simple("OK")
        }
        #expect(try await RESPExchange.command(port: before, "GET", "k") == .bulk("before"))

        try await deployment.forceFailover(viaSentinel: 0)
        try await SentinelDeployment.waitUntil("the sentinels name a new primary", within: .seconds(20)) {
            try await deployment.primaryNamed(bySentinel: 0) != before
        }
        let after = try #require(try await deployment.primaryNamed(bySentinel: 0))
        // Writes may fail (READONLY, timeouts) while the roles change; then they reach the new primary.
        try await SentinelDeployment.waitUntil("a write on the new primary", within: .seconds(20)) {
            reply = try await RESPExchange.command(port: port, "SET", "k", "after")
            guard reply == .simple("OK") else { return false }
            return try await RESPExchange.command(port: after, "GET", "k") == .bulk("after")
        }
        let info = try await RESPExchange.command(port: port, "INFO", "upstream").text ?? ""
        #expect(info.contains("upstream_mode:sentinel"))
        #expect(info.contains("sentinel_master:\(SentinelDeployment.masterName)\r\n"))
        #expect(info.contains("sentinel_primary:127.0.0.1:\(after)\r\n"))
    }
}
