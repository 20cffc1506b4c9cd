import SidecacheRESP
import Testing

/// CLIENT PAUSE / UNPAUSE: held commands wait, they do not fail; WRITE holds only what writes.
@Suite("CLIENT PAUSE")
struct ClientPauseTests {
    /// Waits until CLIENT LIST shows the client named `name` held (flag `b`).
    static func isHeld(_ name: String, seenBy observer: TestClient) async throws -> Bool {
        try await PubSubTests.eventually {
            try await observer.command("CLIENT", "LIST").debugText
                .split(separator: "\n").contains { line in
                    let flags = line.split(separator: " ").first { $0.hasPrefix("flags=") } ?? ""
                    return line.contains("name=\(name) ") && flags.contains("b")
                }
        }
    }

    @Test func pauseWriteLetsReadsThroughAndHoldsWritesUntilUnpause() async throws {
        try await withTestServer { server in
            let admin = try await server.connect()
            let reader = try await server.connect()
            let writer = try await server.connect()
            let transaction = try await server.connect()
            #expect(try await writer.command("CLIENT", "SETNAME", "writer") == .simple("OK"))
            #expect(try await transaction.command("CLIENT", "SETNAME", "transaction") == .simple("OK"))
            #expect(try await admin.command("SET", "k", "before") == .simple("OK"))
            #expect(try await transaction.command("MULTI") == .simple("OK"))

            #expect(try await admin.command("CLIENT", "PAUSE", "60000", "WRITE") == .simple("OK"))
            // A write and a read behind it on one connection: both wait, in order.
            try await writer.send(TestClient.encode(["SET", "k", "after"]) + TestClient.encode(["GET", "k"]))
            // Inside MULTI a write is held before it is queued, as in Redis 7.0.
            try await transaction.send(TestClient.encode(["SET", "t", "1"]))
            #expect(try await Self.isHeld("writer", seenBy: reader))
            #expect(try await Self.isHeld("transaction", seenBy: reader))
            // Reads and commands that do not write run.
            #expect(try await reader.command("GET", "k") == .bulk("before"))
            #expect(try await reader.command("EXISTS", "t") == .integer(0))
            #expect(try await reader.command("PING") == .simple("PONG"))
            #expect(writer.pendingBytes == 0)

            #expect(try await admin.command("CLIENT", "UNPAUSE") == .simple("OK"))
            #expect(try await writer.readReplies(2) == [.simple("OK"), .bulk("after")])
            #expect(try await transaction.readReply() == .simple("QUEUED"))
            #expect(try await transaction.command("EXEC") == .array([.simple("OK")]))
            #expect(try await reader.command("GET", "k") == .bulk("after"))
            for client in [admin, reader, writer, transaction] { await client.close() }
        }
    }

    /// PAUSE ALL holds reads too, and ends by itself when its time is up: the held command
    /// then runs and answers normally.
    @Test func pauseAllEndsByItselfAndHeldCommandsRun() async throws {
        try await withTestServer { server in
            let admin = try await server.connect()
            let reader = try await server.connect()
            #expect(try await admin.command("SET", "k", "v") == .simple("OK"))
            #expect(try await admin.command("CLIENT", "PAUSE", "300") == .simple("OK"))
            #expect(try await reader.command("GET", "k") == .bulk("v"))
            #expect(try await admin.command("PING") == .simple("PONG"))
            for client in [admin, reader] { await client.close() }
        }
    }

    /// A held client that disconnects is forgotten; UNPAUSE then resumes the others.
    @Test func heldClientThatClosesIsForgotten() async throws {
        try await withTestServer { server in
            let admin = try await server.connect()
            let leaving = try await server.connect()
            let staying = try await server.connect()
            #expect(try await leaving.command("CLIENT", "SETNAME", "leaving") == .simple("OK"))
            #expect(try await admin.command("CLIENT", "PAUSE", "60000", "WRITE") == .simple("OK"))
            try await leaving.send(TestClient.encode(["INCR", "n"]))
            try await staying.send(TestClient.encode(["INCR", "n"]))
            #expect(try await Self.isHeld("leaving", seenBy: admin))
            await leaving.close()
            #expect(try await admin.command("CLIENT", "UNPAUSE") == .simple("OK"))
            #expect(try await staying.readReply() == .integer(1))
            for client in [admin, staying] { await client.close() }
        }
    }

    /// Argument errors, CLIENT NO-EVICT and pauses that hold nothing (0 ms, a timeout whose
    /// end is past the largest time), byte for byte against redis-server.
    @Test(.enabled(if: RedisServerProcess.isAvailable))
    func argumentsAndErrorsMatchRedis() async throws {
        let cases: [RawCase] = [
            RawCase("CLIENT", "PAUSE", "abc"),
            RawCase("CLIENT", "PAUSE", "-1"),
            RawCase("CLIENT", "PAUSE", "10", "foo"),
            RawCase("CLIENT", "PAUSE", "abc", "foo"),
            RawCase("CLIENT", "PAUSE", "10", "WRITE", "extra"),
            RawCase("CLIENT", "PAUSE"),
            RawCase("CLIENT", "PAUSE", "0"),
            RawCase("CLIENT", "PAUSE", "0", "write"),
            RawCase("CLIENT", "PAUSE", "9223372036854775807", "all"),
            RawCase("CLIENT", "PAUSE", "9223372036854775808"),
            RawCase("CLIENT", "UNPAUSE", "x"),
            RawCase("CLIENT", "UNPAUSE"),
            RawCase("SET", "k", "v"),
            RawCase("CLIENT", "NO-EVICT", "on"),
            RawCase("CLIENT", "NO-EVICT", "OFF"),
            RawCase("CLIENT", "NO-EVICT", "maybe"),
            RawCase("CLIENT", "NO-EVICT"),
        ]
        try await RawDifferential.compare(cases, label: "client pause")
    }
}
