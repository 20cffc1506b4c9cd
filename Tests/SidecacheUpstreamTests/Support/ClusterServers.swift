import Foundation
import SidecacheUpstream
import Testing

/// A Redis Cluster (3 primaries, 3 replicas) started by `scripts/cluster` on loopback ports for
/// the tests of one suite: `@Suite(.redisCluster)` starts it before the suite's first test and
/// stops it after its last, whether they pass or fail; the tests find it in
/// `ClusterServers.current`. The nodes inherit SIDECACHE_TEST_RUN, so `scripts/test` reaps
/// them should the test runner die before it stops them.
struct ClusterServers: Sendable {
    /// The nodes' client ports (the first three were created as primaries).
    let ports: [Int]
    let directory: String

    @TaskLocal static var current: ClusterServers?

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/cluster").path

    static var available: Bool {
        ["/usr/bin/redis-server", "/usr/bin/redis-cli"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
            && FileManager.default.isReadableFile(atPath: script)
    }

    func address(_ port: Int) -> UpstreamAddress {
        UpstreamAddress(host: "127.0.0.1", port: port)
    }

    /// Starts a cluster on a base port in 12000..<13000, so that its bus ports (10000 higher)
    /// stay below Linux's ephemeral ports and apart from the 23000..<24000 other tests use.
    /// Another base is tried when the script finds a port taken.
    static func start() async throws -> ClusterServers {
        var failure = ""
        for _ in 0..<3 {
            let base = 12000 + Int.random(in: 0..<166) * 6
            let directory = NSTemporaryDirectory() + "sidecache-cluster-test-\(UUID().uuidString)"
            let (status, output) = try await run("/bin/bash", [script, "start", "--base-port", "\(base)", "--dir", directory])
            if status == 0 {
                // The line of ports (progress lines are mixed in).
                let ports = output.split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
                    .last { $0.count == 6 } ?? []
                guard ports.count == 6 else { throw TestFailure("scripts/cluster printed no 6 ports: \(output)") }
                return ClusterServers(ports: ports, directory: directory)
            }
            failure = output
        }
        throw TestFailure("scripts/cluster start failed: \(failure)")
    }

    func stop() async {
        _ = try? await Self.run("/bin/bash", [Self.script, "stop", "--dir", directory])
    }

    /// Runs a program to its end; its exit status and what it printed (stdout and stderr).
    ///
    /// Spawned and reaped here rather than with Foundation's `Process`, whose exit monitor
    /// depends on a SIGCHLD that no thread of the test runner takes (every thread blocks it):
    /// `waitUntilExit` then never returns. The wait runs on a thread of its own, not on one of
    /// the cooperative pool's two.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
        // Into a file, not a pipe: a pipe that fills up would stop the program before it exits.
        let path = NSTemporaryDirectory() + "sidecache-run-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // The spawning thread (one of the pool's) blocks every signal, and a child inherits
        // that mask: unblocked and at their defaults, so that SIGTERM stops a node.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // The environment is inherited, SIDECACHE_TEST_RUN with it.
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw TestFailure("cannot start \(executable): error \(spawned)") }
        let child = pid
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                // Exited: the exit code; killed: 128 + the signal, as a shell reports it.
                continuation.resume(returning: status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }.start()
        }
        let printed = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return (status, printed)
    }

    /// `redis-cli -p port arguments...` to its end; what it printed.
    func cli(_ port: Int, _ arguments: String...) async throws -> String {
        let (status, output) = try await Self.run("/usr/bin/redis-cli", ["-h", "127.0.0.1", "-p", "\(port)"] + arguments)
        guard status == 0 else { throw TestFailure("redis-cli \(arguments) on \(port) exited \(status): \(output)") }
        return output
    }
}

/// Starts one Redis Cluster around a whole suite (see `ClusterServers`).
struct RedisClusterTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try await ClusterServers.start()
        do {
            try await ClusterServers.$current.withValue(cluster) { try await function() }
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }
}

extension Trait where Self == RedisClusterTrait {
    static var redisCluster: Self { RedisClusterTrait() }
}
