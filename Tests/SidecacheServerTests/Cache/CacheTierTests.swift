import Foundation
import SidecacheConfig
import SidecacheRESP
import Testing

/// The cache tier in front of a real redis-server: cache-aside reads, remembered misses,
/// writes that drop local copies, local and bypass rules, read-your-writes in a pipeline,
/// values too large to keep, and stale copies while the upstream is unreachable.
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct CacheTierTests {
    @Test func aMissFillsOnceThenReadsAreLocalHits() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            defer { Task { await direct.close() } }
            _ = try await direct.command("SET", "user:1", "alice")
            _ = try await direct.command("HSET", "user:h", "a", "1", "b", "2")
            _ = try await direct.command("RPUSH", "user:l", "x", "y", "z")
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("user:*")]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                for _ in 0..<5 {
                    #expect(try await client.command("GET", "user:1") == .bulk("alice"))
                    #expect(try await client.command("HGET", "user:h", "b") == .bulk("2"))
                    #expect(try await client.command("LRANGE", "user:l", "0", "-1") == .array([.bulk("x"), .bulk("y"), .bulk("z")]))
                }
                // One DUMP per key, whatever its type; the other reads were local.
                #expect(try await upstreamCalls(redis, "dump") == 3)
                #expect(try await upstreamCalls(redis, "get") == 0)
                let info = try await cacheInfo(client)
                #expect(info["rule0.fills"] == "3")
                #expect(info["rule0.hits"] == "12")
                #expect(info["rule0.misses"] == "3")
                // TTL is about the data, not the local copy: it goes upstream.
                #expect(try await client.command("TTL", "user:1") == .integer(-1))
            }
        }
    }

    @Test func theLocalLifetimeNeverOutlivesTheUpstreamTTL() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            defer { Task { await direct.close() } }
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("user:*", ttl: 60_000)]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                _ = try await direct.command("SET", "user:short", "v", "PX", "2000")
                #expect(try await client.command("GET", "user:short") == .bulk("v"))
                // Kept for the key's remaining 2 s at most, not the rule's minute.
                let expiries = sidecache.server.localExpiryTimes()
                #expect(expiries.count == 1)
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                #expect(expiries.allSatisfy { $0 <= now + 2000 })
                try await Task.sleep(for: .milliseconds(2200))
                #expect(try await client.command("GET", "user:short") == .bulkString(nil))
            }
        }
    }

    @Test func nullCachingRemembersMissesUntilAWrite() async throws {
        try await withRedisServer { redis in
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("user:*", nullTTL: 60_000)]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                for _ in 0..<10 { #expect(try await client.command("GET", "user:none") == .bulkString(nil)) }
                #expect(try await upstreamCalls(redis, "dump") == 1)
                #expect(try await cacheInfo(client)["rule0.null_hits"] == "9")
                // A write through the sidecar forgets the miss at once.
                #expect(try await client.command("SET", "user:none", "now") == .simple("OK"))
                #expect(try await client.command("GET", "user:none") == .bulk("now"))
            }
        }
    }

    @Test func aPipelinedReadAfterAWriteSeesTheWrite() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            defer { Task { await direct.close() } }
            _ = try await direct.command("SET", "user:p", "0")
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("user:*")]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                #expect(try await client.command("GET", "user:p") == .bulk("0"))
                var pipeline: [UInt8] = []
                var expected: [RESPValue] = []
                for round in 1...50 {
                    pipeline += TestClient.encode(["SET", "user:p", "\(round)"]) + TestClient.encode(["GET", "user:p"])
                    pipeline += TestClient.encode(["GET", "user:p"])
                    expected += [.simple("OK"), .bulk("\(round)"), .bulk("\(round)")]
                }
                try await client.send(pipeline)
                #expect(try await client.readReplies(150) == expected)
                #expect(try await client.command("GET", "user:p") == .bulk("50"))
            }
        }
    }

    @Test func localKeysNeverReachTheUpstreamAndBypassKeysAlwaysDo() async throws {
        try await withRedisServer { redis in
            let rules = [cacheRule("local:", mode: .local), cacheRule("session:*", mode: .bypass)]
            try await withCachingServer(upstreamPort: redis.port, rules: rules) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                #expect(try await client.command("SET", "local:x", "1") == .simple("OK"))
                #expect(try await client.command("INCR", "local:x") == .integer(2))
                #expect(try await client.command("SET", "session:y", "s") == .simple("OK"))
                for _ in 0..<3 { #expect(try await client.command("GET", "session:y") == .bulk("s")) }
                let direct = try await TestClient.connect(port: redis.port)
                defer { Task { await direct.close() } }
                #expect(try await direct.command("EXISTS", "local:x") == .integer(0))
                #expect(try await direct.command("GET", "session:y") == .bulk("s"))
                #expect(try await upstreamCalls(redis, "get") == 4)
                #expect(try await upstreamCalls(redis, "dump") == 0)
                let mixed = try await client.command("MGET", "local:x", "session:y")
                #expect(mixed.errorText?.hasPrefix("ERR this command mixes keys of a local cache rule") == true)
                // Inside MULTI everything goes upstream: a local key there is refused.
                #expect(try await client.command("MULTI") == .simple("OK"))
                let queued = try await client.command("GET", "local:x")
                #expect(queued.errorText == "ERR keys under a local cache rule cannot be used inside MULTI or WATCH with an upstream")
                #expect(try await client.command("DISCARD") == .simple("OK"))
                #expect(try await client.command("GET", "local:x") == .bulk("2"))
            }
        }
    }

    @Test func partialHitsFetchOnlyTheMissingKeys() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            defer { Task { await direct.close() } }
            for index in 0..<6 { _ = try await direct.command("SET", "user:\(index)", "v\(index)") }
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("user:*")]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                _ = try await client.command("MGET", "user:0", "user:1", "user:2")
                #expect(try await upstreamCalls(redis, "dump") == 3)
                let reply = try await client.command("MGET", "user:5", "user:0", "user:9", "user:1", "user:4")
                #expect(reply == .array([.bulk("v5"), .bulk("v0"), .bulkString(nil), .bulk("v1"), .bulk("v4")]))
                #expect(try await upstreamCalls(redis, "dump") == 6)
                #expect(try await upstreamCalls(redis, "mget") == 0)
            }
        }
    }

    @Test func valuesOverTheLimitAreAnsweredButNotKept() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            defer { Task { await direct.close() } }
            let big = String(repeating: "x", count: 5000)
            _ = try await direct.command("SET", "user:big", big)
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("user:*", maxValueBytes: 1000)]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                for _ in 0..<3 { #expect(try await client.command("GET", "user:big") == .bulk(big)) }
                #expect(try await upstreamCalls(redis, "dump") == 3)
                #expect(sidecache.server.localExpiryTimes().isEmpty)
            }
        }
    }

    @Test func aStaleCopyAnswersWhileTheUpstreamIsUnreachable() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            _ = try await direct.command("SET", "user:s", "kept")
            await direct.close()
            let rules = [cacheRule("user:*", ttl: 200, staleIfError: 30_000), cacheRule("plain:*", ttl: 200)]
            try await withCachingServer(upstreamPort: redis.port, rules: rules, { configuration in
                configuration.upstream.commandTimeoutMilliseconds = 1500
            }) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                #expect(try await client.command("GET", "user:s") == .bulk("kept"))
                redis.pause()
                defer { redis.resume() }
                try await Task.sleep(for: .milliseconds(400))
                // Past its lifetime, the fetch times out: the stale copy answers.
                #expect(try await client.command("GET", "user:s") == .bulk("kept"))
                #expect(try await cacheInfo(client)["rule0.stale_serves"] == "1")
                // Without stale_if_error, the failure is the answer.
                #expect(try await client.command("GET", "plain:s").errorText != nil)
            }
        }
    }
}
