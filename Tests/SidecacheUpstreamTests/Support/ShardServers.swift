import Foundation
import SidecacheRESP

/// Real redis-servers and nutcracker processes on loopback ports, for the tests that check a
/// `ShardRing` against nutcracker. Everything started here is stopped by `withRedisServers` /
/// `withNutcracker`, whether the body returns or throws.
enum ShardServers {
    static let redisServer = "/usr/bin/redis-server"
    static let nutcracker = ["/usr/sbin/nutcracker", "/usr/bin/nutcracker"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: redisServer) && nutcracker != nil
    }

    /// A redis-server on `port` (or on a free port), answering PING.
    static func startRedis(port fixedPort: Int? = nil) async throws -> (ChildProcess, Int) {
        var lastError: any Error = TestFailure("redis-server did not start")
        for _ in 0..<(fixedPort == nil ? 3 : 1) {
            let port = if let fixedPort { fixedPort } else { try await ChildProcess.freePort() }
            let redis = try ChildProcess(
                executable: redisServer,
                arguments: [
                    "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--daemonize", "no", "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
                ]
            )
            if try await waitForPong(port: port, while: redis), try await answers(port: port, as: redis) {
                return (redis, port)
            }
            redis.stop()
            lastError = TestFailure("redis-server on port \(port) did not answer PING")
        }
        throw lastError
    }

    /// Runs `body` with `count` redis-servers; their ports in order.
    static func withRedisServers<T>(_ count: Int, _ body: ([Int]) async throws -> T) async throws -> T {
        var started: [ChildProcess] = []
        defer { started.forEach { $0.stop() } }
        var ports: [Int] = []
        for _ in 0..<count {
            let (redis, port) = try await startRedis()
            started.append(redis)
            ports.append(port)
        }
        return try await body(ports)
    }

    /// Runs `body` with a nutcracker started on `configuration(listenPort)`; its listen port.
    static func withNutcracker<T>(
        configuration: (Int) -> String,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sidecache-nutcracker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configPath = directory.appendingPathComponent("nutcracker.yml").path
        let logPath = directory.appendingPathComponent("nutcracker.log").path
        for _ in 0..<3 {
            let port = try await ChildProcess.freePort()
            let statsPort = try await ChildProcess.freePort()
            try configuration(port).write(toFile: configPath, atomically: true, encoding: .utf8)
            let process = try ChildProcess(
                executable: nutcracker!,
                arguments: ["-c", configPath, "-s", "\(statsPort)", "-a", "127.0.0.1", "-o", logPath]
            )
            defer { process.stop() }
            // A nutcracker that cannot bind its port exits at once; what answered was someone else.
            if try await waitForPong(port: port, while: process) {
                try await Task.sleep(for: .milliseconds(50))
                if process.isRunning { return try await body(port) }
            }
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw TestFailure("nutcracker did not start; its log:\n\(log.suffix(2000))")
    }

    /// Whether the redis-server answering on `port` is `process` (and not another one that held
    /// the port first, while `process` failed to bind it and is exiting).
    private static func answers(port: Int, as process: ChildProcess) async throws -> Bool {
        guard case .bulkString(let info?) = try await RESPExchange.command(port: port, "INFO", "server") else { return false }
        return String(buffer: info).contains("process_id:\(process.process.processIdentifier)\r\n")
    }

    /// Waits (up to 5 s) until `port` answers PING; `false` when `process` exits first or time runs out.
    private static func waitForPong(port: Int, while process: ChildProcess) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline && process.isRunning {
            if let reply = try? await RESPExchange.command(port: port, "PING", timeout: .seconds(1)),
                case .simpleString(let text) = reply, String(buffer: text) == "PONG"
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
