import NIOCore
import SidecacheConfig
import SidecacheRESP
import Testing

/// maxmemory, the eviction policies' configuration, INFO memory and the MEMORY subcommands
/// over the wire, compared with a real redis-server where the reply does not depend on the
/// figures.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct MemoryCommandsTests {
    static let oom = "OOM command not allowed when used memory > 'maxmemory'."

    /// Writes 1 KiB values until a write fails (at most `limit`); returns the error reply.
    static func fillUntilRefused(_ client: TestClient, limit: Int = 20_000) async throws -> RESPValue? {
        let value = String(repeating: "v", count: 1024)
        for index in 0..<limit {
            let reply = try await client.command("SET", "fill:\(index)", value)
            if case .simpleError = reply { return reply }
        }
        return nil
    }

    /// Sends `commands` to a fresh redis-server and a fresh Sidecache; every reply must match.
    static func compareWithRedis(_ commands: [[String]]) async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                let expected = try await TestClient.connect(port: redis.port)
                let actual = try await TestClient.connect(port: sidecache.port)
                for command in commands {
                    let want = try await expected.command(command)
                    let got = try await actual.command(command)
                    #expect(got == want, "\(command)")
                }
                await expected.close()
                await actual.close()
            }
        }
    }

    static func info(_ client: TestClient, _ section: String) async throws -> [String: String] {
        let text = try #require(try await client.command("INFO", section).text)
        var fields: [String: String] = [:]
        for line in text.split(separator: "\r\n") where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return fields
    }

    @Test("noeviction over maxmemory: the same OOM error as redis-server; reads still work")
    func outOfMemory() async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                for port in [redis.port, sidecache.port] {
                    let client = try await TestClient.connect(port: port)
                    #expect(try await client.command("CONFIG", "SET", "maxmemory", "2mb") == .simple("OK"))
                    #expect(try await client.command("CONFIG", "GET", "maxmemory") == .array([.bulk("maxmemory"), .bulk("2097152")]))
                    let refused = try await Self.fillUntilRefused(client)
                    #expect(refused == .error(Self.oom), "port \(port)")
                    #expect(try await client.command("GET", "fill:0") == .bulk(String(repeating: "v", count: 1024)))
                    #expect(try await client.command("LPUSH", "list", "x") == .error(Self.oom))
                    #expect(try await client.command("DEL", "fill:0") == .integer(1))
                    #expect(try await client.command("CONFIG", "SET", "maxmemory", "0") == .simple("OK"))
                    #expect(try await client.command("SET", "fits", "now") == .simple("OK"))
                    await client.close()
                }
            }
        }
    }

    @Test("CONFIG GET and SET of the memory parameters answer as redis-server")
    func configuration() async throws {
        let commands: [[String]] = [
            ["CONFIG", "SET", "maxmemory-policy", "foo"], ["CONFIG", "SET", "maxmemory-samples", "0"],
            ["CONFIG", "SET", "maxmemory", "-1"], ["CONFIG", "SET", "maxmemory", "1.5mb"],
            ["CONFIG", "SET", "lfu-log-factor", "-1"], ["CONFIG", "SET", "lfu-decay-time", "-1"],
            ["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LFU"], ["CONFIG", "GET", "maxmemory-policy"],
            ["CONFIG", "SET", "maxmemory-samples", "10", "lfu-log-factor", "5", "lfu-decay-time", "3"],
            ["CONFIG", "GET", "maxmemory-samples"], ["CONFIG", "GET", "lfu-log-factor"], ["CONFIG", "GET", "lfu-decay-time"], ["CONFIG", "SET", "maxmemory", "100mb"],
            ["CONFIG", "GET", "maxmemory"],
        ]
        try await Self.compareWithRedis(commands)
    }

    @Test("OBJECT FREQ and IDLETIME under LRU and LFU policies answer as redis-server")
    func objectFreqAndIdletime() async throws {
        let commands: [[String]] = [
            ["SET", "k", "v"], ["OBJECT", "FREQ", "k"], ["OBJECT", "IDLETIME", "k"],
            ["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"], ["SET", "n", "v"], ["OBJECT", "FREQ", "n"],
            ["OBJECT", "IDLETIME", "n"], ["OBJECT", "FREQ", "missing"], ["OBJECT", "IDLETIME", "missing"],
            ["CONFIG", "SET", "maxmemory-policy", "volatile-lfu"], ["OBJECT", "FREQ", "n"],
            ["CONFIG", "SET", "maxmemory-policy", "volatile-ttl"], ["OBJECT", "FREQ", "n"],
        ]
        try await Self.compareWithRedis(commands)
    }

    @Test("MEMORY STATS has redis-server's fields in its order; MEMORY HELP its text")
    func memoryStatsAndHelp() async throws {
        func names(_ reply: RESPValue) -> [String] {
            guard case .array(let elements?) = reply else { return [] }
            return stride(from: 0, to: elements.count, by: 2).compactMap { elements[$0].text }
        }
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                let expected = try await TestClient.connect(port: redis.port)
                let actual = try await TestClient.connect(port: sidecache.port)
                for client in [expected, actual] {
                    _ = try await client.command("SET", "k", "v")
                    _ = try await client.command("HSET", "h", "f", "v")
                }
                #expect(names(try await actual.command("MEMORY", "STATS")) == names(try await expected.command("MEMORY", "STATS")))
                #expect(try await actual.command("MEMORY", "HELP") == (try await expected.command("MEMORY", "HELP")))
                for command in [["MEMORY", "USAGE", "k", "SAMPLES"], ["MEMORY", "USAGE", "k", "SAMPLES", "-1"],
                    ["MEMORY", "USAGE", "missing"], ["MEMORY", "PURGE"], ["MEMORY", "NOPE"]]
                {
                    #expect(try await actual.command(command) == (try await expected.command(command)), "\(command)")
                }
                guard case .integer(let usage) = try await actual.command("MEMORY", "USAGE", "h", "SAMPLES", "0") else {
                    Issue.record("MEMORY USAGE h is not an integer")
                    return
                }
                #expect(usage > 0)
                let doctor = try #require(try await actual.command("MEMORY", "DOCTOR").text)
                #expect(doctor.contains("No maxmemory is set"))
                await expected.close()
                await actual.close()
            }
        }
    }

    @Test("INFO memory and stats report the accounting, the limit, evictions, hits and misses")
    func infoFields() async throws {
        try await withTestServer({ $0.memory.maxmemoryPolicy = .allkeysLRU }) { sidecache in
            let client = try await TestClient.connect(port: sidecache.port)
            let empty = try await Self.info(client, "memory")
            for field in ["used_memory", "used_memory_human", "used_memory_rss", "used_memory_rss_human", "used_memory_peak",
                "used_memory_peak_human", "used_memory_dataset", "maxmemory", "maxmemory_human", "maxmemory_policy",
                "mem_fragmentation_ratio", "mem_allocator"]
            {
                #expect(empty[field] != nil, "INFO memory has no \(field)")
            }
            #expect(empty["used_memory"] == "0")
            #expect(empty["maxmemory_policy"] == "allkeys-lru")
            #expect(empty["mem_allocator"] == "libc")
            for index in 0..<1000 { _ = try await client.command("SET", "key:\(index)", String(repeating: "x", count: 100)) }
            let full = try await Self.info(client, "memory")
            let used = try #require(full["used_memory"].flatMap(Int.init))
            #expect((1000 * 150)...(1000 * 300) ~= used)
            _ = try await client.command("CONFIG", "SET", "maxmemory", String(used / 2))
            _ = try await client.command("SET", "one-more", "x")
            _ = try await client.command("GET", "one-more")
            _ = try await client.command("GET", "never-set")
            // A write evicts for at most 500 µs; the cron (hz 10) finishes the job.
            var limited = try await Self.info(client, "memory")
            for _ in 0..<50 where try #require(limited["used_memory"].flatMap(Int.init)) > used / 2 + 200 {
                try await Task.sleep(for: .milliseconds(100))
                limited = try await Self.info(client, "memory")
            }
            #expect(limited["maxmemory"] == String(used / 2))
            #expect(try #require(limited["used_memory"].flatMap(Int.init)) <= used / 2 + 200)
            #expect(try #require(limited["used_memory_peak"].flatMap(Int.init)) >= used)
            let stats = try await Self.info(client, "stats")
            #expect(try #require(stats["evicted_keys"].flatMap(Int.init)) > 400)
            #expect(stats["keyspace_hits"] == "1")
            #expect(stats["keyspace_misses"] == "1")
            await client.close()
        }
    }

    @Test("an evicted key is published as an evicted event")
    func evictedEvent() async throws {
        try await withTestServer({ config in
            config.memory.maxmemoryPolicy = .allkeysLRU
            config.server.notifyKeyspaceEvents = "Ee"
        }) { sidecache in
            let subscriber = try await TestClient.connect(port: sidecache.port)
            _ = try await subscriber.command("SUBSCRIBE", "__keyevent@0__:evicted")
            let client = try await TestClient.connect(port: sidecache.port)
            _ = try await client.command("SET", "first", String(repeating: "x", count: 100))
            _ = try await client.command("CONFIG", "SET", "maxmemory", "1")
            _ = try await client.command("SET", "second", "x")
            let message = try await subscriber.readReply()
            #expect(message == .array([.bulk("message"), .bulk("__keyevent@0__:evicted"), .bulk("first")]))
            await subscriber.close()
            await client.close()
        }
    }

    @Test("a command that may grow memory is refused when queued in MULTI, as redis-server does")
    func outOfMemoryInsideMulti() async throws {
        // maxmemory 1 byte: any data is over it, for redis-server and for Sidecache alike.
        try await Self.compareWithRedis([
            ["SET", "before", "x"],
            ["CONFIG", "SET", "maxmemory", "1"],
            ["MULTI"],
            ["GET", "before"],
            ["SET", "k", "v"],
            ["EXEC"],
            ["GET", "k"],
            ["CONFIG", "SET", "maxmemory", "0"],
        ])
    }

    @Test("client buffers count in used_memory")
    func clientBuffersCountInUsedMemory() async throws {
        try await withTestServer { sidecache in
            let observer = try await sidecache.connect()
            let before = Int(try await Self.info(observer, "memory")["used_memory"] ?? "") ?? -1
            // Half of a 1 MB bulk argument: the server holds it in the client's query buffer.
            let holder = try await sidecache.connect()
            try await holder.send("*2\r\n$3\r\nGET\r\n$1000000\r\n" + String(repeating: "x", count: 500_000))
            var during = before
            for _ in 0..<100 where during < before + 400_000 {
                try await Task.sleep(for: .milliseconds(20))
                during = Int(try await Self.info(observer, "memory")["used_memory"] ?? "") ?? -1
            }
            #expect(during >= before + 400_000)
            await holder.close()
            var after = during
            for _ in 0..<100 where after >= before + 400_000 {
                try await Task.sleep(for: .milliseconds(20))
                after = Int(try await Self.info(observer, "memory")["used_memory"] ?? "") ?? -1
            }
            #expect(after < before + 400_000)
            await observer.close()
        }
    }
}
