import Foundation
import SidecacheRESP
import Testing

/// The executable as an operator meets it: its version, exit codes, start-up banner, JSON logs
/// and a log level changed while it runs.
@Suite("Executable operations")
struct ExecutableOperationsTests {
    static let executable = SignalShutdownTests.executable
    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// Runs the executable to its end with `arguments`; its status and standard output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: isBuilt))
    func versionAndExitCodes() throws {
        let version = try Self.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        #expect(try Self.run(["--no-such-option"]).status == 64)
        #expect(try Self.run(["--port", "70000"]).status == 1)
        #expect(try Self.run(["--config", "/nonexistent/sidecache.yaml"]).status == 1)
        #expect(try Self.run(["check-config", "/nonexistent/sidecache.yaml"]).status == 1)
    }

    /// Without the admin API (`--admin-port 0`, or its port taken) and without a file to watch,
    /// the sidecar still serves until it is told to stop.
    @Test(.enabled(if: isBuilt && RedisServerProcess.isAvailable), arguments: [true, false])
    func servesWithoutTheAdminAPI(portTaken: Bool) async throws {
        let port = try await RedisServerProcess.freePort()
        let adminPort = try await RedisServerProcess.freePort()
        let folder = NSTemporaryDirectory() + "sidecache-no-admin-\(port)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A redis-server holds the admin port when it must be taken.
        let blocker = portTaken ? try await RedisServerProcess.start(port: adminPort) : nil
        defer { blocker?.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--port", "\(port)", "--admin-port", portTaken ? "\(adminPort)" : "0", "--data-dir", folder]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var connected: TestClient?
        for _ in 0..<100 where connected == nil {
            connected = try? await TestClient.connect(port: port)
            if connected == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let client = try #require(connected)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(process.isRunning)
        #expect(try await client.command("PING") == .simple("PONG"))
        await client.close()
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// JSON logs: the banner names the version, listener, upstream mode and configuration file;
    /// CONFIG SET loglevel warning silences the info lines of the shutdown that follows.
    @Test(.enabled(if: isBuilt))
    func bannerInJSONAndLogLevelChangedAtRunTime() async throws {
        let port = try await RedisServerProcess.freePort()
        let folder = NSTemporaryDirectory() + "sidecache-operations-\(port)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configPath = folder + "/sidecache.yaml"
        let logPath = folder + "/stderr.log"
        try "logging:\n  format: json\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["--config", configPath, "--port", "\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var connected: TestClient?
        for _ in 0..<100 where connected == nil {
            connected = try? await TestClient.connect(port: port)
            if connected == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let client = try #require(connected)
        #expect(try await client.command("CONFIG", "GET", "loglevel") == .array([.bulk("loglevel"), .bulk("verbose")]))
        #expect(try await client.command("CONFIG", "SET", "loglevel", "warning") == .simple("OK"))
        #expect(try await client.command("CONFIG", "GET", "loglevel") == .array([.bulk("loglevel"), .bulk("warning")]))
        await client.close()
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(process.terminationStatus == 0)

        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
        }
        let banner = try #require(objects.first { $0["msg"]?.hasSuffix(" starting") == true })
        #expect(banner["level"] == "notice")
        #expect(banner["version"] != nil)
        #expect(banner["listeners"] == "127.0.0.1:\(port)")
        #expect(banner["upstream"] == "none (standalone)")
        #expect(banner["config"] == configPath)
        #expect(objects.contains { $0["msg"] == "listening" })
        // Logged at info while stopping, after the level went to warning: not written.
        #expect(!objects.contains { $0["msg"]?.hasPrefix("shutting down") == true })
    }
}
