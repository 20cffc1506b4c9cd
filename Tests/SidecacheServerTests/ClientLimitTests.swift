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

/// Idle timeout, refused bulk headers: more of Redis's client limits, tested apart.
@Suite("Client limits, Redis's exemptions")
struct ClientLimitExemptionTests {
    /// As redis-server's `clientsCronHandleTimeout`: an idle client is closed, a subscriber and
    /// a client blocked in BLPOP are not; CONFIG SET timeout applies to clients already connected.
    @Test func idleTimeoutSparesSubscribersAndBlockedClients() async throws {
        try await withTestServer { server in
            let idle = try await server.connect()
            let subscriber = try await server.connect()
            let blocked = try await server.connect()
            #expect(try await subscriber.command("SUBSCRIBE", "news") == PubSubTests.confirmation("subscribe", "news", 1))
            try await blocked.send(TestClient.encode(["BLPOP", "queue", "0"]))
            let admin = try await server.connect()
            #expect(try await PubSubTests.eventually {
                try await admin.command("CLIENT", "LIST").debugText.contains("flags=b ")
            })
            #expect(try await admin.command("CONFIG", "SET", "timeout", "1") == .simple("OK"))
            #expect(try await idle.waitForClose(timeout: .seconds(8)))
            #expect(try await admin.waitForClose(timeout: .seconds(8)))
            #expect(!subscriber.isClosed)
            #expect(!blocked.isClosed)
            let pusher = try await server.connect()
            #expect(try await pusher.command("LPUSH", "queue", "job") == .integer(1))
            #expect(try await blocked.readReply() == .array([.bulk("queue"), .bulk("job")]))
            #expect(try await pusher.command("PUBLISH", "news", "still here") == .integer(1))
            #expect(try await subscriber.readReply() == PubSubTests.message("news", "still here"))
            for client in [subscriber, blocked, pusher] { await client.close() }
        }
    }

    /// A 2 GB bulk header (over `proto-max-bulk-len`, 512 MB) is refused before any of its
    /// bytes arrive, with redis-server's error, and the connection is closed; so is one byte
    /// over the limit, and a multibulk count over 2^31 - 1.
    @Test(.enabled(if: RedisServerProcess.isAvailable))
    func oversizedBulkHeaderIsRefusedAsRedisDoes() async throws {
        let requests = [
            "*2\r\n$4\r\nECHO\r\n$2147483648\r\n",
            "*2\r\n$4\r\nECHO\r\n$536870913\r\n",
            "*1\r\n$9223372036854775807\r\n",
            "*2147483648\r\n",
        ]
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                for request in requests {
                    var replies: [RESPValue] = []
                    for port in [redis.port, sidecache.port] {
                        let client = try await TestClient.connect(port: port)
                        try await client.send(request)
                        replies.append(try await client.readReply())
                        #expect(try await client.waitForClose(), "\(request.debugDescription) on port \(port)")
                        await client.close()
                    }
                    #expect(replies[0] == replies[1], "\(request.debugDescription)")
                }
                #expect(try await sidecache.connect().command("PING") == .simple("PONG"))
            }
        }
    }
}
