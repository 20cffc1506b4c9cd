import NIOCore
import SidecacheRESP
import Testing

/// SLOWLOG against a real redis-server 7.0.15: texts byte for byte, and entries (with
/// `slowlog-log-slower-than 0`) compared whole except for their ids, times, durations and the
/// client's port.
@Suite struct SlowlogDifferentialTests {
    @Test func errorsHelpAndConfigurationMatchRedis() async throws {
        try await RawDifferential.compare(
            [
                RawCase("SLOWLOG", "HELP"),
                RawCase("SLOWLOG", "GET", "-2"),
                RawCase("SLOWLOG", "GET", "abc"),
                RawCase("SLOWLOG", "GET", "1", "2"),
                RawCase("SLOWLOG", "LEN", "x"),
                RawCase("SLOWLOG", "RESET", "x"),
                RawCase("SLOWLOG", "NOPE"),
                RawCase("SLOWLOG"),
                // One name at a time: redis-server lists a glob's matches in its hash-table order.
                RawCase("CONFIG", "GET", "slowlog-log-slower-than"),
                RawCase("CONFIG", "GET", "slowlog-max-len"),
                RawCase("CONFIG", "GET", "latency-monitor-threshold"),
                RawCase("CONFIG", "SET", "slowlog-log-slower-than", "-2"),
                RawCase("CONFIG", "SET", "slowlog-log-slower-than", "1.5"),
                RawCase("CONFIG", "SET", "slowlog-max-len", "-1"),
                RawCase("CONFIG", "SET", "latency-monitor-threshold", "-1"),
                RawCase("CONFIG", "SET", "latency-monitor-threshold", "99999999999999999999"),
                RawCase("CONFIG", "SET", "slowlog-log-slower-than", "-1", "slowlog-max-len", "7"),
                // One name at a time: redis-server lists a glob's matches in its hash-table order.
                RawCase("CONFIG", "GET", "slowlog-log-slower-than"),
                RawCase("CONFIG", "GET", "slowlog-max-len"),
                RawCase("SLOWLOG", "RESET"),
                RawCase("SLOWLOG", "LEN"),
                RawCase("SLOWLOG", "GET"),
                RawCase("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128"),
            ],
            label: "slowlog"
        )
    }

    /// One session's commands, then what SLOWLOG says about them.
    struct Observation: Equatable {
        var replies: [String] = []
        var entries: [[String]] = []
    }

    static let longValue = String(repeating: "v", count: 200)
    static let longKey = String(repeating: "k", count: 130)

    static let script: [[String]] = [
        ["SET", "k", "v"],
        ["RPUSH", "list"] + (1...40).map { "e\($0)" },
        ["DEL"] + (1...33).map { "key\($0)" },
        ["SET", longKey, longValue],
        ["SET", "bin", "\u{0}\u{7}quote\"back\\slash\r\n\u{7F}"],
        ["AUTH", "secret"],
        ["AUTH", "user", "secret"],
        ["AUTH", "a", "b", "c"],
        ["HELLO", "3", "AUTH", "nobody", "wrong", "SETNAME", "x"],
        ["CLIENT", "SETNAME", "x"],
        ["NOSUCHCOMMAND", "a"],
        ["GET"],
        ["MULTI"], ["SET", "a", "1"], ["SELECT", "3"], ["GET", "a"], ["EXEC"],
        ["SELECT", "0"],
        // Not logged when the wait times out (Redis 7.0); logged when served (below).
        ["BLPOP", "nolist", "0.05"],
        ["CLIENT", "SETNAME", "renamed"],
        ["PING"],
    ]

    static func record(port: Int) async throws -> Observation {
        let client = try await TestClient.connect(port: port)
        defer { Task { await client.close() } }
        var observation = Observation()
        for request in [["CONFIG", "SET", "slowlog-log-slower-than", "0"], ["SLOWLOG", "RESET"], ["CLIENT", "SETNAME", "slow-client"]]
            + script
        {
            observation.replies.append(RawDifferential.render(try await client.pipelineRaw([request.map { Array($0.utf8) }])[0]))
        }
        let pusher = try await TestClient.connect(port: port)
        try await client.send(TestClient.encode(["BLPOP", "served", "0"]))
        observation.replies.append(try await pusher.command("RPUSH", "served", "x").debugText)
        observation.replies.append(try await client.readReply().debugText)
        await pusher.close()
        observation.replies.append(try await client.command("SLOWLOG", "LEN").debugText)
        observation.entries += try await entries(client, "SLOWLOG", "GET", "-1")
        observation.entries.append(["--"])
        observation.replies.append(try await client.command("CONFIG", "SET", "slowlog-max-len", "3").debugText)
        observation.replies.append(try await client.command("SLOWLOG", "LEN").debugText)
        for index in 0..<4 { _ = try await client.command("ECHO", "e\(index)") }
        observation.entries += try await entries(client, "SLOWLOG", "GET")
        observation.entries.append(["--"])
        observation.entries += try await entries(client, "SLOWLOG", "GET", "2")
        observation.replies.append(try await client.command("CONFIG", "SET", "slowlog-max-len", "0").debugText)
        observation.replies.append(try await client.command("SLOWLOG", "LEN").debugText)
        observation.replies.append(try await client.command("CONFIG", "SET", "slowlog-log-slower-than", "-1", "slowlog-max-len", "128").debugText)
        _ = try await client.command("SET", "after", "off")
        observation.replies.append(try await client.command("SLOWLOG", "LEN").debugText)
        _ = try await client.command("CONFIG", "SET", "slowlog-log-slower-than", "10000")
        return observation
    }

    /// The entries of a SLOWLOG GET with ids, times and durations checked and left out, and the
    /// client's port replaced by `PORT`.
    static func entries(_ client: TestClient, _ request: String...) async throws -> [[String]] {
        let reply = try await client.command(request)
        let now = Int64(RawDifferential.unixSeconds)
        var previousID: Int64?
        var entries: [[String]] = []
        for entry in reply.elements ?? [] {
            guard let fields = entry.elements, fields.count == 6,
                case .integer(let id) = fields[0], case .integer(let time) = fields[1], case .integer(let microseconds) = fields[2],
                let arguments = fields[3].elements, let peer = fields[4].text, let name = fields[5].text
            else {
                Issue.record("malformed slow log entry \(entry.debugText)")
                continue
            }
            #expect(previousID.map { $0 - 1 == id } ?? true, "ids go down one by one, newest first")
            #expect(abs(time - now) <= 5 && microseconds >= 0)
            previousID = id
            let address = peer.split(separator: ":").dropLast().joined(separator: ":") + ":PORT"
            entries.append(arguments.map(\.debugText) + [address, name])
        }
        return entries
    }

    @Test func entriesMatchRedisButForIdsTimesAndPorts() async throws {
        let expected = try await withRedisServer { try await Self.record(port: $0.port) }
        let actual = try await withTestServer { try await Self.record(port: $0.port) }
        #expect(actual.replies == expected.replies)
        // The served BLPOP is logged when its wait ends, on its own event loop here: it may come
        // before or after the RPUSH that served it, so those two are compared as a set.
        let served = { (entry: [String]) in entry.contains("$\"served\"") }
        #expect(Set(actual.entries.filter(served)) == Set(expected.entries.filter(served)))
        #expect(expected.entries.filter(served).count == 2)
        let reference = expected.entries.filter { !served($0) }
        let subject = actual.entries.filter { !served($0) }
        #expect(subject.count == reference.count)
        for (index, (reference, subject)) in zip(reference, subject).enumerated() {
            #expect(subject == reference, "entry \(index)")
        }
    }
}
