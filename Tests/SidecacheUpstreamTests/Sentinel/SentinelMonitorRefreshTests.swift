import NIOCore
import SidecacheUpstream
import Testing

/// The periodic refresh against stand-in sentinels that never publish, naming two real
/// redis-servers (both masters, as an old primary is until the sentinels reconfigure it).
@Suite(.enabled(if: SentinelDeployment.available, "needs redis-server"))
struct SentinelMonitorRefreshTests {
    private func withFakes<T>(
        naming primary: UpstreamAddress,
        _ body: ([FakeSentinel], SentinelSettings) async throws -> T
    ) async throws -> T {
        var fakes: [FakeSentinel] = []
        do {
            for _ in 0..<3 { fakes.append(try await FakeSentinel.start(naming: primary)) }
            let settings = SentinelSettings(
                sentinels: fakes.map(\.address),
                masterName: "mymaster",
                refreshIntervalMilliseconds: 100
            )
            let result = try await body(fakes, settings)
            for fake in fakes { await fake.stop() }
            return result
        } catch {
            for fake in fakes { await fake.stop() }
            throw error
        }
    }

    /// The sentinels all name another primary, and no `+switch-master` came: the refresh
    /// follows them.
    @Test func followsTheSentinelsWithoutAMessage() async throws {
        try await ShardServers.withRedisServers(2) { ports in
            let (old, new) = (SentinelDeployment.address(ports[0]), SentinelDeployment.address(ports[1]))
            try await withFakes(naming: old) { fakes, settings in
                try await withSentinelMonitor(settings) { monitor, changes in
                    #expect(try await monitor.start().get() == old)
                    for fake in fakes { fake.name(new) }
                    try await SentinelDeployment.waitUntil("the refresh finds \(new)", within: .seconds(3)) {
                        monitor.currentPrimary == new
                    }
                    #expect(changes.all == [old, new])
                }
            }
        }
    }

    /// One sentinel names another primary (one that does answer ROLE as a master) while the
    /// two others keep naming the current one: the monitor stays.
    @Test func oneStaleSentinelDoesNotMoveThePrimary() async throws {
        try await ShardServers.withRedisServers(2) { ports in
            let (current, other) = (SentinelDeployment.address(ports[0]), SentinelDeployment.address(ports[1]))
            try await withFakes(naming: current) { fakes, settings in
                try await withSentinelMonitor(settings) { monitor, changes in
                    #expect(try await monitor.start().get() == current)
                    // The first sentinel is the one the refresh asks first.
                    fakes[0].name(other)
                    #expect(try await monitor.refresh().get() == other)
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(monitor.currentPrimary == current)
                    #expect(changes.all == [current])
                }
            }
        }
    }
}
