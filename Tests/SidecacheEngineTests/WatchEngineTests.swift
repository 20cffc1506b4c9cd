import SidecacheEngine
import SidecacheRESP
import Testing

/// WATCH and time, on the engine with an injected clock: what EXEC decides (`isWatchBroken`)
/// when a watched key expires, or had already expired when it was watched (Redis 7.0's
/// `watchedKey.expired`: the deletion of such a stale key is no change).
@Suite("WATCH with an injected clock")
struct WatchEngineTests {
    @Test func aWatchedKeyThatExpiresBreaksTheWatch() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "v", "PX", "100")
        engine.watch("k")
        engine.clock.advance(by: 100)
        #expect(!engine.isWatchBroken)  // still live during its last millisecond
        engine.clock.advance(by: 1)
        #expect(engine.isWatchBroken)  // expired, not deleted yet
        engine.unwatch()
        #expect(!engine.isWatchBroken)
    }

    @Test func aWatchedKeyDeletedByExpiryBreaksTheWatch() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "v", "PX", "100")
        engine.watch("k")
        engine.clock.advance(by: 101)
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 1)
        #expect(engine.isWatchBroken)
    }

    @Test func aKeyAlreadyExpiredWhenWatchedAndThenDeletedIsNoChange() throws {
        let engine = EngineHarness()
        try engine.run("SET", "lazy", "v", "PX", "10")
        try engine.run("SET", "active", "v", "PX", "10")
        engine.clock.advance(by: 11)
        engine.watch("lazy", "active")
        #expect(!engine.isWatchBroken)
        #expect(try engine.run("GET", "lazy") == .bulkString(nil))
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 1)
        #expect(engine.statistics.expiredKeys == 2)
        #expect(!engine.isWatchBroken)
        // Now watched as missing: creating it is a change.
        try engine.run("SET", "active", "again")
        #expect(engine.isWatchBroken)
    }

    @Test func aKeyAlreadyExpiredWhenWatchedAndThenWrittenBreaksTheWatch() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "v", "PX", "10")
        engine.clock.advance(by: 11)
        engine.watch("k")
        try engine.run("SET", "k", "new")
        #expect(engine.isWatchBroken)
    }

    @Test func flushingAKeyAlreadyExpiredWhenWatchedIsNoChange() throws {
        let engine = EngineHarness()
        try engine.run("SET", "stale", "v", "PX", "10")
        engine.clock.advance(by: 11)
        engine.watch("stale", "missing")
        #expect(try engine.run("FLUSHDB") == .simple("OK"))
        #expect(!engine.isWatchBroken)
        try engine.run("SET", "stale", "v", "PX", "10")
        engine.clock.advance(by: 11)
        #expect(engine.isWatchBroken)  // the SET itself was a change
        engine.unwatch()

        try engine.run("SET", "live", "v")
        engine.watch("live")
        #expect(try engine.run("FLUSHALL") == .simple("OK"))
        #expect(engine.isWatchBroken)
    }

    @Test func swappingDatabasesFollowsRedis() throws {
        let engine = EngineHarness()
        // Database 1 holds a stale "k"; database 0 none. Swapping a missing key for a stale
        // one is no change; the key then counts as stale-when-watched.
        engine.client.database = 1
        try engine.run("SET", "k", "v", "PX", "10")
        engine.client.database = 0
        engine.clock.advance(by: 11)
        engine.watch("k")
        engine.keyspace.withState { $0.swapDatabases(0, 1) }
        #expect(!engine.isWatchBroken)
        // Swapping back deletes nothing logically either.
        engine.keyspace.withState { $0.swapDatabases(0, 1) }
        #expect(!engine.isWatchBroken)
        engine.unwatch()

        // A live key on either side is a change.
        engine.client.database = 1
        try engine.run("SET", "j", "v")
        engine.client.database = 0
        engine.watch("j")
        engine.keyspace.withState { $0.swapDatabases(0, 1) }
        #expect(engine.isWatchBroken)
    }

    @Test func readsAndFailedConditionalWritesDoNotBreakTheWatch() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "v", "PX", "1000")
        engine.watch("k")
        for command in [["GET", "k"], ["TTL", "k"], ["EXISTS", "k"], ["TOUCH", "k"], ["SET", "k", "x", "NX"],
            ["EXPIRE", "k", "1", "GT"], ["EXPIRE", "k", "100", "NX"], ["MSETNX", "k", "x"], ["SETRANGE", "k", "0", ""],
            ["GETEX", "k"], ["STRLEN", "k"], ["GETRANGE", "k", "0", "1"]]
        {
            try engine.run(command)
            #expect(!engine.isWatchBroken, "\(command)")
        }
        try engine.run("GETEX", "k", "PERSIST")
        #expect(engine.isWatchBroken)
    }
}
