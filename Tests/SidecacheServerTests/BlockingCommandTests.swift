import NIOCore
import SidecacheRESP
import Testing

/// Blocking list commands over real connections, several clients waiting at once. Each
/// scenario runs against a real redis-server 7.0.15 and against Sidecache; the replies each
/// connection receives must be the same, and are also checked against what Redis documents.
/// Nothing here measures time: a scenario waits for `blocked_clients` to reach a count
/// before it pushes, and short timeouts are only awaited, never timed.
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct BlockingCommandTests {
    /// One scenario on one server: a fresh admin connection and as many clients as it opens.
    /// Returns each reply it read, in order, for comparison between the servers.
    typealias Scenario = @Sendable (Int) async throws -> [RESPValue]

    /// Runs `scenario` on redis-server and on Sidecache, and returns Sidecache's replies
    /// after checking that they equal redis-server's.
    static func compare(_ scenario: Scenario) async throws -> [RESPValue] {
        let expected = try await withRedisServer { redis in try await scenario(redis.port) }
        let actual = try await withTestServer { server in try await scenario(server.port) }
        #expect(actual.map(\.debugText) == expected.map(\.debugText))
        return actual
    }

    /// Waits until the server reports `count` blocked clients.
    static func waitForBlocked(_ admin: TestClient, _ count: Int) async throws {
        for _ in 0..<5000 {
            let text = try await admin.command("INFO", "clients").text ?? ""
            if text.contains("blocked_clients:\(count)\r\n") { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw TestClientError(description: "blocked_clients never reached \(count)")
    }

    /// Connects `count` clients and sends each `request` in turn, waiting until each blocks,
    /// so that they block in order.
    static func block(_ requests: [[String]], port: Int, admin: TestClient) async throws -> [TestClient] {
        var clients: [TestClient] = []
        for (index, request) in requests.enumerated() {
            let client = try await TestClient.connect(port: port)
            try await client.send(TestClient.encode(request))
            try await waitForBlocked(admin, index + 1)
            clients.append(client)
        }
        return clients
    }

    static func pair(_ key: String, _ value: String) -> RESPValue { .array([.bulk(key), .bulk(value)]) }

    @Test func waitersAreServedInTheOrderTheyBlocked() async throws {
        let replies = try await Self.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            _ = try await admin.command("CONFIG", "RESETSTAT")
            let clients = try await Self.block(
                [["BLPOP", "q", "0"], ["BLPOP", "other", "q", "0"], ["BLMPOP", "0", "1", "q", "LEFT", "COUNT", "2"], ["BRPOP", "q", "0"]],
                port: port, admin: admin
            )
            var replies = [try await admin.command("RPUSH", "q", "a", "b", "c", "d", "e", "f")]
            for client in clients { replies.append(try await client.readReply()) }
            replies.append(try await admin.command("LRANGE", "q", "0", "-1"))
            let stats = try await admin.command("INFO", "commandstats").text ?? ""
            for command in ["blpop", "blmpop", "brpop"] {
                let line = stats.split(separator: "\r\n").first { $0.hasPrefix("cmdstat_\(command):") } ?? ""
                replies.append(.bulk(line.split(separator: ",").filter { !$0.contains("usec") }.joined(separator: ",")))
            }
            for client in clients { await client.close() }
            await admin.close()
            return replies
        }
        #expect(replies.prefix(6) == [
            .integer(6), Self.pair("q", "a"), Self.pair("q", "b"),
            .array([.bulk("q"), .array([.bulk("c"), .bulk("d")])]), Self.pair("q", "f"), .array([.bulk("e")]),
        ])
        #expect(replies[6] == .bulk("cmdstat_blpop:calls=2,rejected_calls=0,failed_calls=0"))
    }

    @Test func pipelinedRequestsWaitBehindABlockedCommand() async throws {
        let replies = try await Self.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            let client = try await TestClient.connect(port: port)
            try await client.send(
                TestClient.encode(["PING", "before"]) + TestClient.encode(["BLPOP", "k", "0"]) + TestClient.encode(["PING"])
                    + TestClient.encode(["LLEN", "k"])
            )
            try await Self.waitForBlocked(admin, 1)
            var replies = [try await client.readReply()]
            // The requests after the BLPOP have not run: no reply beyond the first is there.
            replies.append(.integer(Int64(client.pendingBytes)))
            replies.append(try await admin.command("LPUSH", "k", "v1", "v2"))
            replies += try await client.readReplies(3)
            await client.close()
            await admin.close()
            return replies
        }
        #expect(replies == [.bulk("before"), .integer(0), .integer(2), Self.pair("k", "v2"), .simple("PONG"), .integer(1)])
    }

    @Test func clientReplySkipAndOffDropTheServedReply() async throws {
        let replies = try await Self.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            let client = try await TestClient.connect(port: port)
            try await client.send(
                TestClient.encode(["CLIENT", "REPLY", "SKIP"]) + TestClient.encode(["BLPOP", "k", "0"])
                    + TestClient.encode(["PING", "after skip"]) + TestClient.encode(["CLIENT", "REPLY", "OFF"])
                    + TestClient.encode(["BRPOP", "k", "0"]) + TestClient.encode(["CLIENT", "REPLY", "ON"])
                    + TestClient.encode(["LLEN", "k"])
            )
            try await Self.waitForBlocked(admin, 1)
            var replies = [try await admin.command("RPUSH", "k", "a")]
            replies.append(try await client.readReply())
            try await Self.waitForBlocked(admin, 1)
            replies.append(try await admin.command("RPUSH", "k", "b", "c"))
            replies += try await client.readReplies(2)
            await client.close()
            await admin.close()
            return replies
        }
        #expect(replies == [.integer(1), .bulk("after skip"), .integer(2), .simple("OK"), .integer(1)])
    }

    @Test func timeoutsAnswerNullInBothProtocols() async throws {
        let replies = try await Self.compare { port in
            let resp2 = try await TestClient.connect(port: port)
            let resp3 = try await TestClient.connect(port: port)
            _ = try await resp3.command("HELLO", "3")
            var replies: [RESPValue] = []
            for client in [resp2, resp3] {
                replies.append(try await client.command("BLPOP", "none", "0.02"))
                replies.append(try await client.command("BLMOVE", "none", "d", "LEFT", "LEFT", "0.02"))
                replies.append(try await client.command("BRPOPLPUSH", "none", "d", "0.001"))
                replies.append(try await client.command("BLMPOP", "0.02", "2", "none", "nix", "RIGHT"))
                replies.append(try await client.command("PING"))
            }
            await resp2.close()
            await resp3.close()
            return replies
        }
        #expect(replies == [.array(nil), .array(nil), .array(nil), .array(nil), .simple("PONG"), .null, .null, .null, .null, .simple("PONG")])
    }

    @Test func aClientThatDisconnectsWhileBlockedIsForgotten() async throws {
        let replies = try await Self.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            let clients = try await Self.block([["BLPOP", "k", "0"], ["BRPOP", "k", "10"]], port: port, admin: admin)
            await clients[0].close()
            try await Self.waitForBlocked(admin, 1)
            await clients[1].close()
            try await Self.waitForBlocked(admin, 0)
            let replies = [try await admin.command("RPUSH", "k", "v"), try await admin.command("LLEN", "k")]
            await admin.close()
            return replies
        }
        #expect(replies == [.integer(1), .integer(1)])
    }

    @Test func moveChainsWakeEveryWaiter() async throws {
        let replies = try await Self.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            let clients = try await Self.block(
                [["BLMOVE", "a", "b", "LEFT", "RIGHT", "0"], ["BRPOPLPUSH", "b", "c", "0"], ["BLPOP", "c", "0"]],
                port: port, admin: admin
            )
            var replies = [try await admin.command("RPUSH", "a", "x", "y")]
            for client in clients { replies.append(try await client.readReply()) }
            replies.append(try await admin.command("LRANGE", "a", "0", "-1"))
            replies.append(try await admin.command("EXISTS", "b", "c"))
            for client in clients { await client.close() }
            await admin.close()
            return replies
        }
        #expect(replies == [.integer(2), .bulk("x"), .bulk("x"), Self.pair("c", "x"), .array([.bulk("y")]), .integer(0)])
    }

    @Test func aBlockedMoveToAKeyOfAnotherTypeAnswersWrongType() async throws {
        let replies = try await Self.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            let clients = try await Self.block([["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"]], port: port, admin: admin)
            var replies = [try await admin.command("SET", "dst", "string"), try await admin.command("RPUSH", "src", "v")]
            replies.append(try await clients[0].readReply())
            replies.append(try await admin.command("LLEN", "src"))
            await clients[0].close()
            await admin.close()
            return replies
        }
        #expect(replies.last == .integer(1))
        #expect(replies[2].isError)
    }

    @Test func clientUnblockAndTheBlockedFlag() async throws {
        let replies = try await Self.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            let client = try await TestClient.connect(port: port)
            guard case .integer(let id) = try await client.command("CLIENT", "ID") else { return [] }
            var replies: [RESPValue] = []
            for reason in [[], ["TIMEOUT"], ["error"]] {
                try await client.send(TestClient.encode(["BLPOP", "k", "0"]))
                try await Self.waitForBlocked(admin, 1)
                let line = try await admin.command("CLIENT", "LIST", "ID", "\(id)").text ?? ""
                replies.append(.bulk(String(line.split(separator: " ").first { $0.hasPrefix("flags=") } ?? "")))
                replies.append(try await admin.command(["CLIENT", "UNBLOCK", "\(id)"] + reason))
                replies.append(try await client.readReply())
            }
            replies.append(try await admin.command("CLIENT", "UNBLOCK", "\(id)"))
            replies.append(try await admin.command("CLIENT", "UNBLOCK", "\(id)", "later"))
            await client.close()
            await admin.close()
            return replies
        }
        #expect(replies.first == .bulk("flags=b"))
        #expect(replies[2] == .array(nil))
        #expect(replies[8] == .error("UNBLOCKED client unblocked via CLIENT UNBLOCK"))
        #expect(replies[9] == .integer(0))
    }

    /// As in Redis, the idle timeout closes an idle client but not one waiting in BLPOP.
    @Test func theIdleTimeoutSparesABlockedClient() async throws {
        try await withTestServer({ $0.server.timeoutSeconds = 1 }) { server in
            let admin = try await server.connect()
            let blocked = try await server.connect()
            let idle = try await server.connect()
            try await blocked.send(TestClient.encode(["BLPOP", "k", "0"]))
            try await Self.waitForBlocked(admin, 1)
            #expect(try await idle.waitForClose(timeout: .seconds(8)))
            #expect(!blocked.isClosed)
            let pusher = try await server.connect()
            #expect(try await pusher.command("RPUSH", "k", "v") == .integer(1))
            #expect(try await blocked.readReply() == Self.pair("k", "v"))
            for client in [admin, blocked, idle, pusher] { await client.close() }
        }
    }
}
