import SidecacheRESP
import Testing

/// Limits that end one client's connection and leave every other client served.
@Suite("Client limits")
struct ClientLimitTests {
    @Test func idleClientIsClosedAfterTimeout() async throws {
        try await withTestServer({ $0.server.timeoutSeconds = 2 }) { server in
            let idle = try await server.connect()
            #expect(try await idle.waitForClose(timeout: .seconds(8)))
            // The server keeps serving. A few attempts: on a loaded machine a test task can stall
            // past the idle timeout itself, and then the fresh client is rightly closed too.
            var served = false
            for _ in 0..<3 where !served {
                guard let fresh = try? await server.connect() else { continue }
                served = (try? await fresh.command("PING")) == .simple("PONG")
                await fresh.close()
            }
            #expect(served)
        }
    }

    @Test func clientOverQueryBufferLimitIsDisconnected() async throws {
        try await withTestServer({ $0.limits.clientQueryBufferLimit = 1024 * 1024 }) { server in
            let bystander = try await server.connect()
            let greedy = try await server.connect()
            // A 4 MB bulk announced, 1.5 MB of it sent: the unread input passes the 1 MB limit.
            try await greedy.send("*2\r\n$4\r\nECHO\r\n$4000000\r\n")
            try await greedy.send(Array(repeating: UInt8(ascii: "x"), count: 1_500_000))
            #expect(try await greedy.waitForClose())
            #expect(try await bystander.command("PING") == .simple("PONG"))
            await bystander.close()
        }
    }

    @Test func configSetProtoMaxBulkLenReachesOpenConnections() async throws {
        try await withTestServer { server in
            let admin = try await server.connect()
            let other = try await server.connect()
            #expect(try await other.command("PING") == .simple("PONG"))
            #expect(try await admin.command("CONFIG", "SET", "proto-max-bulk-len", "1mb") == .simple("OK"))
            try await other.send("*2\r\n$4\r\nECHO\r\n$2000000\r\n")
            #expect(try await other.readReply() == .error("ERR Protocol error: invalid bulk length"))
            #expect(try await other.waitForClose())
            #expect(try await admin.command("CONFIG", "GET", "proto-max-bulk-len")
                == .array([.bulk("proto-max-bulk-len"), .bulk("1048576")]))
            await admin.close()
        }
    }
}
