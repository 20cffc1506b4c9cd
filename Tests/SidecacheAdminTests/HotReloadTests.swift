import Foundation
import Synchronization
import Testing

/// A flag set once, read from another task.
final class Stop: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}

/// Hot reload of the configuration file, alone and under load.
@Suite struct HotReloadTests {
    /// Polls `condition` every 20 ms for at most `limit`; returns whether it became true.
    static func eventually(within limit: Duration = .seconds(1), _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    static func slowlogMaxLen(_ connection: RESPTestConnection) throws -> String {
        try connection.command("CONFIG", "GET", "slowlog-max-len").components(separatedBy: "\n").last ?? ""
    }

    @Test func aChangedFileIsAppliedAndRecordedOnce() async throws {
        try await withAdmin(yaml: "monitoring:\n  slowlog_max_len: 1\n") { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            try admin.writeConfigFile("monitoring:\n  slowlog_max_len: 2\nlogging:\n  level: debug\n")
            #expect(try await Self.eventually { try Self.slowlogMaxLen(connection) == "2" })
            let history = try await admin.request("GET", "/v1/config/history")
            let versions = history.json["versions"] as? [[String: Any]] ?? []
            #expect(versions.map { $0["source"] as? String } == ["file", "startup"])
            #expect(versions.first?["summary"] as? String == "changed logging.level, monitoring.slowlog_max_len")
        }
    }

    @Test func anInvalidFileLeavesTheRunningConfiguration() async throws {
        try await withAdmin(yaml: "monitoring:\n  slowlog_max_len: 1\n") { admin in
            let connection = try RESPTestConnection(port: admin.respPort)
            try admin.writeConfigFile("monitoring:\n  slowlog_max_len: -5\n")
            try await Task.sleep(for: .milliseconds(600))
            #expect(try Self.slowlogMaxLen(connection) == "1")
            let history = try await admin.request("GET", "/v1/config/history")
            #expect((history.json["versions"] as? [Any])?.count == 1)
            // Fixed, it applies.
            try admin.writeConfigFile("monitoring:\n  slowlog_max_len: 3\n")
            #expect(try await Self.eventually { try Self.slowlogMaxLen(connection) == "3" })
        }
    }

    /// redis-benchmark runs while the configuration changes 20 times, alternately through the
    /// file and the API: no benchmark reports an error, a connection open throughout keeps
    /// working, each change is in force within a second and recorded exactly once.
    @Test func twentyChangesUnderLoad() async throws {
        try await withAdmin(yaml: "monitoring:\n  slowlog_max_len: 1000\n") { admin in
            let steady = try RESPTestConnection(port: admin.respPort)
            let probe = try RESPTestConnection(port: admin.respPort)
            let stop = Stop()
            let load = Task {
                var failures: [String] = []
                var runs = 0
                while !stop.isSet && runs < 200 {
                    runs += 1
                    if let failure = try await Self.benchmark(port: admin.respPort) { failures.append(failure) }
                }
                return failures
            }
            for change in 1...20 {
                let length = 1000 + change
                let yaml = "monitoring:\n  slowlog_max_len: \(length)\nmemory:\n  maxmemory_samples: \(change % 7 + 3)\n"
                if change % 2 == 0 {
                    try admin.writeConfigFile(yaml)
                } else {
                    let response = try await admin.request("PUT", "/v1/config", body: ConfigurationEndpointTests.json(yaml))
                    #expect(response.status == 200)
                }
                let inForce = try await Self.eventually { try Self.slowlogMaxLen(probe) == "\(length)" }
                #expect(inForce, "change \(change) was not in force within 1 s")
                #expect(try steady.command("PING") == "PONG")
            }
            stop.set()
            let failures = try await load.value
            #expect(failures == [])
            let history = try await admin.request("GET", "/v1/config/history?limit=100")
            let versions = history.json["versions"] as? [[String: Any]] ?? []
            #expect(versions.count == 21)
            #expect(versions.filter { $0["source"] as? String == "file" }.count == 10)
            #expect(versions.filter { $0["source"] as? String == "api" }.count == 10)
            #expect(Set(versions.compactMap { $0["checksum"] as? String }).count == 21)
        }
    }

    /// One bounded redis-benchmark run, waited for on a thread of its own; its complaint, if any.
    static func benchmark(port: Int) async throws -> String? {
        try await onOwnThread { try runBenchmark(port: port) }
    }

    static func runBenchmark(port: Int) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-benchmark")
        process.arguments = ["-p", "\(port)", "-c", "8", "-n", "4000", "-P", "4", "-t", "set,get", "-q"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 || text.lowercased().contains("error") {
            return "exit \(process.terminationStatus): \(text)"
        }
        return nil
    }
}
