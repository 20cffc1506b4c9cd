import SidecacheRESP
import Testing

/// Forwarding to one redis-server: reply order among local and forwarded commands, the
/// client's own connection for transactions and blocking commands, and the connection state
/// (database, RESP3) carried upstream.
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ForwardingTests {
    @Test func pipelineKeepsRequestOrderAcrossLocalAndForwardedCommands() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                var pipeline: [UInt8] = []
                var expected: [RESPValue] = []
                for index in 0..<200 {
                    switch index % 5 {
                    case 0:
                        pipeline += TestClient.encode(["SET", "k\(index)", "v\(index)"])
                        expected.append(.simple("OK"))
                    case 1:
                        pipeline += TestClient.encode(["PING"])
                        expected.append(.simple("PONG"))
                    case 2:
                        pipeline += TestClient.encode(["GET", "k\(index - 2)"])
                        expected.append(.bulk("v\(index - 2)"))
                    case 3:
                        pipeline += TestClient.encode(["ECHO", "e\(index)"])
                        expected.append(.bulk("e\(index)"))
                    default:
                        pipeline += TestClient.encode(["INCR", "counter"])
                        expected.append(.integer(Int64(index / 5 + 1)))
                    }
                }
                try await client.send(pipeline)
                #expect(try await client.readReplies(200) == expected)
                // The writes reached the upstream itself.
                let direct = try await TestClient.connect(port: redis.port)
                #expect(try await direct.command("GET", "counter") == .bulk("40"))
                await direct.close()
            }
        }
    }

    @Test func databaseAndProtocolFollowTheClient() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let client = try await sidecache.connect()
                #expect(try await client.command("SELECT", "3") == .simple("OK"))
                #expect(try await client.command("SET", "where", "db3") == .simple("OK"))
                #expect(try await client.command("SELECT", "0") == .simple("OK"))
                #expect(try await client.command("GET", "where") == .bulkString(nil))
                _ = try await client.command("HELLO", "3")
                #expect(try await client.command("HSET", "h", "f", "1") == .integer(1))
                // A RESP3 map comes back only if the upstream connection speaks RESP3 too.
                #expect(try await client.command("HGETALL", "h") == .map([.bulk("f"), .bulk("1")]))
                await client.close()
                let direct = try await TestClient.connect(port: redis.port)
                _ = try await direct.command("SELECT", "3")
                #expect(try await direct.command("GET", "where") == .bulk("db3"))
                await direct.close()
            }
        }
    }

    @Test func watchSeesWritesOfOtherClients() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let watcher = try await sidecache.connect()
                let writer = try await sidecache.connect()
                #expect(try await watcher.command("SET", "balance", "10") == .simple("OK"))
                #expect(try await watcher.command("WATCH", "balance") == .simple("OK"))
                #expect(try await writer.command("SET", "balance", "20") == .simple("OK"))
                #expect(try await watcher.command("MULTI") == .simple("OK"))
                #expect(try await watcher.command("INCR", "balance") == .simple("QUEUED"))
                #expect(try await watcher.command("PING") == .simple("QUEUED"))
                #expect(try await watcher.command("EXEC") == .array(nil))
                // Unwatched, the same transaction runs, PING included.
                #expect(try await watcher.command("MULTI") == .simple("OK"))
                #expect(try await watcher.command("INCR", "balance") == .simple("QUEUED"))
                #expect(try await watcher.command("PING") == .simple("QUEUED"))
                #expect(try await watcher.command("EXEC") == .array([.integer(21), .simple("PONG")]))
                await watcher.close()
                await writer.close()
            }
        }
    }

    @Test func resetDropsAnOpenTransaction() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let client = try await sidecache.connect()
                #expect(try await client.command("MULTI") == .simple("OK"))
                #expect(try await client.command("SET", "never", "1") == .simple("QUEUED"))
                #expect(try await client.command("RESET") == .simple("RESET"))
                #expect(try await client.command("GET", "never") == .bulkString(nil))
                #expect(try await client.command("EXEC").errorText == "ERR EXEC without MULTI")
                await client.close()
            }
        }
    }

    @Test func blockedClientDoesNotHoldUpOthers() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let waiter = try await sidecache.connect()
                let other = try await sidecache.connect()
                try await waiter.send(TestClient.encode(["BLPOP", "queue", "10"]))
                // The shared connection keeps serving while BLPOP waits on its own.
                for index in 0..<20 {
                    #expect(try await other.command("SET", "x", "\(index)") == .simple("OK"))
                }
                #expect(try await other.command("RPUSH", "queue", "job") == .integer(1))
                #expect(try await waiter.readReply() == .array([.bulk("queue"), .bulk("job")]))
                // A timed-out BLPOP answers nil, as the upstream does.
                #expect(try await waiter.command("BLPOP", "queue", "0.1") == .array(nil))
                await waiter.close()
                await other.close()
            }
        }
    }

    @Test func quitWaitsForForwardedReplies() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let client = try await sidecache.connect()
                try await client.send(TestClient.encode(["SET", "a", "1"]) + TestClient.encode(["GET", "a"]) + TestClient.encode(["QUIT"]))
                #expect(try await client.readReplies(3) == [.simple("OK"), .bulk("1"), .simple("OK")])
                #expect(try await client.waitForClose())
            }
        }
    }

    @Test func subscriptionsRideOneUpstreamSubscription() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let subscriber = try await sidecache.connect()
                let publisher = try await sidecache.connect()
                let direct = try await TestClient.connect(port: redis.port)
                #expect(try await subscriber.command("SUBSCRIBE", "news") == .array([.bulk("subscribe"), .bulk("news"), .integer(1)]))
                #expect(try await subscriber.command("PSUBSCRIBE", "n*") == .array([.bulk("psubscribe"), .bulk("n*"), .integer(2)]))
                // The sidecar's one upstream connection is the upstream's subscriber.
                var numsub = RESPValue.null
                for _ in 0..<100 {
                    numsub = try await direct.command("PUBSUB", "NUMSUB", "news")
                    if numsub == .array([.bulk("news"), .integer(1)]) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(numsub == .array([.bulk("news"), .integer(1)]))
                // A message published through the sidecar, and one published at the upstream.
                #expect(try await publisher.command("PUBLISH", "news", "via-sidecar") == .integer(2))
                #expect(try await direct.command("PUBLISH", "nope", "direct") == .integer(1))
                let messages = try await subscriber.readReplies(3)
                #expect(messages.contains(.array([.bulk("message"), .bulk("news"), .bulk("via-sidecar")])))
                #expect(messages.contains(.array([.bulk("pmessage"), .bulk("n*"), .bulk("news"), .bulk("via-sidecar")])))
                #expect(messages.contains(.array([.bulk("pmessage"), .bulk("n*"), .bulk("nope"), .bulk("direct")])))
                // RESP2 subscribed mode refuses other commands, as redis-server does.
                #expect(try await subscriber.command("GET", "x").errorText?.hasPrefix("ERR Can't execute 'get'") == true)
                _ = try await subscriber.command("UNSUBSCRIBE", "news")
                for _ in 0..<100 {
                    numsub = try await direct.command("PUBSUB", "NUMSUB", "news")
                    if numsub == .array([.bulk("news"), .integer(0)]) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(numsub == .array([.bulk("news"), .integer(0)]))
                let other = try await sidecache.connect()
                #expect(try await other.command("SSUBSCRIBE", "s").errorText?.contains("not available with an upstream") == true)
                await other.close()
                await subscriber.close()
                await publisher.close()
                await direct.close()
            }
        }
    }

    @Test func monitorShowsForwardedCommands() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port) { sidecache in
                let monitor = try await sidecache.connect()
                #expect(try await monitor.command("MONITOR") == .simple("OK"))
                let client = try await sidecache.connect()
                #expect(try await client.command("SET", "watched", "1") == .simple("OK"))
                let line = try #require(try await monitor.readReply().text)
                #expect(line.hasSuffix("\"SET\" \"watched\" \"1\""))
                await client.close()
                await monitor.close()
            }
        }
    }
}
