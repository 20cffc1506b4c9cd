import Foundation
import SidecacheRESP
import Testing

/// 10,000 idle clients on the real executable (its own process, so that neither side needs
/// more than about 10,000 descriptors): every one is held, and the server still answers.
@Suite("Ten thousand idle connections")
struct ManyConnectionsTests {
    static let connections = 10_000

    /// `connected_clients` from INFO.
    static func connectedClients(_ client: TestClient) async throws -> Int {
        let info = try await client.command("INFO", "clients").debugText
        let line = info.split(separator: "\r\n").first { $0.hasPrefix("connected_clients:") } ?? ""
        return Int(line.dropFirst("connected_clients:".count)) ?? -1
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: SignalShutdownTests.executable)))
    func tenThousandIdleConnectionsAreHeldAndTheServerStillAnswers() async throws {
        // This process holds the client ends, the server process the others (plus a margin).
        let limit = raiseOpenFilesLimit(to: Self.connections + 1024)
        try #require(limit >= Self.connections + 256, "open-files limit \(limit): raise it with 'ulimit -n' (scripts/test does)")

        let port = try await RedisServerProcess.freePort()
        let configPath = NSTemporaryDirectory() + "sidecache-many-connections-\(port).yaml"
        try "server:\n  maxclients: \(Self.connections + 100)\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: configPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SignalShutdownTests.executable)
        process.arguments = ["--config", configPath, "--port", "\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var control: TestClient?
        for _ in 0..<100 where control == nil {
            control = try? await TestClient.connect(port: port)
            if control == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let admin = try #require(control)
        #expect(try await admin.command("PING") == .simple("PONG"))

        // In batches no larger than the listen backlog, each accepted before the next.
        var idle: [RawSocket] = []
        idle.reserveCapacity(Self.connections)
        defer { for socket in idle { socket.close() } }
        while idle.count < Self.connections {
            for _ in 0..<min(500, Self.connections - idle.count) { idle.append(try RawSocket(port: port)) }
            let expected = idle.count + 1
            #expect(try await PubSubTests.eventually { try await Self.connectedClients(admin) == expected })
        }

        #expect(try await Self.connectedClients(admin) == Self.connections + 1)
        #expect(try await admin.command("SET", "k", "v") == .simple("OK"))
        let fresh = try await TestClient.connect(port: port)
        #expect(try await fresh.command("GET", "k") == .bulk("v"))
        let list = try await fresh.command("CLIENT", "LIST").debugText
        #expect(list.split(separator: "\n").filter { $0.contains("id=") }.count == Self.connections + 2)
        await fresh.close()

        for socket in idle { socket.close() }
        #expect(try await PubSubTests.eventually { try await Self.connectedClients(admin) == 1 })
        await admin.close()

        process.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
    }
}
