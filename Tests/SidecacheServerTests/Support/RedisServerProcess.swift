import SidecacheDifftest
import Foundation
import NIOCore
import NIOPosix

/// A real `redis-server` on a free loopback port, for differential tests.
final class RedisServerProcess: @unchecked Sendable {
    static let executable = "/usr/bin/redis-server"
    let process: Process
    let port: Int

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// A port that was free a moment ago (bound to port 0 and closed).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// Starts a redis-server on `port`, or on a free port when `nil` (retried on a clash), with
    /// `arguments` (redis.conf directives as `--name value`) after the test defaults. With
    /// `tls`, the port is a TLS port (`--tls-port`, plain `--port 0`) with the test server
    /// certificate, and clients must present a certificate signed by the test CA.
    static func start(
        port fixedPort: Int? = nil, arguments: [String] = [], tls: TestCertificates? = nil
    ) async throws -> RedisServerProcess {
        var lastError: any Error = TestClientError(description: "redis-server did not start")
        for _ in 0..<3 {
            var port = fixedPort ?? 0
            if fixedPort == nil { port = try await freePort() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
            ] + arguments
            if let tls {
                process.arguments! += [
                    "--port", "0", "--tls-port", "\(port)", "--tls-cert-file", tls.path("server.crt"),
                    "--tls-key-file", tls.path("server.key"), "--tls-ca-cert-file", tls.path("ca.crt"),
                ]
            }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let redis = RedisServerProcess(process: process, port: port)
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline && process.isRunning {
                if let client = try? await TestClient.connect(port: port, tls: tls?.clientContext(clientCertificate: true)) {
                    let reply = try? await client.command("PING")
                    await client.close()
                    if reply == .simple("PONG") { return redis }
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            lastError = TestClientError(description: "redis-server on port \(port) did not answer PING")
            redis.stop()
        }
        throw lastError
    }

    /// SIGSTOP: the server keeps its connections but answers nothing until `resume()`.
    func pause() {
        kill(process.processIdentifier, SIGSTOP)
    }

    func resume() {
        kill(process.processIdentifier, SIGCONT)
    }

    func stop() {
        guard process.isRunning else { return }
        // SIGKILL: nothing is persisted (`--save "" --appendonly no`), and a child of the test
        // runner may inherit a blocked or ignored SIGTERM (it took the full 3 s watchdog).
        kill(process.processIdentifier, SIGKILL)
        kill(process.processIdentifier, SIGCONT)
        process.waitForExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

func withRedisServer<T>(
    arguments: [String] = [],
    _ body: (RedisServerProcess) async throws -> T
) async throws -> T {
    let redis = try await RedisServerProcess.start(arguments: arguments)
    do {
        let result = try await body(redis)
        redis.stop()
        return result
    } catch {
        redis.stop()
        throw error
    }
}
