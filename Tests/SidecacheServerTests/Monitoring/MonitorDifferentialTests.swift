import Foundation
import NIOCore
import SidecacheRESP
import Testing

/// MONITOR against a real redis-server 7.0.15: a monitor connection and two clients on each
/// server (Sidecache on two event loops, so the monitor and the clients sit on different
/// loops), the same requests, and every line the monitor received compared after its
/// timestamp is dropped and each client's port is replaced by the order the client first
/// appeared in.
@Suite struct MonitorDifferentialTests {
    struct Step {
        let connection: Int
        let request: [[UInt8]]
        /// Whether the reply is compared (HELLO's and CLIENT ID's carry the client id).
        let comparedReply: Bool

        init(_ connection: Int, _ request: String..., comparedReply: Bool = true) {
            self.init(connection, bytes: request.map { Array($0.utf8) }, comparedReply: comparedReply)
        }

        init(_ connection: Int, bytes request: [[UInt8]], comparedReply: Bool = true) {
            self.connection = connection
            self.request = request
            self.comparedReply = comparedReply
        }
    }

    static let steps: [Step] = [
        Step(0, "SET", "k", "v"),
        Step(0, bytes: [Array("SET".utf8), [0x00, 0x07, 0x08, 0x09, 0x0D, 0x0A, 0x7F, 0x80, 0xFF], Array("quote\"back\\slash 'x'".utf8)]),
        Step(0, "GET", "k"),
        Step(0, "INCR", "counter"),
        Step(1, "SELECT", "3"),
        Step(1, "SET", "in-db-3", "x"),
        Step(0, "MULTI"), Step(0, "SET", "a", "1"), Step(0, "SELECT", "2"), Step(0, "GET", "a"), Step(0, "EXEC"),
        Step(0, "SELECT", "0"),
        Step(0, "MULTI"), Step(0, "SET", "a"), Step(0, "EXEC"),
        Step(0, "AUTH", "secret"),
        Step(0, "AUTH", "user", "secret"),
        Step(0, "AUTH", "a", "b", "c"),
        Step(0, "HELLO", "3", "AUTH", "nobody", "wrong", "SETNAME", "n"),
        Step(0, "HELLO", "2", "SETNAME", "named", comparedReply: false),
        Step(0, "CLIENT", "SETNAME", "worker"),
        Step(0, "CLIENT", "ID", comparedReply: false),
        Step(0, "CONFIG", "GET", "maxclients"),
        Step(0, "CLIENT", "LIST", comparedReply: false),
        Step(0, "SLOWLOG", "LEN", comparedReply: false),
        Step(0, "NOSUCHCOMMAND", "x"),
        Step(0, "GET"),
        Step(0, "BLPOP", "nolist", "0.05"),
        Step(1, "PUBLISH", "channel", "message"),
        Step(1, "PING"),
        Step(1, "ECHO", "monitor-end"),
    ]

    /// Per step the client's reply (nil when not compared), then the monitor's lines.
    static func record(port: Int) async throws -> (replies: [String?], lines: [String]) {
        let monitor = try await TestClient.connect(port: port)
        let clients = [try await TestClient.connect(port: port), try await TestClient.connect(port: port)]
        defer { Task { for client in clients + [monitor] { await client.close() } } }
        #expect(try await monitor.command("MONITOR") == .simple("OK"))
        var replies: [String?] = []
        for step in steps {
            let reply = try await clients[step.connection].pipelineRaw([step.request])[0]
            replies.append(step.comparedReply ? RawDifferential.render(reply) : nil)
        }
        var lines: [String] = []
        while lines.last?.contains("\"ECHO\" \"monitor-end\"") != true {
            lines.append(String(decoding: try await monitor.readRawReply(), as: UTF8.self))
        }
        return (replies, normalized(lines))
    }

    /// `+<time> [<db> 127.0.0.1:<port>] <arguments>\r\n` becomes `[<db> client<n>] <arguments>`,
    /// numbering clients in the order they first appear.
    static func normalized(_ lines: [String]) -> [String] {
        var ports: [Substring] = []
        return lines.map { line in
            let parts = line.dropFirst().dropLast(2).split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard line.hasPrefix("+"), parts.count == 4, parts[1].hasPrefix("["), parts[2].hasSuffix("]"),
                let port = parts[2].dropLast().split(separator: ":").last
            else { return "unexpected: \(line)" }
            #expect(parts[0].split(separator: ".").map(\.count) == [10, 6], "timestamp of \(line)")
            if !ports.contains(port) { ports.append(port) }
            return "\(parts[1]) client\(ports.firstIndex(of: port)!)] \(parts[3])"
        }
    }

    @Test func linesMatchRedisButForTimesAndPorts() async throws {
        let expected = try await withRedisServer { try await Self.record(port: $0.port) }
        let actual = try await withTwoLoopServer { try await Self.record(port: $0.port) }
        for (index, step) in Self.steps.enumerated() {
            #expect(actual.replies[index] == expected.replies[index], "step \(index) \(step.request.map { String(decoding: $0, as: UTF8.self) })")
        }
        #expect(actual.lines.count == expected.lines.count)
        for (index, (reference, subject)) in zip(expected.lines, actual.lines).enumerated() {
            #expect(subject == reference, "line \(index)")
        }
        if actual.lines != expected.lines {
            Issue.record("redis-server:\n\(expected.lines.joined(separator: "\n"))\nsidecache:\n\(actual.lines.joined(separator: "\n"))")
        }
    }

    /// What the monitoring connection itself may do, every frame it receives compared after
    /// normalising its own lines: MONITOR again answers nothing, keyspace commands are refused,
    /// others run and are shown to it after their reply, RESET ends monitoring.
    static func recordMonitorsOwnSession(port: Int) async throws -> [String] {
        let monitor = try await TestClient.connect(port: port)
        let other = try await TestClient.connect(port: port)
        defer { Task { await monitor.close(); await other.close() } }
        let requests = [
            ["MONITOR"], ["MONITOR"], ["ECHO", "again"], ["GET", "k"], ["SET", "k", "v"], ["PUBLISH", "c", "m"],
            ["PING"], ["CLIENT", "SETNAME", "watcher"], ["RESET"], ["GET", "k"], ["ECHO", "monitor-end"],
        ]
        try await monitor.send(requests.flatMap { TestClient.encode($0) })
        var frames: [String] = []
        while frames.last != "$11\r\nmonitor-end\r\n" {
            frames.append(String(decoding: try await monitor.readRawReply(), as: UTF8.self))
        }
        let lines = frames.map { $0.hasPrefix("+") && $0.contains("[") ? normalized([$0])[0] : $0 }
        // MONITOR inside MULTI is refused when EXEC runs it.
        let transaction = try await other.pipelineRaw([["MULTI"], ["MONITOR"], ["EXEC"]].map { $0.map { Array($0.utf8) } })
        return lines + transaction.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func theMonitoringConnectionBehavesAsRedis() async throws {
        let expected = try await withRedisServer { try await Self.recordMonitorsOwnSession(port: $0.port) }
        let actual = try await withTwoLoopServer { try await Self.recordMonitorsOwnSession(port: $0.port) }
        #expect(actual == expected)
    }

    @Test func clientListShowsTheMonitorFlag() async throws {
        try await withTestServer { server in
            let monitor = try await server.connect()
            let client = try await server.connect()
            defer { Task { await monitor.close(); await client.close() } }
            #expect(try await monitor.command("MONITOR") == .simple("OK"))
            let list = try #require(try await client.command("CLIENT", "LIST").text)
            #expect(list.contains("flags=O "))
        }
    }
}
