import SidecacheConfig
import SidecacheRESP
import Testing

/// Coherence of local copies with the upstream and across sidecars: client tracking
/// invalidations, the loss of the tracking link, and the delayed double delete.
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct CacheCoherenceTests {
    /// Two sidecars, writers and readers through both for a bounded time: once the writers
    /// stop and invalidations have arrived, every key reads the same through either sidecar as
    /// at the upstream; and no writer ever reads its own write's old value.
    @Test func twoSidecarsConvergeAndReadTheirOwnWrites() async throws {
        try await withRedisServer { redis in
            let rules = [cacheRule("c:*", doubleDeleteDelay: 200)]
            try await withCachingServer(upstreamPort: redis.port, rules: rules, tracking: true) { first in
                try await withCachingServer(upstreamPort: redis.port, rules: rules, tracking: true) { second in
                    let keys = (0..<20).map { "c:\($0)" }
                    let deadline = ContinuousClock.now + .seconds(2)
                    let staleOwnReads = try await withThrowingTaskGroup(of: Int.self) { group in
                        for (index, sidecar) in [first, second, first, second].enumerated() {
                            group.addTask {
                                // Writer `index` owns keys index, index+4, ...: what it reads back
                                // right after its write must be that write.
                                let client = try await sidecar.connect()
                                defer { Task { await client.close() } }
                                var stale = 0
                                var round = 0
                                while ContinuousClock.now < deadline {
                                    let key = keys[(round * 4 + index) % keys.count]
                                    let value = "w\(index)-\(round)"
                                    _ = try await client.command("SET", key, value)
                                    if try await client.command("GET", key) != .bulk(value) { stale += 1 }
                                    round += 1
                                }
                                return stale
                            }
                            group.addTask {
                                let client = try await sidecar.connect()
                                defer { Task { await client.close() } }
                                while ContinuousClock.now < deadline {
                                    _ = try await client.command(["MGET"] + keys)
                                }
                                return 0
                            }
                        }
                        return try await group.reduce(0, +)
                    }
                    #expect(staleOwnReads == 0)
                    try await Task.sleep(for: .milliseconds(500))
                    let direct = try await TestClient.connect(port: redis.port)
                    defer { Task { await direct.close() } }
                    let truth = try await direct.command(["MGET"] + keys)
                    for sidecar in [first, second] {
                        let client = try await sidecar.connect()
                        defer { Task { await client.close() } }
                        #expect(try await client.command(["MGET"] + keys) == truth)
                        for key in keys.prefix(5) {
                            #expect(try await client.command("GET", key) == (try await direct.command("GET", key)))
                        }
                    }
                }
            }
        }
    }

    /// When the invalidation link drops, copies are no longer served: a write made at the
    /// upstream meanwhile is read through at once; caching resumes once the link is back.
    @Test func aLostTrackingLinkStopsServingCopies() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            defer { Task { await direct.close() } }
            _ = try await direct.command("SET", "t:1", "old")
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("t:*")], tracking: true) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                #expect(try await client.command("GET", "t:1") == .bulk("old"))
                #expect(try await client.command("GET", "t:1") == .bulk("old"))
                #expect(try await cacheInfo(client)["rule0.hits"] == "1")
                // Kill the upstream's tracking client (the one with the broadcasting flag).
                guard case .bulkString(let list?) = try await direct.command("CLIENT", "LIST") else { return }
                let tracking = String(buffer: list).split(separator: "\n").first { $0.contains("flags=t") || $0.contains("flags=Bt") || $0.contains("flags=tB") }
                let id = try #require(tracking?.split(separator: " ").first?.dropFirst(3))
                #expect(try await direct.command("CLIENT", "KILL", "ID", String(id)) == .integer(1))
                #expect(try await waitForCacheInfo(client, "tracking_link", "down"))
                _ = try await direct.command("SET", "t:1", "new")
                #expect(try await client.command("GET", "t:1") == .bulk("new"))
                #expect(try await waitForCacheInfo(client, "tracking_link", "up"))
                // Copies are kept again: reads become hits (a few tries, in case a fill raced
                // the link coming back).
                var hits = 1
                for _ in 0..<20 where hits < 2 {
                    #expect(try await client.command("GET", "t:1") == .bulk("new"))
                    hits = try await cacheInfo(client)["rule0.hits"].flatMap(Int.init) ?? 0
                }
                #expect(hits >= 2)
                // Invalidations flow again: an upstream write reaches the copy.
                _ = try await direct.command("SET", "t:1", "newer")
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await client.command("GET", "t:1") == .bulk("newer"))
            }
        }
    }

    /// The cache-aside race, scripted: a reader misses and loads an old value from its
    /// database while a writer updates the database and deletes the key; the reader then
    /// stores the old value. Without `double_delete: upstream` the stale value stays; with it
    /// the repeated DEL removes it.
    @Test(arguments: [DoubleDeleteTarget.local, .upstream])
    func theDelayedSecondDeleteRemovesARacingStaleFill(target: DoubleDeleteTarget) async throws {
        try await withRedisServer { redis in
            let rules = [cacheRule("d:*", doubleDeleteDelay: 1500, doubleDelete: target)]
            try await withCachingServer(upstreamPort: redis.port, rules: rules, tracking: true) { sidecache in
                let reader = try await sidecache.connect()
                let writer = try await sidecache.connect()
                defer { Task { await reader.close(); await writer.close() } }
                var database = "v1"
                // Reader: miss, loads v1 from the database ...
                #expect(try await reader.command("GET", "d:item") == .bulkString(nil))
                let loaded = database
                // ... writer: updates the database, deletes the cache key ...
                database = "v2"
                #expect(try await writer.command("DEL", "d:item") == .integer(0))
                // ... reader: stores what it loaded, after the delete.
                #expect(try await reader.command("SET", "d:item", loaded) == .simple("OK"))
                #expect(try await reader.command("GET", "d:item") == .bulk("v1"))
                try await Task.sleep(for: .milliseconds(2000))
                let after = try await reader.command("GET", "d:item")
                #expect(after == (target == .upstream ? .bulkString(nil) : .bulk("v1")))
                #expect(try await cacheInfo(reader)["rule0.double_deletes"].flatMap(Int.init)! >= 1)
                _ = database
            }
        }
    }
}
