import NIOCore
import SidecacheRESP
import Testing

/// LATENCY against a real redis-server 7.0.15: the replies of an idle monitor byte for byte,
/// and the shapes of LATEST, HISTORY, GRAPH and DOCTOR once a slow command was sampled.
@Suite struct LatencyDifferentialTests {
    @Test func idleRepliesAndErrorsMatchRedis() async throws {
        try await RawDifferential.compare(
            [
                RawCase("LATENCY", "LATEST"),
                RawCase("LATENCY", "HISTORY", "command"),
                RawCase("LATENCY", "RESET"),
                RawCase("LATENCY", "RESET", "command", "fast-command"),
                RawCase("LATENCY", "DOCTOR"),
                RawCase("LATENCY", "GRAPH", "command"),
                RawCase("LATENCY", "GRAPH", "no\"such"),
                RawCase("LATENCY", "LATEST", "x"),
                RawCase("LATENCY", "HISTORY"),
                RawCase("LATENCY", "DOCTOR", "x"),
                RawCase("LATENCY", "NOPE"),
                RawCase("LATENCY"),
            ],
            label: "latency"
        )
    }

    /// A reply's structure: its types and lengths, with the values of integers and strings left out.
    static func shape(_ value: RESPValue) -> String {
        switch value {
        case .integer: "int"
        case .bulkString(.some), .verbatimString: "text"
        case .array(.some(let elements)): "[" + elements.map(shape).joined(separator: ",") + "]"
        default: value.debugText
        }
    }

    /// Sorting a 100,000-element list takes tens of milliseconds on either server, far above a
    /// 1 ms threshold: that sort is the `command` event both report.
    static func record(port: Int) async throws -> [String] {
        let client = try await TestClient.connect(port: port)
        defer { Task { await client.close() } }
        _ = try await client.command("CONFIG", "SET", "latency-monitor-threshold", "1")
        let pushes = (0..<100).map { batch in ["RPUSH", "big"] + (0..<1000).map { String((batch * 1000 + $0) * 7919 % 100_003) } }
        try await client.send(pushes.flatMap { TestClient.encode($0) })
        _ = try await client.readReplies(pushes.count)
        #expect(try await client.command("SORT", "big", "LIMIT", "0", "1") == .array([.bulk("0")]))
        var observed: [String] = []
        let latest = try await client.command("LATENCY", "LATEST")
        let command = latest.elements?.first { $0.elements?.first == .bulk("command") }
        observed.append(command.map(shape) ?? "no command event: \(latest.debugText)")
        if let fields = command?.elements, case .integer(let time) = fields[1], case .integer(let last) = fields[2],
            case .integer(let worst) = fields[3]
        {
            #expect(abs(time - RawDifferential.unixSeconds) <= 5 && last >= 1 && worst >= last)
        }
        let history = try await client.command("LATENCY", "HISTORY", "command")
        observed.append(history.elements.map { "\($0.count >= 1) " + ($0.first.map(shape) ?? "") } ?? history.debugText)
        let graph = try await client.command("LATENCY", "GRAPH", "command").text ?? ""
        observed.append(String(graph.prefix { $0 != " " }) + " " + String(graph.split(separator: "\n").dropFirst().first ?? ""))
        let doctor = try await client.command("LATENCY", "DOCTOR").text ?? ""
        observed.append(String(doctor.split(separator: "\n").first ?? ""))
        observed.append(doctor.contains("command: ") ? "doctor names the command event" : doctor)
        observed.append(try await client.command("LATENCY", "RESET", "COMMAND").debugText)
        observed.append(try await client.command("LATENCY", "HISTORY", "command").debugText)
        _ = try await client.command("CONFIG", "SET", "latency-monitor-threshold", "0")
        _ = try await client.command("LATENCY", "RESET")
        observed.append(try await client.command("LATENCY", "LATEST").debugText)
        return observed
    }

    @Test func aSlowCommandIsReportedAsRedisReportsIt() async throws {
        let expected = try await withRedisServer { try await Self.record(port: $0.port) }
        let actual = try await withTestServer { try await Self.record(port: $0.port) }
        #expect(actual == expected)
    }
}
