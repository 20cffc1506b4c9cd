import NIOCore
import SidecacheRESP
import Testing

@Suite struct ProtocolErrorTests {
    @Test func invalidBulkLengthClosesOnlyThatConnection() async throws {
        try await withTestServer { server in
            let other = try await server.connect()
            let client = try await server.connect()
            defer { Task { await client.close(); await other.close() } }
            #expect(try await other.command("PING") == .simple("PONG"))
            try await client.send("*1\r\n$x\r\n")
            #expect(try await client.readReply() == .error("ERR Protocol error: invalid bulk length"))
            #expect(try await client.waitForClose())
            #expect(try await other.command("PING") == .simple("PONG"))
        }
    }

    @Test func repliesBeforeTheErrorAreDelivered() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send("PING\r\n*1\r\n$x\r\n")
            #expect(try await client.readReply() == .simple("PONG"))
            #expect(try await client.readReply() == .error("ERR Protocol error: invalid bulk length"))
            #expect(try await client.waitForClose())
        }
    }

    @Test func twoGigabyteBulkHeaderIsRejected() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send("*1\r\n$2147483648\r\n")
            #expect(try await client.readReply() == .error("ERR Protocol error: invalid bulk length"))
            #expect(try await client.waitForClose())
        }
    }

    @Test func unbalancedInlineQuotes() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send("set \"a\r\n")
            #expect(try await client.readReply() == .error("ERR Protocol error: unbalanced quotes in request"))
            #expect(try await client.waitForClose())
        }
    }

    @Test func unauthenticatedMultibulkLength() async throws {
        try await withTestServer({ $0.server.requirePass = "secret" }) { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send("*11\r\n")
            #expect(try await client.readReply() == .error("ERR Protocol error: unauthenticated multibulk length"))
            #expect(try await client.waitForClose())
        }
    }

    @Test func unauthenticatedBulkLength() async throws {
        try await withTestServer({ $0.server.requirePass = "secret" }) { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send("*1\r\n$16385\r\n")
            #expect(try await client.readReply() == .error("ERR Protocol error: unauthenticated bulk length"))
            #expect(try await client.waitForClose())
        }
    }

    @Test func authenticatedClientMayExceedUnauthenticatedLimit() async throws {
        try await withTestServer({ $0.server.requirePass = "secret" }) { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            #expect(try await client.command("AUTH", "secret") == .simple("OK"))
            // 11 arguments: fine once authenticated (answered as an unknown command).
            let reply = try await client.command(["FOO"] + (1...10).map { "\($0)" })
            #expect(reply.isError)
            #expect(reply.text?.hasPrefix("ERR unknown command 'FOO'") == true)
        }
    }
}
