import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// maxmemory and the eight policies, in the engine: which keys remain after filling past the
/// limit. Sampling is seeded, and the sample covers every key where a test needs the exact
/// order, so that each outcome is deterministic.
@Suite("Eviction")
struct EvictionTests {
    /// A harness with `policy`, a seeded generator and `samples` per eviction.
    static func harness(_ policy: EvictionPolicy, samples: Int = 1000) -> EngineHarness {
        let harness = EngineHarness()
        harness.keyspace.withState { state in
            state.random = FastRandom(seed: 42)
            var settings = EvictionSettings()
            settings.policy = policy
            settings.samples = samples
            state.eviction = settings
        }
        return harness
    }

    /// Sets maxmemory to what the data holds now plus `extra` bytes.
    static func limitToCurrent(_ harness: EngineHarness, plus extra: Int = 0) {
        harness.keyspace.withState { $0.eviction.maxMemory = $0.usedMemory + extra }
    }

    static func keys(_ harness: EngineHarness, database: Int = 0) -> Set<String> {
        harness.keyspace.withState { state in
            var keys: Set<String> = []
            state.database(database).forEachLiveEntry { keys.insert(String(decoding: $0.key, as: UTF8.self)) }
            return keys
        }
    }

    static func used(_ harness: EngineHarness) -> (used: Int, max: Int) {
        harness.keyspace.withState { ($0.usedMemory, $0.eviction.maxMemory) }
    }

    static func value(_ index: Int) -> String { "value-\(index)-" + String(repeating: "x", count: 40) }

    /// The largest entry these tests write: eviction runs before a write, so the write itself
    /// may take the data this far over the limit.
    static let oneKey = 200

    /// Indexes `0..<count` of `prefix` keys that are gone.
    static func gone(_ remaining: Set<String>, _ prefix: String, _ count: Int) -> [Int] {
        (0..<count).filter { !remaining.contains("\(prefix)\($0)") }
    }

    @Test("noeviction refuses writes that may grow memory with Redis's text; reads and DEL work")
    func noEviction() throws {
        let engine = Self.harness(.noEviction)
        for index in 0..<50 { try engine.write("SET", "k\(index)", Self.value(index)) }
        Self.limitToCurrent(engine)
        // At the limit, not over it: one more write runs and takes the data over.
        #expect(try engine.write("SET", "one-more", "v") == .simple("OK"))
        #expect(Self.keys(engine).count == 51)
        #expect(try engine.write("SET", "two-more", "v") == .error("OOM command not allowed when used memory > 'maxmemory'."))
        #expect(try engine.write("LPUSH", "list", "v") == .error("OOM command not allowed when used memory > 'maxmemory'."))
        #expect(try engine.write("GET", "k1") == .bulk(Self.value(1)))
        #expect(try engine.write("DEL", "k1", "k2") == .integer(2))
        #expect(try engine.write("SET", "now-fits", "v") == .simple("OK"))
        #expect(engine.statistics.evictedKeys == 0)
    }

    @Test("allkeys-lru keeps the keys read last")
    func allKeysLRU() throws {
        let engine = Self.harness(.allKeysLRU)
        for index in 0..<100 {
            try engine.write("SET", "k\(index)", Self.value(index))
            engine.clock.advance(by: 1000)
        }
        Self.limitToCurrent(engine)
        for index in 0..<10 { try engine.write("GET", "k\(index)") }
        engine.clock.advance(by: 1000)
        for index in 100..<130 { try engine.write("SET", "k\(index)", Self.value(index)) }
        let remaining = Self.keys(engine)
        #expect(remaining.isSuperset(of: (0..<10).map { "k\($0)" }))
        #expect(remaining.isSuperset(of: (100..<130).map { "k\($0)" }))
        // The oldest untouched keys went first, about one per write (the first write after
        // filling needed no room; malloc's usable sizes can make it one more or less).
        let gone = Self.gone(remaining, "k", 100)
        #expect(gone == Array(10..<(10 + gone.count)))
        #expect((27...31).contains(gone.count))
        #expect(engine.statistics.evictedKeys == gone.count)
        let (used, limit) = Self.used(engine)
        #expect(used <= limit + Self.oneKey)
    }

