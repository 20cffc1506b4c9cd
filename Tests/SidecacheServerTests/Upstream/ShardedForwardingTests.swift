import SidecacheConfig
import SidecacheRESP
import SidecacheUpstream
import Testing

/// Sharded mode over three real redis-servers: keys land where twemproxy's hashing puts them
/// (`ShardRing`, itself checked key for key against a real nutcracker in
/// SidecacheUpstreamTests), multi-key commands are split and merged, keyless ones fanned out
/// only where allowed, and what one shard cannot run is refused with a reason.
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ShardedForwardingTests {
    /// Three redis-servers and a Sidecache sharding over them (`configure` on top).
    static func withShards<T>(
        _ configure: @escaping (inout UpstreamConfiguration) -> Void = { _ in },
        _ body: ([RedisServerProcess], TestServer, TestClient) async throws -> T
    ) async throws -> T {
        let shards = [try await RedisServerProcess.start(), try await RedisServerProcess.start(), try await RedisServerProcess.start()]
        defer { shards.forEach { $0.stop() } }
        return try await withTestServer({ configuration in
            configuration.upstream.mode = .sharded
            configuration.upstream.nodes = shards.map { UpstreamNodeConfiguration(host: "127.0.0.1", port: $0.port) }
            configure(&configuration.upstream)
        }) { sidecache in
            let client = try await sidecache.connect()
            defer { Task { await client.close() } }
            return try await body(shards, sidecache, client)
        }
    }

    /// Keys varied enough to reach every shard (similar keys cluster under FNV, as in
    /// twemproxy), the first of them on `node` when one is given.
    static func keys(_ count: Int, ring: ShardRing, startingOn node: Int? = nil) throws -> [String] {
        let pool = (0..<5000).map { "\($0 &* 2_654_435_761 % 1_000_003):\($0)" }
        var keys = Array(pool.prefix(count))
        if let node {
            let first = try #require(pool.first { ring.node(for: Array($0.utf8)) == node })
            keys.insert(first, at: 0)
        }
        return keys
    }

    static func ring(_ shards: [RedisServerProcess], hashTag: String? = nil) throws -> ShardRing {
        try ShardRing(
            nodes: shards.map { ShardNode(address: UpstreamAddress(host: "127.0.0.1", port: $0.port)) },
            hashTag: hashTag.flatMap(ShardHashTag.init)
        )
    }

    @Test func everyKeyLandsOnItsTwemproxyShard() async throws {
        try await Self.withShards({ $0.hashTag = "{}" }) { shards, _, client in
            let keys = (0..<3000).map { index in index % 10 == 0 ? "user:{\(index % 7)}:\(index)" : "key:\(index)" }
            try await client.send(keys.flatMap { TestClient.encode(["SET", $0, "v"]) })
            let replies = try await client.readReplies(keys.count)
            #expect(replies.allSatisfy { $0 == .simple("OK") })
            let ring = try Self.ring(shards, hashTag: "{}")
            for (index, shard) in shards.enumerated() {
                let direct = try await TestClient.connect(port: shard.port)
                let stored = try #require(try await direct.command("KEYS", "*").elements).compactMap(\.text)
                await direct.close()
                let expected = keys.filter { ring.node(for: Array($0.utf8)) == index }
                #expect(Set(stored) == Set(expected))
            }
        }
    }

    @Test func multiKeyCommandsAreSplitAndMerged() async throws {
        try await Self.withShards({ $0.fanOutDangerous = true }) { shards, _, client in
            let keys = (0..<40).map { "k\($0)" }
            #expect(try await client.command(["MSET"] + keys.flatMap { [$0, "v-\($0)"] }) == .simple("OK"))
            let wanted = ["k3", "missing", "k17", "k0", "k39", "k3"]
            let values = try await client.command(["MGET"] + wanted)
            #expect(values == .array(wanted.map { $0 == "missing" ? .bulkString(nil) : .bulk("v-\($0)") }))
            #expect(try await client.command("EXISTS", "k1", "k2", "nope", "k1") == .integer(3))
            #expect(try await client.command("DBSIZE") == .integer(40))
            #expect(Set(try #require(try await client.command("KEYS", "k*").elements).compactMap(\.text)) == Set(keys))
            var cursor = "0"
            var scanned: [String] = []
            repeat {
                let page = try #require(try await client.command("SCAN", cursor, "COUNT", "7").elements)
                cursor = try #require(page[0].text)
                scanned += try #require(page[1].elements).compactMap(\.text)
            } while cursor != "0"
            #expect(scanned.sorted() == keys.sorted())
            #expect(try await client.command(["DEL"] + keys.prefix(10) + ["nope"]) == .integer(10))
            #expect(try await client.command("DBSIZE") == .integer(30))
            // A node count, checked on the shards themselves.
            var total: Int64 = 0
            for shard in shards {
                let direct = try await TestClient.connect(port: shard.port)
                if case .integer(let count) = try await direct.command("DBSIZE") { total += count }
                await direct.close()
            }
            #expect(total == 30)
        }
    }

    @Test func whatOneShardCannotRunIsRefused() async throws {
        try await Self.withShards { shards, _, client in
            let ring = try Self.ring(shards)
            let a = "alpha"
            let b = try #require(try Self.keys(100, ring: ring).first { ring.node(for: Array($0.utf8)) != ring.node(for: Array(a.utf8)) })
            #expect(try await client.command("KEYS", "*").errorText?.contains("upstream.fan_out_dangerous") == true)
            #expect(try await client.command("RENAME", a, b).errorText?.contains("live on different shards") == true)
            #expect(try await client.command("TIME").errorText?.contains("names no key") == true)
            // A transaction on one shard runs; one that spans shards is discarded.
            #expect(try await client.command("MULTI") == .simple("OK"))
            #expect(try await client.command("SET", "{t}1", "x") == .simple("QUEUED"))
            #expect(try await client.command("GET", "{t}1") == .simple("QUEUED"))
            #expect(try await client.command("EXEC") == .array([.simple("OK"), .bulk("x")]))
            #expect(try await client.command("MULTI") == .simple("OK"))
            #expect(try await client.command("SET", a, "1") == .simple("QUEUED"))
            #expect(try await client.command("SET", b, "2").errorText?.contains("another shard") == true)
            #expect(try await client.command("EXEC").errorText == "EXECABORT Transaction discarded because of previous errors.")
            #expect(try await client.command("GET", a) == .bulkString(nil))
            // WATCH binds the transaction to the watched key's shard.
            #expect(try await client.command("WATCH", a) == .simple("OK"))
            #expect(try await client.command("MULTI") == .simple("OK"))
            #expect(try await client.command("INCR", a) == .simple("QUEUED"))
            #expect(try await client.command("EXEC") == .array([.integer(1)]))
            #expect(try await client.command("MULTI") == .simple("OK"))
            #expect(try await client.command("EXEC") == .array([]))
        }
    }

    @Test func subscriptionsFollowTheirChannelsShard() async throws {
        try await Self.withShards { shards, sidecache, client in
            let ring = try Self.ring(shards)
            let channels = try Self.keys(200, ring: ring)
            let first = channels[0]
            let second = try #require(channels.first { ring.node(for: Array($0.utf8)) != ring.node(for: Array(first.utf8)) })
            let subscriber = try await sidecache.connect()
            _ = try await subscriber.command("SUBSCRIBE", first, second)
            _ = try await subscriber.readReply()
            _ = try await subscriber.command("PSUBSCRIBE", "*")
            // Each shard must have its subscriptions before anything is published.
            for shard in shards {
                let direct = try await TestClient.connect(port: shard.port)
                for _ in 0..<100 {
                    if case .integer(let count) = try await direct.command("PUBSUB", "NUMPAT"), count == 1 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                await direct.close()
            }
            for channel in [first, second] {
                let home = shards[ring.node(for: Array(channel.utf8))]
                let direct = try await TestClient.connect(port: home.port)
                for _ in 0..<100 {
                    if try await direct.command("PUBSUB", "NUMSUB", channel) == .array([.bulk(channel), .integer(1)]) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                await direct.close()
            }
            // The home shard counts the sidecar's channel and pattern subscriptions: 2.
            #expect(try await client.command("PUBLISH", first, "one") == .integer(2))
            #expect(try await client.command("PUBLISH", second, "two") == .integer(2))
            let messages = try await subscriber.readReplies(4)
            #expect(messages.contains(.array([.bulk("message"), .bulk(first), .bulk("one")])))
            #expect(messages.contains(.array([.bulk("message"), .bulk(second), .bulk("two")])))
            #expect(messages.contains(.array([.bulk("pmessage"), .bulk("*"), .bulk(first), .bulk("one")])))
            #expect(messages.contains(.array([.bulk("pmessage"), .bulk("*"), .bulk(second), .bulk("two")])))
            await subscriber.close()
        }
    }

    @Test func scriptsAreRoutedByTheirKeys() async throws {
        try await Self.withShards { shards, _, client in
            let ring = try Self.ring(shards)
            let keys = try Self.keys(200, ring: ring)
            let a = keys[0]
            let b = try #require(keys.first { ring.node(for: Array($0.utf8)) != ring.node(for: Array(a.utf8)) })
            let script = "return redis.call('SET', KEYS[1], ARGV[1])"
            #expect(try await client.command("EVAL", script, "1", b, "scripted") == .simple("OK"))
            // It ran on b's shard: the key is there and nowhere else.
            let owner = shards[ring.node(for: Array(b.utf8))]
            let direct = try await TestClient.connect(port: owner.port)
            #expect(try await direct.command("GET", b) == .bulk("scripted"))
            await direct.close()
            #expect(try await client.command("EVAL", script, "2", a, b, "x").errorText?.contains("live on different shards") == true)
            #expect(try await client.command("EVAL", "return 1", "0").errorText?.contains("names no key") == true)
        }
    }

    @Test func aDownShardGivesErrorsNeverWrongData() async throws {
        try await Self.withShards({ $0.commandTimeoutMilliseconds = 500 }) { shards, _, client in
            let ring = try Self.ring(shards)
            let keys = try Self.keys(30, ring: ring, startingOn: 1)
            #expect(try await client.command(["MSET"] + keys.flatMap { [$0, "v"] }) == .simple("OK"))
            shards[1].stop()
            let mget = try await client.command(["MGET"] + keys)
            #expect(mget.errorText?.hasPrefix("ERR upstream 127.0.0.1:\(shards[1].port)") == true)
            let live = try #require(keys.first { ring.node(for: Array($0.utf8)) != 1 })
            #expect(try await client.command("GET", live) == .bulk("v"))
        }
    }

    @Test func rehashPolicyMovesAnEjectedShardsKeys() async throws {
        try await Self.withShards({ upstream in
            upstream.ejectedShard = .rehash
            upstream.failureLimit = 1
            upstream.retryTimeoutMilliseconds = 60_000
            upstream.healthCheckIntervalMilliseconds = 50
        }) { shards, _, client in
            let ring = try Self.ring(shards)
            let key = try Self.keys(0, ring: ring, startingOn: 2)[0]
            shards[2].stop()
            // Once the health check ejects the shard, its keys hash over the other two.
            #expect(try await commandUntilAnswered(client, ["SET", key, "moved"]) == .simple("OK"))
            #expect(try await client.command("GET", key) == .bulk("moved"))
            let holder = try #require(try ring.withLiveNodes([0, 1]).node(for: Array(key.utf8)) as Int?)
            let direct = try await TestClient.connect(port: shards[holder].port)
            #expect(try await direct.command("GET", key) == .bulk("moved"))
            await direct.close()
        }
    }
}
