import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// Redis's LFU counter: the initial value, the logarithmic increment (seeded), the decay per
/// `lfu-decay-time` minutes, and OBJECT FREQ / IDLETIME under each kind of policy.
@Suite("LFU")
struct LFUTests {
    static func harness(_ policy: EvictionPolicy = .allKeysLFU, logFactor: Int = 10, decayTime: Int = 1) -> EngineHarness {
        let harness = EngineHarness()
        harness.keyspace.withState { state in
            state.random = FastRandom(seed: 7)
            state.eviction.policy = policy
            state.eviction.lfuLogFactor = logFactor
            state.eviction.lfuDecayTime = decayTime
        }
        return harness
    }

    static func freq(_ harness: EngineHarness, _ key: String) throws -> Int64? {
        if case .integer(let value) = try harness.run("OBJECT", "FREQ", key) { return value }
        return nil
    }

    @Test("a new key starts at 5 and OBJECT FREQ does not count as an access")
    func initialValue() throws {
        let engine = Self.harness()
        try engine.run("SET", "k", "v")
        #expect(try Self.freq(engine, "k") == 5)
        #expect(try Self.freq(engine, "k") == 5)
        #expect(try engine.run("OBJECT", "FREQ", "missing") == .bulkString(nil))
    }

    @Test("with lfu-log-factor 0 every access counts, up to 255")
    func linearCounter() throws {
        let engine = Self.harness(logFactor: 0)
        try engine.run("SET", "k", "v")
        for _ in 0..<100 { try engine.run("GET", "k") }
        #expect(try Self.freq(engine, "k") == 105)
        for _ in 0..<200 { try engine.run("GET", "k") }
        #expect(try Self.freq(engine, "k") == 255)
    }

    @Test("with lfu-log-factor 10 the counter grows logarithmically")
    func logarithmicCounter() throws {
        let engine = Self.harness()
        try engine.run("SET", "k", "v")
        for _ in 0..<100 { try engine.run("GET", "k") }
        let hundred = try #require(try Self.freq(engine, "k"))
        for _ in 0..<900 { try engine.run("GET", "k") }
        let thousand = try #require(try Self.freq(engine, "k"))
        // Reaching 5 + n takes about 1 + 11 + 21 + ... + (10(n-1) + 1) ≈ 5n² hits: about 9
        // after 100 hits and 19 after 1000 (redis.conf's table: 10 and 18).
        #expect((7...12).contains(hundred), "after 100 hits: \(hundred)")
        #expect((15...24).contains(thousand), "after 1000 hits: \(thousand)")
    }

    @Test("the counter loses one per lfu-decay-time minutes idle")
    func decay() throws {
        let engine = Self.harness(logFactor: 0, decayTime: 2)
        try engine.run("SET", "k", "v")
        for _ in 0..<20 { try engine.run("GET", "k") }
        #expect(try Self.freq(engine, "k") == 25)
        engine.clock.advance(by: 5 * 60_000)
        #expect(try Self.freq(engine, "k") == 23)
        try engine.run("GET", "k")
        #expect(try Self.freq(engine, "k") == 24)
        engine.clock.advance(by: 600 * 60_000)
        #expect(try Self.freq(engine, "k") == 0)
    }

    @Test("lfu-decay-time 0 never decays")
    func noDecay() throws {
        let engine = Self.harness(logFactor: 0, decayTime: 0)
        try engine.run("SET", "k", "v")
        engine.clock.advance(by: 100 * 60_000)
        #expect(try Self.freq(engine, "k") == 5)
    }

    @Test("OBJECT IDLETIME errs under LFU and OBJECT FREQ under LRU, with Redis's texts")
    func introspectionErrors() throws {
        let lfu = Self.harness(.volatileLFU)
        try lfu.run("SET", "k", "v")
        #expect(try lfu.run("OBJECT", "IDLETIME", "k") == .error(ObjectCommands.lfuSelected))
        #expect(try lfu.run("OBJECT", "IDLETIME", "missing") == .bulkString(nil))
        let lru = Self.harness(.allKeysLRU)
        try lru.run("SET", "k", "v")
        #expect(try lru.run("OBJECT", "FREQ", "k") == .error(ObjectCommands.lfuNotSelected))
        #expect(try lru.run("OBJECT", "IDLETIME", "k") == .integer(0))
    }

    @Test("RESTORE FREQ sets the counter under LFU; IDLETIME is ignored there")
    func restoreFrequency() throws {
        let engine = Self.harness(logFactor: 0)
        try engine.run("SET", "k", "v")
        guard case .bulkString(let payload?) = try engine.run("DUMP", "k") else {
            Issue.record("DUMP did not answer a payload")
            return
        }
        let bytes = Array(payload.readableBytesView)
        try engine.run(bytes: [Array("RESTORE".utf8), Array("f".utf8), Array("0".utf8), bytes, Array("FREQ".utf8), Array("100".utf8)])
        #expect(try Self.freq(engine, "f") == 100)
        try engine.run(bytes: [Array("RESTORE".utf8), Array("i".utf8), Array("0".utf8), bytes, Array("IDLETIME".utf8), Array("100".utf8)])
        #expect(try Self.freq(engine, "i") == 5)
    }

    @Test("writes count as accesses: SET on an existing key, HSET, INCR")
    func writesCount() throws {
        let engine = Self.harness(logFactor: 0)
        try engine.run("SET", "s", "1")
        try engine.run("SET", "s", "2")
        try engine.run("INCR", "s")
        try engine.run("HSET", "h", "f", "v")
        try engine.run("HSET", "h", "g", "v")
        #expect(try Self.freq(engine, "s") == 7)
        #expect(try Self.freq(engine, "h") == 6)
    }
}
