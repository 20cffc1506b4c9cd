import SidecacheConfig
import SidecacheDifftest
import Testing

/// Single-server forwarding: the differential tester's seeded sequences (every default family)
/// sent to a redis-server directly and, in lockstep, through Sidecache to a second
/// redis-server. Forwarding must not change a single reply.
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ForwardingDifferentialTests {
    @Test func forwardedRepliesMatchRedis() async throws {
        try await DifferentialFuzzTests.withRedisServers([[], []]) { redis in
            try await withTestServer({ configuration in
                configuration.upstream.mode = .single
                configuration.upstream.nodes = [UpstreamNodeConfiguration(host: "127.0.0.1", port: redis[1].port)]
            }) { sidecache in
                try await DifferentialFuzzTests.runSeeds(
                    reference: redis[0].endpoint(),
                    candidate: DifftestEndpoint(name: "sidecache→redis", port: sidecache.port)
                )
            }
        }
    }
}
