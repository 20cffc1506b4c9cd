import Foundation
import NIOCore
import NIOPosix
import SidecacheRESP
import SidecacheUpstream
import Synchronization
import Testing

/// The primaries a monitor reported through `onPrimaryChange`, in order.
final class PrimaryChanges: Sendable {
    private let reported = Mutex<[UpstreamAddress]>([])
    func append(_ address: UpstreamAddress) { reported.withLock { $0.append(address) } }
    var all: [UpstreamAddress] { reported.withLock { $0 } }
}

/// Runs `body` with a monitor of `settings`, stopped afterwards whether `body` returns or throws.
func withSentinelMonitor<T>(
    _ settings: SentinelSettings,
    _ body: (SentinelMonitor, PrimaryChanges) async throws -> T
) async throws -> T {
    let changes = PrimaryChanges()
    let monitor = SentinelMonitor(
        settings: settings,
        eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
        onPrimaryChange: { changes.append($0) }
    )
    do {
        let result = try await body(monitor, changes)
        try await monitor.stop().get()
        return result
    } catch {
        try? await monitor.stop().get()
        throw error
    }
}

/// `SentinelMonitor` against one primary, one replica and three real sentinels, shared by the
/// suite (started once; the tests run one after another because the last one fails over).
@Suite(.serialized, .enabled(if: SentinelDeployment.available, "needs redis-server"), .sentinelDeployment)
struct SentinelMonitorTests {
    private var deployment: SentinelDeployment {
        get throws { try #require(SentinelDeployment.current) }
    }

    private func settings(
        _ sentinels: [UpstreamAddress],
        masterName: String = SentinelDeployment.masterName,
        refreshMilliseconds: Int = 60_000
    ) -> SentinelSettings {
        SentinelSettings(
            sentinels: sentinels,
            masterName: masterName,
            connectTimeoutMilliseconds: 500,
            commandTimeoutMilliseconds: 1000,
            refreshIntervalMilliseconds: refreshMilliseconds
        )
    }

    @Test func findsThePrimaryAndSubscribes() async throws {
        let deployment = try deployment
        let expected = try #require(try await deployment.primaryNamed(bySentinel: 0))
        try await withSentinelMonitor(settings(deployment.sentinelAddresses)) { monitor, changes in
            let primary = try await monitor.start().get()
            #expect(primary == SentinelDeployment.address(expected))
            #expect(monitor.currentPrimary == primary)
            #expect(changes.all == [primary])
            try await SentinelDeployment.waitUntil("subscribed", within: .seconds(5)) {
                monitor.snapshot.subscribedSentinel == deployment.sentinelAddresses[0]
            }
            #expect(monitor.snapshot.lastError == nil)
        }
    }

    @Test func skipsADeadSentinel() async throws {
        let deployment = try deployment
        let dead = try RefusingPort()
        defer { dead.release() }
        let sentinels = [SentinelDeployment.address(dead.port)] + deployment.sentinelAddresses
        try await withSentinelMonitor(settings(sentinels)) { monitor, _ in
            let primary = try await monitor.start().get()
            #expect(primary.port == (try await deployment.primaryNamed(bySentinel: 0)))
            try await SentinelDeployment.waitUntil("subscribed to the first live sentinel", within: .seconds(5)) {
                monitor.snapshot.subscribedSentinel == deployment.sentinelAddresses[0]
            }
        }
    }

    @Test func anUnknownMasterNameFailsWithEachSentinelsAnswer() async throws {
        let deployment = try deployment
        let dead = try RefusingPort()
        defer { dead.release() }
        let live = Array(deployment.sentinelAddresses.prefix(2))
        let sentinels = live + [SentinelDeployment.address(dead.port)]
        try await withSentinelMonitor(settings(sentinels, masterName: "nosuchmaster")) { monitor, changes in
            let error = await #expect(throws: SentinelError.self) { try await monitor.start().get() }
            #expect(error?.attempts.map(\.sentinel) == sentinels)
            #expect(error?.attempts.map(\.reason).prefix(2) == [.unknownMaster, .unknownMaster])
            let description = error?.description ?? ""
            #expect(description.hasPrefix("no sentinel named a primary for 'nosuchmaster': "))
            #expect(description.contains("\(live[0]): master name unknown; \(live[1]): master name unknown; \(sentinels[2]): "))
            #expect(description.lowercased().contains("connection refused"))
            #expect(monitor.currentPrimary == nil)
            #expect(monitor.snapshot.lastError == error)
            #expect(changes.all.isEmpty)
        }
    }

    /// The sentinel the monitor listens to drops the subscription: the monitor moves on to the
    /// next sentinel, and a failover announced there reaches it. The refresh interval is a
    /// minute, so only the subscription can tell it.
    @Test func resubscribesElsewhereAndFollowsAFailover() async throws {
        let deployment = try deployment
        let sentinels = deployment.sentinelAddresses
        let old = try #require(try await deployment.primaryNamed(bySentinel: 0))
        let new = old == deployment.initialPrimary ? deployment.initialReplica : deployment.initialPrimary
        try await withSentinelMonitor(settings(sentinels)) { monitor, changes in
            _ = try await monitor.start().get()
            try await SentinelDeployment.waitUntil("subscribed to sentinel 0", within: .seconds(5)) {
                monitor.snapshot.subscribedSentinel == sentinels[0]
            }
            let killed = try await deployment.sentinel(0, "CLIENT", "KILL", "TYPE", "pubsub")
            #expect(killed == .integer(1))
            try await SentinelDeployment.waitUntil("subscribed to sentinel 1", within: .seconds(5)) {
                monitor.snapshot.subscribedSentinel == sentinels[1]
            }

            try await deployment.forceFailover(viaSentinel: 1)
            try await SentinelDeployment.waitUntil("failover to \(new) reported", within: .seconds(15)) {
                monitor.currentPrimary?.port == new
            }
            #expect(changes.all == [SentinelDeployment.address(old), SentinelDeployment.address(new)])
            #expect(monitor.snapshot.switches == 1)
            let role = try await RESPExchange.command(port: new, "ROLE")
            guard case .array(let fields?) = role else { throw TestFailure("ROLE: \(role)") }
            #expect(fields.first?.text == "master")
        }
    }
}

/// The monitor with no sentinel to talk to, and its stop.
struct SentinelMonitorFailureTests {
    @Test func noSentinelReachableListsEachOne() async throws {
        let first = try RefusingPort()
        let second = try RefusingPort()
        defer {
            first.release()
            second.release()
        }
        let sentinels = [first.port, second.port].map { UpstreamAddress(host: "127.0.0.1", port: $0) }
        let settings = SentinelSettings(sentinels: sentinels, masterName: "mymaster", refreshIntervalMilliseconds: 60_000)
        try await withSentinelMonitor(settings) { monitor, _ in
            let error = await #expect(throws: SentinelError.self) { try await monitor.start().get() }
            let description = error?.description ?? ""
            #expect(description.hasPrefix("no sentinel named a primary for 'mymaster': \(sentinels[0]): unavailable: "))
            #expect(description.contains("; \(sentinels[1]): unavailable: "))
            #expect(description.lowercased().components(separatedBy: "connection refused").count == 3)
            #expect(error?.failure.message.hasPrefix("ERR upstream no sentinel named a primary") == true)
        }
    }

