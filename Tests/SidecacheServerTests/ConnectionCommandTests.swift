import NIOCore
import SidecacheRESP
import Testing

@Suite struct ConnectionCommandTests {
    @Test func helloThreeSwitchesToRESP3() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send(TestClient.encode(["HELLO", "3"]))
            // Check the wire format itself: a RESP3 map of 7 pairs.
            let reply = try await client.readReply()
            guard case .map(let pairs) = reply else {
                Issue.record("HELLO 3 did not return a map: \(reply.debugText)")
                return
            }
            #expect(pairs.count == 14)
            let keys = stride(from: 0, to: pairs.count, by: 2).map { pairs[$0].text ?? "" }
            #expect(keys == ["server", "version", "proto", "id", "mode", "role", "modules"])
            #expect(pairs[5] == .integer(3))
            #expect(try await client.command("CLIENT", "GETNAME") == .null)
            #expect(try await client.command("HELLO", "2").elements?.count == 14)
            #expect(try await client.command("CLIENT", "GETNAME") == .bulkString(nil))
        }
    }

    @Test func helloThreeRawBytesStartWithMapHeader() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send(TestClient.encode(["HELLO", "3"]))
            _ = try await client.readReply()
            try await client.send(TestClient.encode(["CLIENT", "GETNAME"]))
            #expect(try await client.readReply() == .null)
        }
    }

    @Test func clientListShowsEveryConnection() async throws {
        try await withTestServer { server in
            let a = try await server.connect()
            let b = try await server.connect()
            let c = try await server.connect()
            defer { Task { await a.close(); await b.close(); await c.close() } }
            // Make sure all three are registered (each answered a command).
            for client in [a, b, c] { #expect(try await client.command("PING") == .simple("PONG")) }
            let list = try await a.command("CLIENT", "LIST")
            let text = try #require(list.text)
            let lines = text.split(separator: "\n").filter { $0.contains("id=") }
            #expect(lines.count == 3, "CLIENT LIST: \(text)")
        }
    }

    @Test func clientSetNameAndGetName() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            #expect(try await client.command("CLIENT", "GETNAME") == .bulkString(nil))
            #expect(try await client.command("CLIENT", "SETNAME", "worker-1") == .simple("OK"))
            #expect(try await client.command("CLIENT", "GETNAME") == .bulk("worker-1"))
            let list = try await client.command("CLIENT", "LIST")
            #expect(list.text?.contains("name=worker-1") == true)
            #expect(try await client.command("CLIENT", "SETNAME", "") == .simple("OK"))
            #expect(try await client.command("CLIENT", "GETNAME") == .bulkString(nil))
        }
    }

    @Test func clientKillIdClosesTheOtherConnection() async throws {
        try await withTestServer { server in
            let killer = try await server.connect()
            let victim = try await server.connect()
            defer { Task { await killer.close(); await victim.close() } }
            guard case .integer(let id) = try await victim.command("CLIENT", "ID") else {
                Issue.record("CLIENT ID is not an integer")
                return
            }
            #expect(try await killer.command("CLIENT", "KILL", "ID", "\(id)") == .integer(1))
            #expect(try await victim.waitForClose())
            #expect(try await killer.command("PING") == .simple("PONG"))
            #expect(try await killer.command("CLIENT", "KILL", "ID", "\(id)") == .integer(0))
        }
    }

    @Test func clientReplyOffThenOn() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send(
                TestClient.encode(["CLIENT", "REPLY", "OFF"]) + TestClient.encode(["PING"])
                    + TestClient.encode(["ECHO", "hidden"]) + TestClient.encode(["CLIENT", "REPLY", "ON"])
            )
            #expect(try await client.readReply() == .simple("OK"))
            #expect(try await client.command("ECHO", "visible") == .bulk("visible"))
            #expect(client.pendingBytes == 0)
        }
    }

    @Test func clientReplySkip() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send(
                TestClient.encode(["CLIENT", "REPLY", "SKIP"]) + TestClient.encode(["ECHO", "skipped"])
                    + TestClient.encode(["ECHO", "shown"])
            )
            #expect(try await client.readReply() == .bulk("shown"))
        }
    }

    @Test func selectOutOfRange() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            #expect(try await client.command("SELECT", "15") == .simple("OK"))
            #expect(try await client.command("SELECT", "16") == .error("ERR DB index is out of range"))
            #expect(try await client.command("SELECT", "-1") == .error("ERR DB index is out of range"))
        }
    }

    @Test func authFlow() async throws {
        try await withTestServer({ $0.server.requirePass = "s3cret" }) { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            #expect(try await client.command("PING") == .error("NOAUTH Authentication required."))
            #expect(try await client.command("CLIENT", "ID") == .error("NOAUTH Authentication required."))
            let wrong = try await client.command("AUTH", "nope")
            #expect(wrong.text?.hasPrefix("WRONGPASS") == true, "\(wrong.debugText)")
            #expect(try await client.command("PING") == .error("NOAUTH Authentication required."))
            #expect(try await client.command("AUTH", "s3cret") == .simple("OK"))
            #expect(try await client.command("PING") == .simple("PONG"))
            // RESET drops the authentication when a password is required.
            #expect(try await client.command("RESET") == .simple("RESET"))
            #expect(try await client.command("PING") == .error("NOAUTH Authentication required."))
            #expect(try await client.command("AUTH", "default", "s3cret") == .simple("OK"))
            #expect(try await client.command("PING") == .simple("PONG"))
        }
    }

    @Test func helloWithAuth() async throws {
        try await withTestServer({ $0.server.requirePass = "pw" }) { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            let noAuth = try await client.command("HELLO", "3")
            #expect(noAuth.text?.hasPrefix("NOAUTH HELLO must be called") == true, "\(noAuth.debugText)")
            let reply = try await client.command("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me")
            guard case .map = reply else {
                Issue.record("HELLO 3 AUTH: \(reply.debugText)")
                return
            }
            #expect(try await client.command("CLIENT", "GETNAME") == .bulk("me"))
        }
    }

    @Test func configSetAndGetMaxclients() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            #expect(try await client.command("CONFIG", "SET", "maxclients", "5") == .simple("OK"))
            #expect(try await client.command("CONFIG", "GET", "maxclients") == .array([.bulk("maxclients"), .bulk("5")]))
        }
    }

    @Test func unknownCommandText() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            #expect(
                try await client.command("foo", "a", "b")
                    == .error("ERR unknown command 'foo', with args beginning with: 'a' 'b' ")
            )
            #expect(try await client.command("foo") == .error("ERR unknown command 'foo', with args beginning with: "))
        }
    }

    @Test func quitRepliesThenCloses() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send(TestClient.encode(["QUIT"]) + TestClient.encode(["PING"]))
            #expect(try await client.readReply() == .simple("OK"))
            #expect(try await client.waitForClose())
            #expect(client.pendingBytes == 0)
        }
    }
}
