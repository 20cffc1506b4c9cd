import Foundation
import SidecacheConfig
import SidecacheRESP
import Testing

/// The classic cache problems against a real redis-server: avalanche (lifetimes spread by
/// jitter), breakdown (one fetch for many concurrent misses) and penetration (the Bloom
/// guard and null caching keep reads of missing keys off the upstream).
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct CacheProblemTests {
    /// Fills `count` keys `prefix0...` upstream and reads them all through `client`, in batches.
    private func fill(_ count: Int, prefix: String, redis: RedisServerProcess, through client: TestClient) async throws {
        let direct = try await TestClient.connect(port: redis.port)
        defer { Task { await direct.close() } }
        for start in stride(from: 0, to: count, by: 1000) {
            let batch = start..<min(count, start + 1000)
            try await direct.send(batch.flatMap { TestClient.encode(["SET", "\(prefix)\($0)", "v"]) })
            _ = try await direct.readReplies(batch.count, timeout: .seconds(30))
        }
        for start in stride(from: 0, to: count, by: 1000) {
            let batch = start..<min(count, start + 1000)
            try await client.send(batch.flatMap { TestClient.encode(["GET", "\(prefix)\($0)"]) })
            _ = try await client.readReplies(batch.count, timeout: .seconds(30))
        }
    }

    /// 30,000 keys filled through the sidecar (as fast as a debug build manages; the policy
    /// tests check 100,000 lifetimes drawn in one go), lifetime 60 s with jitter 0.2: expiries
    /// spread over 48–72 s after the fill, so no one-second bucket holds more than twice its
    /// uniform share; with no jitter they all fall within the fill's own duration.
    @Test(arguments: [0.2, 0.0])
    func avalancheJitterSpreadsExpiries(jitter: Double) async throws {
        try await withRedisServer { redis in
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("a:*", ttl: 60_000, jitter: jitter)]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                let count = 30_000
                let started = Int64(Date().timeIntervalSince1970 * 1000)
                try await fill(count, prefix: "a:", redis: redis, through: client)
                let duration = Int64(Date().timeIntervalSince1970 * 1000) - started
                let offsets = sidecache.server.localExpiryTimes().map { $0 - started }
                #expect(offsets.count == count)
                guard duration < 40_000, let first = offsets.min(), let last = offsets.max() else { return }
                if jitter > 0 {
                    var buckets: [Int64: Int] = [:]
                    for offset in offsets { buckets[offset / 1000, default: 0] += 1 }
                    let share = count / 24
                    #expect(buckets.values.allSatisfy { $0 <= 2 * share }, "buckets \(buckets.sorted { $0.key < $1.key })")
                    #expect(first >= 48_000 && first < 50_000 + duration)
                    #expect(last <= 72_000 + duration && last > 70_000)
                } else {
                    #expect(first >= 60_000 && last <= 60_000 + duration + 1)
                }
            }
        }
    }

    /// 1,000 connections read one key missing locally at once: one DUMP upstream.
    @Test func breakdownOneFetchForAThousandConcurrentMisses() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            _ = try await direct.command("SET", "hot:key", "value")
            await direct.close()
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("hot:*")]) { sidecache in
                var clients: [TestClient] = []
                for _ in 0..<1000 { clients.append(try await sidecache.connect()) }
                defer { for client in clients { Task { await client.close() } } }
                let request = TestClient.encode(["GET", "hot:key"])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for client in clients { group.addTask { try await client.send(request) } }
                    try await group.waitForAll()
                }
                for client in clients { #expect(try await client.readReply(timeout: .seconds(10)) == .bulk("value")) }
                #expect(try await upstreamCalls(redis, "dump") == 1)
                let info = try await cacheInfo(clients[0])
                #expect(info["rule0.misses"].flatMap(Int.init)! + info["rule0.hits"].flatMap(Int.init)! == 1000)
            }
        }
    }

    /// 100,000 reads of missing keys: with the Bloom guard, at most error_rate × 100,000 × 1.5
    /// reach the upstream.
    @Test func penetrationBloomGuard() async throws {
        try await withRedisServer { redis in
            let direct = try await TestClient.connect(port: redis.port)
            for index in 0..<1000 { _ = try await direct.command("SET", "p:real\(index)", "v") }
            await direct.close()
            var bloom = CacheBloomConfiguration()
            bloom.capacity = 100_000
            bloom.errorRate = 0.01
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("p:*", bloom: bloom)]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                #expect(try await waitForCacheInfo(client, "rule0.bloom_ready", "1"))
                for start in stride(from: 0, to: 100_000, by: 1000) {
                    try await client.send((start..<start + 1000).flatMap { TestClient.encode(["GET", "p:none\($0)"]) })
                    let replies = try await client.readReplies(1000, timeout: .seconds(30))
                    #expect(replies.allSatisfy { $0 == .bulkString(nil) })
                }
                let fetches = try await upstreamCalls(redis, "dump")
                #expect(fetches <= Int(0.01 * 100_000 * 1.5), "\(fetches) upstream fetches")
                #expect(try await cacheInfo(client)["rule0.bloom_rejections"].flatMap(Int.init)! >= 100_000 - fetches)
                // Keys that exist still read through.
                #expect(try await client.command("GET", "p:real7") == .bulk("v"))
            }
        }
    }

    /// Null caching alone: 100,000 reads over 10,000 missing keys, one fetch per key.
    @Test func penetrationNullCaching() async throws {
        try await withRedisServer { redis in
            try await withCachingServer(upstreamPort: redis.port, rules: [cacheRule("n:*", nullTTL: 60_000)]) { sidecache in
                let client = try await sidecache.connect()
                defer { Task { await client.close() } }
                for round in 0..<10 {
                    for start in stride(from: 0, to: 10_000, by: 1000) {
                        try await client.send((start..<start + 1000).flatMap { TestClient.encode(["GET", "n:\($0)"]) })
                        _ = try await client.readReplies(1000, timeout: .seconds(30))
                    }
                    if round == 0 { #expect(try await upstreamCalls(redis, "dump") == 10_000) }
                }
                #expect(try await upstreamCalls(redis, "dump") == 10_000)
                #expect(try await cacheInfo(client)["rule0.null_hits"] == "90000")
            }
        }
    }
}