    @Test("volatile-lru evicts only keys with a TTL, least recently used first")
    func volatileLRU() throws {
        let engine = Self.harness(.volatileLRU)
        for index in 0..<50 { try engine.write("SET", "persistent\(index)", Self.value(index)) }
        for index in 0..<50 {
            try engine.write("SET", "volatile\(index)", Self.value(index), "EX", "1000")
            engine.clock.advance(by: 1000)
        }
        Self.limitToCurrent(engine)
        for index in 0..<40 { try engine.write("SET", "new\(index)", Self.value(index)) }
        let remaining = Self.keys(engine)
        #expect(remaining.isSuperset(of: (0..<50).map { "persistent\($0)" }))
        #expect(remaining.isSuperset(of: (0..<40).map { "new\($0)" }))
        // The least recently written volatile keys, in order (a volatile key frees more than a
        // new persistent key takes, hence fewer evictions than writes).
        let gone = Self.gone(remaining, "volatile", 50)
        #expect(gone == Array(0..<gone.count))
        #expect(gone.count >= 30)
        // No volatile key left to evict: writes are refused.
        for index in 40..<80 { try engine.write("SET", "new\(index)", Self.value(index)) }
        #expect(try engine.write("SET", "more", "v") == .error(KeyspaceState.outOfMemoryError))
        #expect(Self.keys(engine).isSuperset(of: (0..<50).map { "persistent\($0)" }))
    }

    @Test("volatile-ttl keeps the longest-lived keys")
    func volatileTTL() throws {
        let engine = Self.harness(.volatileTTL)
        for index in 0..<60 { try engine.write("SET", "persistent\(index)", Self.value(index)) }
        for index in 0..<60 { try engine.write("SET", "ttl\(index)", Self.value(index), "EX", String(100 + index * 10)) }
        Self.limitToCurrent(engine)
        for index in 0..<30 { try engine.write("SET", "new\(index)", Self.value(index)) }
        let remaining = Self.keys(engine)
        #expect(remaining.isSuperset(of: (0..<60).map { "persistent\($0)" }))
        // The soonest to expire went, in order.
        let gone = Self.gone(remaining, "ttl", 60)
        #expect(gone == Array(0..<gone.count))
        #expect(gone.count >= 20)
    }

    @Test("allkeys-lfu keeps the most frequently read keys")
    func allKeysLFU() throws {
        let engine = Self.harness(.allKeysLFU)
        for index in 0..<100 { try engine.write("SET", "k\(index)", Self.value(index)) }
        for _ in 0..<50 { for index in 50..<60 { try engine.write("GET", "k\(index)") } }
        Self.limitToCurrent(engine)
        for index in 100..<160 { try engine.write("SET", "k\(index)", Self.value(index)) }
        let remaining = Self.keys(engine)
        #expect(remaining.isSuperset(of: (50..<60).map { "k\($0)" }))
        #expect((56...62).contains(engine.statistics.evictedKeys))
        #expect(Self.used(engine).used <= Self.used(engine).max + Self.oneKey)
    }

    @Test("volatile-lfu evicts only keys with a TTL, least frequently used first")
    func volatileLFU() throws {
        let engine = Self.harness(.volatileLFU)
        for index in 0..<40 { try engine.write("SET", "persistent\(index)", Self.value(index)) }
        for index in 0..<40 { try engine.write("SET", "volatile\(index)", Self.value(index), "EX", "1000") }
        for _ in 0..<50 { for index in 0..<10 { try engine.write("GET", "volatile\(index)") } }
        Self.limitToCurrent(engine)
        for index in 0..<25 { try engine.write("SET", "new\(index)", Self.value(index)) }
        let remaining = Self.keys(engine)
        #expect(remaining.isSuperset(of: (0..<40).map { "persistent\($0)" }))
        #expect(remaining.isSuperset(of: (0..<10).map { "volatile\($0)" }))
        #expect(engine.statistics.evictedKeys >= 20)
    }