    @Test func noSentinelsConfigured() async throws {
        try await withSentinelMonitor(SentinelSettings(sentinels: [], masterName: "mymaster")) { monitor, _ in
            let error = await #expect(throws: SentinelError.self) { try await monitor.start().get() }
            #expect(error?.description == "no sentinel named a primary for 'mymaster': no sentinels configured")
        }
    }

    @Test func refreshFailsOnceStopped() async throws {
        let monitor = SentinelMonitor(
            settings: SentinelSettings(sentinels: [], masterName: "mymaster"),
            eventLoop: MultiThreadedEventLoopGroup.singleton.next()
        )
        try await monitor.stop().get()
        let error = await #expect(throws: SentinelError.self) { try await monitor.refresh().get() }
        #expect(error?.monitorStopped == true)
    }
}

/// A primary that dies: the sentinels agree it is down, elect a leader and promote the replica,
/// and the monitor hears of it through its subscription. A deployment of its own, since the
/// other suite's old primary stays a primary (not yet reconfigured) for some ten seconds.
@Suite(.enabled(if: SentinelDeployment.available, "needs redis-server"))
struct SentinelPrimaryCrashTests {
    @Test func followsTheReplicaPromotedAfterThePrimaryDies() async throws {
        let deployment = try await SentinelDeployment.start(sentinelsKnowEachOther: true)
        defer { deployment.stop() }
        let settings = SentinelSettings(
            sentinels: deployment.sentinelAddresses,
            masterName: SentinelDeployment.masterName,
            refreshIntervalMilliseconds: 60_000
        )
        try await withSentinelMonitor(settings) { monitor, changes in
            let primary = try await monitor.start().get()
            #expect(primary.port == deployment.initialPrimary)
            try await SentinelDeployment.waitUntil("subscribed", within: .seconds(5)) {
                monitor.snapshot.subscribedSentinel != nil
            }
            deployment.kill(node: deployment.initialPrimary)
            try await SentinelDeployment.waitUntil("promotion of \(deployment.initialReplica) reported", within: .seconds(20)) {
                monitor.currentPrimary?.port == deployment.initialReplica
            }
            #expect(changes.all.map(\.port) == [deployment.initialPrimary, deployment.initialReplica])
        }
    }
}
