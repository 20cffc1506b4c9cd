import Foundation
import SidecacheRESP
import SidecacheUpstream
import Testing

/// A primary, its replica and three sentinels (quorum 2, down after 1 s) on loopback ports,
/// with the sentinels' configuration files in a temporary folder. `stop()` kills every process
/// and removes the folder; the processes also die with this object and, through
/// SIDECACHE_TEST_RUN, with `scripts/test`.
final class SentinelDeployment: @unchecked Sendable {
    static let masterName = "mymaster"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: ShardServers.redisServer) }

    /// The deployment the suite-level `SentinelDeploymentTrait` started.
    @TaskLocal static var current: SentinelDeployment?

    let directory: URL
    /// The two data nodes by port; which one is the primary changes with failovers.
    private(set) var nodes: [Int: ChildProcess] = [:]
    private(set) var sentinels: [(process: ChildProcess, port: Int)] = []
    /// The port of the primary at start.
    private(set) var initialPrimary = 0
    private(set) var initialReplica = 0

    private init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sidecache-sentinel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var sentinelAddresses: [UpstreamAddress] { sentinels.map { UpstreamAddress(host: "127.0.0.1", port: $0.port) } }

    static func address(_ port: Int) -> UpstreamAddress { UpstreamAddress(host: "127.0.0.1", port: port) }

    /// Starts everything and waits until every sentinel monitors the primary and knows the
    /// replica (a forced failover needs that), and, with `sentinelsKnowEachOther`, until each
    /// knows the two other sentinels (an automatic failover needs their votes).
    static func start(sentinelsKnowEachOther: Bool = false) async throws -> SentinelDeployment {
        let deployment = try SentinelDeployment()
        do {
            try await deployment.startNodes()
            for _ in 0..<3 { try await deployment.startSentinel() }
            try await deployment.waitUntilMonitored(sentinelsKnowEachOther: sentinelsKnowEachOther)
            return deployment
        } catch {
            deployment.stop()
            throw error
        }
    }

    func stop() {
        for sentinel in sentinels { sentinel.process.stop() }
        for node in nodes.values { node.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// Kills the data node on `port` (a primary crash).
    func kill(node port: Int) {
        nodes[port]?.stop()
    }

    func sentinel(_ index: Int, _ arguments: String...) async throws -> RESPValue {
        try await RESPExchange.run(port: sentinels[index].port, [arguments.map { Array($0.utf8) }], timeout: .seconds(3))[0]
    }

    /// The primary the sentinel at `index` names now.
    func primaryNamed(bySentinel index: Int) async throws -> Int? {
        guard case .array(let items?) = try await sentinel(index, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", Self.masterName),
            items.count == 2, let port = items[1].text.flatMap({ Int($0) })
        else { return nil }
        return port
    }

    /// `SENTINEL FAILOVER`, retried while the sentinel has no replica it deems good yet.
    func forceFailover(viaSentinel index: Int) async throws {
        try await Self.waitUntil("sentinel accepts SENTINEL FAILOVER", within: .seconds(10)) {
            let reply = try await self.sentinel(index, "SENTINEL", "FAILOVER", Self.masterName)
            if reply == .simple("OK") { return true }
            guard case .simpleError(let text) = reply, ["NOGOODSLAVE", "INPROG"].contains(where: { String(buffer: text).contains($0) })
            else { throw TestFailure("SENTINEL FAILOVER: \(reply)") }
            return false
        }
    }

    /// Polls `condition` every 50 ms until it holds; throws when `within` has passed.
    static func waitUntil(_ what: String, within: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + within
        while true {
            if (try? await condition()) == true { return }
            if ContinuousClock.now >= deadline { throw TestFailure("not within \(within): \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Starting

    private func startNodes() async throws {
        let (primary, primaryPort) = try await ShardServers.startRedis()
        nodes[primaryPort] = primary
        let (replica, replicaPort) = try await ShardServers.startRedis()
        nodes[replicaPort] = replica
        initialPrimary = primaryPort
        initialReplica = replicaPort
        // Redis 7 waits 5 s before a diskless full sync, for more replicas to join it; either
        // node may be primary after a failover.
        for port in [primaryPort, replicaPort] {
            _ = try await RESPExchange.command(port: port, "CONFIG", "SET", "repl-diskless-sync-delay", "0")
        }
        _ = try await RESPExchange.command(port: replicaPort, "REPLICAOF", "127.0.0.1", "\(primaryPort)")
        // The sentinels find the replica in the primary's INFO, asked once at connection and
        // then every 10 s: it must be listed there before they start.
        try await Self.waitUntil("replica \(replicaPort) in sync with \(primaryPort)", within: .seconds(10)) {
            let info = try await RESPExchange.command(port: replicaPort, "INFO", "replication").text ?? ""
            return info.contains("master_link_status:up")
        }
    }

    private func startSentinel() async throws {
        var lastError: any Error = TestFailure("redis-server --sentinel did not start")
        for _ in 0..<3 {
            let port = try await ChildProcess.freePort()
            let index = sentinels.count
            let configuration = """
                port \(port)
                bind 127.0.0.1
                daemonize no
                dir \(directory.path)
                logfile \(directory.appendingPathComponent("sentinel-\(index).log").path)
                sentinel monitor \(Self.masterName) 127.0.0.1 \(initialPrimary) 2
                sentinel down-after-milliseconds \(Self.masterName) 1000
                sentinel failover-timeout \(Self.masterName) 2000
                sentinel parallel-syncs \(Self.masterName) 1

                """
            let path = directory.appendingPathComponent("sentinel-\(index).conf").path
            try configuration.write(toFile: path, atomically: true, encoding: .utf8)
            let process = try ChildProcess(executable: ShardServers.redisServer, arguments: [path, "--sentinel"])
            do {
                try await Self.waitUntil("sentinel on \(port) answers", within: .seconds(5)) {
                    guard process.isRunning else { throw TestFailure("sentinel on \(port) exited") }
                    let info = try await RESPExchange.command(port: port, "INFO", "server", timeout: .seconds(1)).text ?? ""
                    return info.contains("process_id:\(process.process.processIdentifier)\r\n")
                }
                sentinels.append((process, port))
                return
            } catch {
                process.stop()
                lastError = error
            }
        }
        throw lastError
    }

    private func waitUntilMonitored(sentinelsKnowEachOther: Bool) async throws {
        for index in sentinels.indices {
            try await Self.waitUntil("sentinel \(index) knows the replica", within: .seconds(10)) {
                guard case .array(let replicas?) = try await self.sentinel(index, "SENTINEL", "REPLICAS", Self.masterName) else {
                    return false
                }
                return replicas.contains { replica in
                    guard case .array(let fields?) = replica else { return false }
                    let texts = fields.map { $0.text ?? "" }
                    func field(_ name: String) -> String? { texts.firstIndex(of: name).map { texts[$0 + 1] } }
                    return field("port") == "\(self.initialReplica)" && field("flags") == "slave"
                        && field("master-link-status") == "ok"
                }
            }
            guard sentinelsKnowEachOther else { continue }
            try await Self.waitUntil("sentinel \(index) knows the two others", within: .seconds(10)) {
                guard case .array(let others?) = try await self.sentinel(index, "SENTINEL", "SENTINELS", Self.masterName) else {
                    return false
                }
                return others.count == 2
            }
        }
    }
}

/// Starts one `SentinelDeployment` around a whole suite and stops it after the suite's last test.
struct SentinelDeploymentTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let deployment = try await SentinelDeployment.start()
        defer { deployment.stop() }
        try await SentinelDeployment.$current.withValue(deployment) {
            try await function()
        }
    }
}

extension Trait where Self == SentinelDeploymentTrait {
    /// One primary, one replica and three sentinels for the whole suite.
    static var sentinelDeployment: Self { Self() }
}