    @Test("allkeys-random stays under the limit evicting any key", arguments: [EvictionPolicy.allKeysRandom, .volatileRandom])
    func random(_ policy: EvictionPolicy) throws {
        let engine = Self.harness(policy)
        for index in 0..<100 { try engine.write("SET", "persistent\(index)", Self.value(index)) }
        for index in 0..<100 { try engine.write("SET", "volatile\(index)", Self.value(index), "EX", "1000") }
        Self.limitToCurrent(engine)
        for index in 0..<50 {
            try engine.write("SET", "new\(index)", Self.value(index), "EX", "1000")
            let (used, limit) = Self.used(engine)
            #expect(used <= limit + Self.oneKey)
        }
        #expect((40...60).contains(engine.statistics.evictedKeys))
        let remaining = Self.keys(engine)
        if policy == .volatileRandom {
            #expect(remaining.isSuperset(of: (0..<100).map { "persistent\($0)" }))
        } else {
            #expect(remaining.filter { $0.hasPrefix("persistent") }.count < 100)
        }
    }

    @Test("evictions across databases, with an evicted event for each")
    func eventsAndDatabases() throws {
        let engine = Self.harness(.allKeysLRU)
        nonisolated(unsafe) var events: [String] = []
        engine.keyspace.withState { state in
            state.notifyFlags = KeyspaceEventClass(flags: "Ee".utf8)!
            state.eventSink = { events.append("\($0.database) \($0.event) \(String(decoding: $0.key, as: UTF8.self))") }
        }
        engine.client.database = 3
        try engine.write("SET", "old", Self.value(0))
        engine.clock.advance(by: 5000)
        engine.client.database = 0
        try engine.write("SET", "newer", Self.value(1))
        Self.limitToCurrent(engine)
        try engine.write("SET", "newest", Self.value(2))
        try engine.write("SET", "newest2", Self.value(3))
        // The least recently used key of any database goes first (a second eviction may follow
        // when malloc handed a value array more usable bytes than the one that replaced it).
        #expect(engine.keyspace.withState { _ in events }.first == "3 evicted old")
        #expect(engine.keyspace.keyCount(database: 3) == 0)
    }

    @Test("CONFIG SET maxmemory lower takes effect at the next write")
    func loweringTheLimit() throws {
        let engine = Self.harness(.allKeysLRU, samples: 5)
        for index in 0..<1000 { try engine.write("SET", "k\(index)", Self.value(index)) }
        let full = Self.used(engine).used
        engine.keyspace.withState { $0.eviction.maxMemory = full / 2 }
        // One write evicts for at most 500 µs; the cron goes on where it stopped.
        try engine.write("SET", "trigger", "v")
        for _ in 0..<1000 where Self.used(engine).used > Self.used(engine).max { engine.keyspace.databasesCron() }
        let (used, limit) = Self.used(engine)
        #expect(used <= limit)
        #expect(engine.statistics.evictedKeys > 400)
    }
}

extension EngineHarness {
    /// Runs a command as the server's dispatch does: commands flagged `denyoom` first free
    /// memory or fail with the OOM error.
    @discardableResult
    func write(_ arguments: String...) throws -> RESPValue {
        let spec = try #require(CommandTable.redis.spec(named: arguments[0].lowercased()))
        if spec.flags.contains(.denyoom) {
            let allowed = keyspace.withState { $0.freeMemoryIfNeeded() }
            if !allowed { return .error(KeyspaceState.outOfMemoryError) }
        }
        return try run(arguments)
    }
}
