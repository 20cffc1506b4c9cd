import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// The engine's hot-key tracker and big-key scan: the APIs the admin API serves.
@Suite("Hot keys and big keys")
struct HotKeysAndBigKeysTests {
    static func names(_ keys: [HotKey]) -> [String] { keys.map { String(decoding: $0.key, as: UTF8.self) } }

    @Test("the most accessed keys come first, among many keys read once", arguments: [EvictionPolicy.noEviction, .allKeysLFU])
    func everyAccessRecorded(_ policy: EvictionPolicy) throws {
        let engine = EngineHarness()
        engine.keyspace.withState { state in
            state.eviction.policy = policy
            state.hotKeys.sampleInterval = 1
        }
        for index in 0..<3000 { try engine.run("SET", "cold:\(index)", "v") }
        try engine.run("SET", "hot", "v")
        try engine.run("HSET", "warm", "f", "v")
        engine.client.database = 5
        try engine.run("SET", "hot", "v")
        engine.client.database = 0
        for round in 0..<3000 {
            try engine.run("GET", "cold:\(round)")
            if round % 3 == 0 { try engine.run("GET", "hot") }
            if round % 6 == 0 { try engine.run("HGET", "warm", "f") }
            if round % 10 == 0 {
                engine.client.database = 5
                try engine.run("GET", "hot")
                engine.client.database = 0
            }
        }
        let top = engine.keyspace.hotKeys(limit: 3)
        #expect(Self.names(top) == ["hot", "warm", "hot"])
        #expect(top.map(\.database) == [0, 0, 5])
        // Space-Saving overestimates by at most the count inherited on entry (SET of a new key
        // is not an access: nothing was looked up).
        #expect(top[0].accesses >= 1000 && top[0].accesses - top[0].maximumOvercount <= 1000)
        // Introspection is not an access.
        try engine.run("OBJECT", "ENCODING", "cold:1")
        try engine.run("TYPE", "cold:1")
        engine.keyspace.resetHotKeys()
        #expect(engine.keyspace.hotKeys().isEmpty)
    }

    @Test("sampled (1 in 16 on average) the ranking still holds")
    func sampled() throws {
        let engine = EngineHarness()
        engine.keyspace.withState { $0.random = FastRandom(seed: 3) }
        for index in 0..<100 { try engine.run("SET", "k\(index)", "v") }
        // Key k<i> is read 2000 / (i + 1) times: a Zipf-like ranking.
        for round in 0..<2000 {
            for index in 0..<100 where round % (index + 1) == 0 { try engine.run("GET", "k\(index)") }
        }
        let top = Self.names(engine.keyspace.hotKeys(limit: 3))
        #expect(top == ["k0", "k1", "k2"])
        let first = try #require(engine.keyspace.hotKeys(limit: 1).first)
        #expect((1500...2600).contains(first.accesses), "estimated \(first.accesses) of 2001")
    }

    @Test("the big-key scan finds the biggest keys of every database in bounded steps")
    func bigKeys() throws {
        let engine = EngineHarness()
        for index in 0..<500 { try engine.run("SET", "small:\(index)", "v\(index)") }
        try engine.run("SET", "big:string", String(repeating: "s", count: 50_000))
        try engine.run("RPUSH", "big:list", String(repeating: "l", count: 20_000), String(repeating: "l", count: 20_000))
        engine.client.database = 7
        try engine.run("HSET", "big:hash", "f", String(repeating: "h", count: 60_000))
        for index in 0..<300 { try engine.run("SADD", "set", "member:\(index)") }
        try engine.run("SET", "expired", String(repeating: "x", count: 90_000), "PX", "10")
        engine.clock.advance(by: 100)
        let scan = BigKeyScan(keyspace: engine.keyspace, limit: 4, keysPerStep: 10)
        var largestStep = 0
        while !scan.isFinished { largestStep = max(largestStep, scan.step()) }
        #expect(scan.steps >= 505 / 30)
        // A step stops at the first SCAN step that takes it to 10 keys: one bucket's chain, or
        // during a rehash a bucket of each table, may take it over (hashes are seeded per process).
        #expect(largestStep <= 10 + 20)
        #expect(scan.keysVisited >= 505)
        let found = scan.biggest.map { "\($0.database) \(String(decoding: $0.key, as: UTF8.self)) \($0.type)" }
        #expect(found == ["7 big:hash hash", "0 big:string string", "0 big:list list", "7 set set"])
        #expect(scan.biggest[0].bytes >= 60_000)
        let again = BigKeyScan(keyspace: engine.keyspace, limit: 2).run()
        #expect(again.map(\.bytes) == scan.biggest.prefix(2).map(\.bytes))
    }
}
