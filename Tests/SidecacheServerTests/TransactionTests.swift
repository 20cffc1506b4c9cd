import Testing

/// MULTI, EXEC, DISCARD, WATCH and UNWATCH over real connections. Each scenario runs, with one
/// or more connections, against a real redis-server 7.0.15 and against Sidecache; the replies
/// it records are compared byte for byte, in RESP2 and RESP3.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct TransactionTests {
    /// The connections of one scenario on one server, and the replies it recorded.
    final class Run {
        let port: Int
        let protocolVersion: Int
        private(set) var transcript: [(label: String, reply: [UInt8])] = []
        private var clients: [TestClient] = []

        init(port: Int, protocolVersion: Int) {
            self.port = port
            self.protocolVersion = protocolVersion
        }

        /// A new connection in the run's protocol.
        func connect() async throws -> TestClient {
            let client = try await TestClient.connect(port: port)
            clients.append(client)
            if protocolVersion == 3 { _ = try await client.command("HELLO", "3") }
            return client
        }

        /// Sends one request on `client` and records its reply.
        @discardableResult
        func run(_ client: TestClient, _ arguments: String...) async throws -> [UInt8] {
            try await record(client, arguments)
        }

        @discardableResult
        func record(_ client: TestClient, _ arguments: [String], label: String? = nil) async throws -> [UInt8] {
            let reply = try await client.pipelineRaw([arguments.map { Array($0.utf8) }])[0]
            transcript.append((label ?? arguments.joined(separator: " "), reply))
            return reply
        }

        /// Sends one request and returns its reply without recording it.
        func quietly(_ client: TestClient, _ arguments: String...) async throws -> [UInt8] {
            try await client.pipelineRaw([arguments.map { Array($0.utf8) }])[0]
        }

        func closeAll() async {
            for client in clients { await client.close() }
            clients.removeAll()
        }
    }

    typealias Scenario = @Sendable (Run) async throws -> Void

    /// Runs every scenario in RESP2 and in RESP3 on a fresh pair of servers (FLUSHALL before
    /// each scenario) and records each difference.
    static func compare(_ scenarios: [(name: String, body: Scenario)]) async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                for protocolVersion in [2, 3] {
                    for (name, body) in scenarios {
                        let expected = try await Self.transcript(of: body, port: redis.port, protocolVersion: protocolVersion)
                        let actual = try await Self.transcript(of: body, port: sidecache.port, protocolVersion: protocolVersion)
                        #expect(expected.count == actual.count, "[\(name) RESP\(protocolVersion)] different number of replies")
                        for (index, (reference, subject)) in zip(expected, actual).enumerated() {
                            let same = reference.reply == subject.reply
                            #expect(
                                same,
                                """
                                [\(name) RESP\(protocolVersion) #\(index)] \(reference.label)
                                  redis-server: \(RawDifferential.render(reference.reply))
                                  sidecache:    \(RawDifferential.render(subject.reply))
                                """
                            )
                        }
                    }
                }
            }
        }
    }

    static func transcript(of body: Scenario, port: Int, protocolVersion: Int) async throws -> [(label: String, reply: [UInt8])] {
        let run = Run(port: port, protocolVersion: protocolVersion)
        do {
            let setup = try await run.connect()
            _ = try await run.quietly(setup, "FLUSHALL")
            try await body(run)
        } catch {
            await run.closeAll()
            throw error
        }
        await run.closeAll()
        return run.transcript
    }

    // MARK: MULTI and EXEC

    static let basics: [(name: String, body: Scenario)] = [
        ("queued replies and results", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "a", "1")
            try await run.run(a, "INCR", "a")
            try await run.run(a, "GET", "a")
            try await run.run(a, "GET", "missing")
            try await run.run(a, "MGET", "a", "missing")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "a")
        }),
        ("empty transaction", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "EXEC")
            try await run.run(a, "EXEC")
        }),
        ("runtime errors do not roll back", { run in
            let a = try await run.connect()
            try await run.run(a, "SET", "s", "abc")
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "before", "1")
            try await run.run(a, "INCR", "s")
            try await run.run(a, "SET", "k", "v", "EX", "0")
            try await run.run(a, "SET", "after", "2")
            try await run.run(a, "EXPIRE", "after", "100", "NX", "XX")
            try await run.run(a, "EXEC")
            try await run.run(a, "MGET", "before", "after", "s")
        }),
        ("unknown command while queueing aborts", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "x", "1")
            try await run.run(a, "NOSUCHCOMMAND", "arg")
            try await run.run(a, "SET", "y", "2")
            try await run.run(a, "EXEC")
            try await run.run(a, "MGET", "x", "y")
            try await run.run(a, "EXEC")
        }),
        ("wrong arity while queueing aborts", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "x", "1")
            try await run.run(a, "GET")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "x")
        }),
        ("unknown subcommand while queueing aborts", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "x", "1")
            try await run.run(a, "CLIENT", "NOSUCHSUBCOMMAND")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "x")
        }),
        ("EXEC with wrong arity discards the transaction and the watched keys", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "EXEC", "extra")
            try await run.run(a, "WATCH", "w")
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "x", "1")
            try await run.run(a, "EXEC", "extra")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "x")
            try await run.run(b, "SET", "w", "changed")
            try await run.run(a, "MULTI")
            try await run.run(a, "GET", "w")
            try await run.run(a, "EXEC")
        }),
        ("DISCARD and MULTI with wrong arity", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "DISCARD", "extra")
            try await run.run(a, "MULTI", "extra")
            try await run.run(a, "EXEC")
        }),
        ("nested MULTI is an error that does not abort", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "MULTI")
            try await run.run(a, "INCR", "n")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "n")
        }),
        ("EXEC and DISCARD without MULTI", { run in
            let a = try await run.connect()
            try await run.run(a, "EXEC")
            try await run.run(a, "DISCARD")
            try await run.run(a, "MULTI", "extra")
            try await run.run(a, "EXEC")
        }),
        ("DISCARD drops the queue", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "d", "1")
            try await run.run(a, "DISCARD")
            try await run.run(a, "GET", "d")
            try await run.run(a, "DISCARD")
            try await run.run(a, "EXEC")
        }),
        ("RESET inside MULTI ends the transaction", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "r", "1")
            try await run.record(a, ["RESET"], label: "RESET")
            if run.protocolVersion == 3 { _ = try await run.quietly(a, "HELLO", "3") }
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "r")
        }),
        ("SELECT inside MULTI", { run in
            let a = try await run.connect()
            try await run.run(a, "SET", "k", "db0")
            try await run.run(a, "MULTI")
            try await run.run(a, "SELECT", "1")
            try await run.run(a, "SET", "k", "db1")
            try await run.run(a, "GET", "k")
            try await run.run(a, "SELECT", "99")
            try await run.run(a, "GET", "k")
            try await run.run(a, "EXEC")
            // The SELECT stays in force after EXEC.
            try await run.run(a, "GET", "k")
            try await run.run(a, "SELECT", "0")
            try await run.run(a, "GET", "k")
        }),
        ("expiry commands inside MULTI", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "t", "v")
            try await run.run(a, "EXPIRE", "t", "100")
            try await run.run(a, "TTL", "t")
            try await run.run(a, "PERSIST", "t")
            try await run.run(a, "TTL", "t")
            try await run.run(a, "PEXPIRE", "t", "-1")
            try await run.run(a, "EXISTS", "t")
            try await run.run(a, "EXEC")
        }),
    ]

    @Test func multiAndExec() async throws {
        try await Self.compare(Self.basics)
    }

    // MARK: WATCH

    static let watching: [(name: String, body: Scenario)] = [
        ("a write from another connection aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "SET", "k", "2")
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "k", "from-a")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "k")
        }),
        ("a write during MULTI from another connection aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "k", "other")
            try await run.run(a, "MULTI")
            try await run.run(a, "INCR", "k")
            try await run.run(b, "INCR", "other")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "k")
        }),
        ("an unrelated write does not abort", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "SET", "unrelated", "1")
            try await run.run(b, "SELECT", "1")
            try await run.run(b, "SET", "k", "same name, other database")
            try await run.run(a, "MULTI")
            try await run.run(a, "INCR", "k")
            try await run.run(a, "EXEC")
        }),
        ("a write that changes nothing still aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "SET", "k", "1")
            try await run.run(a, "MULTI")
            try await run.run(a, "EXEC")
        }),
        ("reads and refused writes do not abort", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "GET", "k")
            try await run.run(b, "SET", "k", "2", "NX")
            try await run.run(b, "EXPIRE", "k", "100", "XX")
            try await run.run(b, "PERSIST", "k")
            try await run.run(b, "SETRANGE", "k", "0", "")
            try await run.run(b, "TOUCH", "k")
            try await run.run(b, "EXISTS", "k")
            try await run.run(b, "TTL", "k")
            try await run.run(a, "MULTI")
            try await run.run(a, "GET", "k")
            try await run.run(a, "EXEC")
        }),
        ("APPEND of nothing still counts as a write", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "APPEND", "k", "")
            try await run.run(a, "MULTI")
            try await run.run(a, "GET", "k")
            try await run.run(a, "EXEC")
        }),
        ("a missing key created by another connection aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "missing")
            try await run.run(b, "SET", "missing", "now here")
            try await run.run(a, "MULTI")
            try await run.run(a, "SET", "missing", "from-a")
            try await run.run(a, "EXEC")
            try await run.run(a, "GET", "missing")
        }),
        ("FLUSHDB by another connection aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "FLUSHDB")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("FLUSHALL by another connection aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SELECT", "2")
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "FLUSHALL")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("FLUSHDB of a watched key that does not exist does not abort", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "missing")
            try await run.run(b, "SET", "other", "1")
            try await run.run(b, "FLUSHDB")
            try await run.run(b, "FLUSHALL")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("FLUSHDB of another database does not abort", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "SELECT", "3")
            try await run.run(b, "SET", "k", "1")
            try await run.run(b, "FLUSHDB")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("WATCH inside MULTI is an error that does not abort", { run in
            let a = try await run.connect()
            try await run.run(a, "MULTI")
            try await run.run(a, "WATCH", "k")
            try await run.run(a, "INCR", "k")
            try await run.run(a, "EXEC")
        }),
        ("UNWATCH forgets the watched keys", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "k")
            try await run.run(a, "UNWATCH")
            try await run.run(b, "SET", "k", "2")
            try await run.run(a, "MULTI")
            try await run.run(a, "GET", "k")
            try await run.run(a, "EXEC")
            try await run.run(a, "UNWATCH")
            try await run.run(a, "WATCH")
        }),
        ("DISCARD forgets the watched keys", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "k")
            try await run.run(a, "MULTI")
            try await run.run(a, "DISCARD")
            try await run.run(b, "SET", "k", "2")
            try await run.run(a, "MULTI")
            try await run.run(a, "GET", "k")
            try await run.run(a, "EXEC")
        }),
        ("EXEC forgets the watched keys, even an aborted one", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "SET", "k", "1")
            try await run.run(a, "MULTI")
            try await run.run(a, "EXEC")
            try await run.run(b, "SET", "k", "2")
            try await run.run(a, "MULTI")
            try await run.run(a, "GET", "k")
            try await run.run(a, "EXEC")
        }),
        ("a key written by the same client before WATCH does not abort", { run in
            let a = try await run.connect()
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "WATCH", "k")
            try await run.run(a, "MULTI")
            try await run.run(a, "INCR", "k")
            try await run.run(a, "EXEC")
        }),
        ("a key written by the same client after WATCH aborts, as in Redis", { run in
            let a = try await run.connect()
            try await run.run(a, "WATCH", "k")
            try await run.run(a, "SET", "k", "1")
            try await run.run(a, "MULTI")
            try await run.run(a, "INCR", "k")
            try await run.run(a, "EXEC")
        }),
        ("a key already expired when watched, then deleted by a read, does not abort", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "e", "v", "PX", "1")
            try await Task.sleep(for: .milliseconds(20))
            try await run.run(a, "WATCH", "e")
            try await run.run(b, "GET", "e")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("a key already expired when watched, then flushed, does not abort", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "e", "v", "PX", "1")
            try await Task.sleep(for: .milliseconds(20))
            try await run.run(a, "WATCH", "e")
            try await run.run(b, "FLUSHALL")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("a key already expired when watched, then written, aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "e", "v", "PX", "1")
            try await Task.sleep(for: .milliseconds(20))
            try await run.run(a, "WATCH", "e")
            try await run.run(b, "SET", "e", "new")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("a 1 ms expiry set by another connection aborts", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "SET", "k", "v")
            try await run.run(a, "WATCH", "k")
            try await run.run(b, "PEXPIRE", "k", "1")
            try await Task.sleep(for: .milliseconds(20))
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("a watched key that expires before EXEC aborts", { run in
            let a = try await run.connect()
            // The key must still be live when WATCH runs: its PTTL, read right after WATCH
            // (a read changes nothing), says so; on a slow machine, try again with a longer time.
            var milliseconds = 100
            while true {
                _ = try await run.quietly(a, "SET", "w", "v", "PX", "\(milliseconds)")
                _ = try await run.quietly(a, "WATCH", "w")
                let remaining = RawDifferential.integer(try await run.quietly(a, "PTTL", "w")) ?? -2
                if remaining > 0 {
                    try await Task.sleep(for: .milliseconds(remaining + 30))
                    break
                }
                _ = try await run.quietly(a, "UNWATCH")
                milliseconds *= 4
                try #require(milliseconds < 60_000, "PTTL never answered a live key")
            }
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
        ("WATCH with several keys, one changed", { run in
            let a = try await run.connect()
            let b = try await run.connect()
            try await run.run(a, "WATCH", "x", "y")
            try await run.run(a, "WATCH", "z", "x")
            try await run.run(b, "SET", "z", "1")
            try await run.run(a, "MULTI")
            try await run.run(a, "PING")
            try await run.run(a, "EXEC")
        }),
    ]

    @Test func watch() async throws {
        try await Self.compare(Self.watching)
    }

    // MARK: Atomicity

    /// While one connection's EXEC of 2,000 INCRs runs, another connection's pipelined INCRs on
    /// the same key never land in the middle: the EXEC's replies are consecutive numbers.
    /// The check holds for redis-server too (which shows that the test can pass).
    @Test(arguments: ["redis-server", "sidecache"])
    func execIsNotInterleaved(server: String) async throws {
        if server == "sidecache" {
            try await withTestServer { try await Self.checkNotInterleaved(port: $0.port) }
        } else {
            try await withRedisServer { try await Self.checkNotInterleaved(port: $0.port) }
        }
    }

    static func checkNotInterleaved(port: Int) async throws {
        let a = try await TestClient.connect(port: port)
        let b = try await TestClient.connect(port: port)
        do {
            try await checkNotInterleaved(a, b, count: 2_000)
        } catch {
            await a.close()
            await b.close()
            throw error
        }
        await a.close()
        await b.close()
    }

    static func checkNotInterleaved(_ a: TestClient, _ b: TestClient, count: Int) async throws {
        var transaction = TestClient.encode(["MULTI"])
        for _ in 0..<count { transaction += TestClient.encode(["INCR", "counter"]) }
        transaction += TestClient.encode(["EXEC"])
        var pipeline: [UInt8] = []
        for _ in 0..<count { pipeline += TestClient.encode(["INCR", "counter"]) }
        // Half of B's commands go out before A's transaction, half after, so that both are
        // in flight together.
        let half = pipeline.count / 2
        try await b.send(Array(pipeline[..<half]))
        try await a.send(transaction)
        try await b.send(Array(pipeline[half...]))

        #expect(try await a.readReply() == .simple("OK"))
        for _ in 0..<count { #expect(try await a.readReply() == .simple("QUEUED")) }
        let exec = try await a.readReply(timeout: .seconds(30))
        let values = try #require(exec.elements).compactMap { element -> Int64? in
            if case .integer(let value) = element { return value }
            return nil
        }
        #expect(values.count == count)
        let first = try #require(values.first)
        #expect(values == Array(first..<(first + Int64(count))), "the EXEC's INCRs were interleaved")

        let others = try await b.readReplies(count, timeout: .seconds(30)).compactMap { reply -> Int64? in
            if case .integer(let value) = reply { return value }
            return nil
        }
        #expect(others.count == count)
        #expect(others == others.sorted())
        #expect(others.allSatisfy { $0 < first || $0 >= first + Int64(count) })
        #expect(try await b.command("GET", "counter") == .bulk("\(2 * count)"))
    }
}
