import Foundation
import SidecacheRESP
import Testing

/// The real executable under SIGTERM: it drains owed replies and exits 0.
@Suite("Process shutdown on SIGTERM")
struct SignalShutdownTests {
    /// `.build/debug/sidecache`, built by `swift build --build-tests` before the tests run.
    static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/sidecache").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func sigtermDeliversPipelinedRepliesAndExitsCleanly() async throws {
        let port = try await RedisServerProcess.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--port", "\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var client: TestClient?
        for _ in 0..<100 where client == nil {
            client = try? await TestClient.connect(port: port)
            if client == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let connected = try #require(client)
        #expect(try await connected.command("PING") == .simple("PONG"))

        let count = 2_000
        try await connected.send(Array(repeating: TestClient.encode(["PING"]), count: count).flatMap { $0 })
        let first = try await connected.readReply()
        kill(process.processIdentifier, SIGTERM)
        let rest = try await connected.readReplies(count - 1)
        #expect(([first] + rest).allSatisfy { $0 == .simple("PONG") })
        #expect(try await connected.waitForClose())

        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        await connected.close()
    }
}
