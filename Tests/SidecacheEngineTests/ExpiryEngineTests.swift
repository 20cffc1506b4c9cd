import SidecacheEngine
import SidecacheRESP
import Testing

/// Expiry on the engine with an injected clock: lazy expiry on access, the active expiry
/// cycle, and the commands whose answers depend on the exact time. Redis's rule throughout
/// (`keyIsExpired`: `now > when`): a key is still live during the millisecond of its expiry
/// time, when its PTTL is 0, and gone one millisecond later.
@Suite("Expiry with an injected clock")
struct ExpiryEngineTests {
    @Test func lazyExpiryOnAccess() throws {
        let engine = EngineHarness()
        #expect(try engine.run("SET", "k", "v", "PX", "1000") == .simple("OK"))
        engine.clock.advance(by: 999)
        #expect(try engine.run("GET", "k") == .bulk("v"))
        #expect(try engine.run("PTTL", "k") == .integer(1))
        engine.clock.advance(by: 1)
        #expect(try engine.run("PTTL", "k") == .integer(0))
        #expect(try engine.run("GET", "k") == .bulk("v"))
        #expect(engine.statistics.expiredKeys == 0)

        engine.clock.advance(by: 1)
        #expect(try engine.run("GET", "k") == .bulkString(nil))
        #expect(engine.statistics.expiredKeys == 1)
        #expect(engine.keyspace.keyCount(database: 0) == 0)
        #expect(engine.keyspace.expiringKeyCount(database: 0) == 0)
        // Reads of the key (GET and PTTL both count): four hits while it lived, then a miss.
        #expect(engine.statistics.keyspaceHits == 4)
        #expect(engine.statistics.keyspaceMisses == 1)
        // Once deleted, it is not counted again.
        #expect(try engine.run("GET", "k") == .bulkString(nil))
        #expect(engine.statistics.expiredKeys == 1)
    }

    /// Every kind of access deletes an expired key: reads, writes and introspection.
    @Test(arguments: [
        ["GET", "k"], ["STRLEN", "k"], ["EXISTS", "k"], ["TTL", "k"], ["PTTL", "k"], ["EXPIRETIME", "k"],
        ["TYPE", "k"], ["TOUCH", "k"], ["PERSIST", "k"], ["APPEND", "k", "x"], ["INCR", "k"], ["SETNX", "k", "x"],
        ["GETRANGE", "k", "0", "-1"], ["SETRANGE", "k", "0", "x"], ["MGET", "k"], ["GETDEL", "k"], ["GETEX", "k"],
        ["EXPIRE", "k", "100"], ["DEL", "k"], ["SET", "k", "x", "XX"], ["MSETNX", "k", "x"],
    ])
    func everyAccessExpiresLazily(command: [String]) throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "5", "PX", "10")
        engine.clock.advance(by: 11)
        #expect(engine.keyspace.keyCount(database: 0) == 1)
        try engine.run(command)
        #expect(engine.statistics.expiredKeys == 1, "\(command)")
    }

    /// Redis's DBSIZE counts keys whose time has passed until something deletes them.
    @Test func dbsizeCountsExpiredKeysNotYetDeleted() throws {
        let engine = EngineHarness()
        for index in 0..<10 { try engine.run("SET", "t\(index)", "v", "PX", "100") }
        for index in 0..<5 { try engine.run("SET", "p\(index)", "v") }
        engine.clock.advance(by: 500)
        #expect(try engine.run("DBSIZE") == .integer(15))
        #expect(try engine.run("EXISTS", "t0", "t1") == .integer(0))
        #expect(try engine.run("DBSIZE") == .integer(13))
        #expect(engine.statistics.expiredKeys == 2)
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 8)
        #expect(try engine.run("DBSIZE") == .integer(5))
        #expect(engine.statistics.expiredKeys == 10)
    }

    /// The active cycle deletes keys nobody reads, in every database, and no live key.
    @Test func activeExpiryDeletesUnreadKeys() throws {
        let engine = EngineHarness()
        for index in 0..<300 { try engine.run("SET", "short\(index)", "v", "PX", "100") }
        for index in 0..<100 { try engine.run("SET", "long\(index)", "v", "EX", "3600") }
        for index in 0..<50 { try engine.run("SET", "plain\(index)", "v") }
        engine.client.database = 3
        for index in 0..<40 { try engine.run("SET", "other\(index)", "v", "PX", "50") }
        engine.client.database = 0

        // Nothing has expired yet; at the exact millisecond of expiry nothing has either.
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 0)
        engine.clock.advance(by: 100)
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 40)
        #expect(engine.keyspace.keyCount(database: 3) == 0)

        engine.clock.advance(by: 1)
        var deleted = 0
        for _ in 0..<1_000 where engine.keyspace.expiringKeyCount(database: 0) > 100 {
            deleted += engine.keyspace.activeExpireCycle(hz: 10)
        }
        #expect(deleted == 300)
        #expect(engine.keyspace.keyCount(database: 0) == 150)
        #expect(engine.keyspace.expiringKeyCount(database: 0) == 100)
        let statistics = engine.statistics
        #expect(statistics.expiredKeys == 340)
        #expect(statistics.expiredStalePercent > 0)
        #expect(statistics.keyspaceHits == 0 && statistics.keyspaceMisses == 0)

        // Once only live keys are left, a cycle deletes nothing.
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 0)
        #expect(try engine.run("GET", "long7") == .bulk("v"))
        #expect(try engine.run("GET", "plain7") == .bulk("v"))
    }

    /// Times up to `Int64.max` are valid; neither the cycle's TTL average nor EXPIRETIME's
    /// rounding may overflow on them (both trapped before).
    @Test func largestTimes() throws {
        let engine = EngineHarness()
        for index in 0..<30 { try engine.run("SET", "far\(index)", "v", "PXAT", "9223372036854775807") }
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 0)
        #expect(engine.keyspace.withState { $0.database(0).averageTTL } > 0)
        #expect(try engine.run("PEXPIRETIME", "far0") == .integer(Int64.max))
        #expect(try engine.run("EXPIRETIME", "far0") == .integer(9_223_372_036_854_776))
        #expect(try engine.run("TTL", "far0") == .integer((Int64.max - engine.clock.now + 500) / 1000))
    }

    @Test func setKeepTTLAndWritesThatKeepOrDropTheTime() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "v", "EX", "100")
        engine.clock.advance(by: 10_000)
        #expect(try engine.run("SET", "k", "w", "KEEPTTL") == .simple("OK"))
        #expect(try engine.run("PTTL", "k") == .integer(90_000))
        #expect(try engine.run("SET", "k", "x", "KEEPTTL", "GET") == .bulk("w"))
        #expect(try engine.run("PTTL", "k") == .integer(90_000))
        // Edits keep the time; a plain SET and GETSET drop it.
        for command in [["APPEND", "k", "y"], ["SETRANGE", "k", "0", "z"], ["SET", "k", "9", "KEEPTTL"], ["INCR", "k"],
            ["DECRBY", "k", "3"]]
        {
            try engine.run(command)
            #expect(try engine.run("PTTL", "k") == .integer(90_000), "\(command)")
        }
        #expect(try engine.run("GET", "k") == .bulk("7"))
        engine.clock.advance(by: 90_001)
        #expect(try engine.run("SET", "k", "late", "KEEPTTL") == .simple("OK"))
        #expect(try engine.run("PTTL", "k") == .integer(-1))

        try engine.run("SET", "k", "v", "EX", "100")
        #expect(try engine.run("SET", "k", "v") == .simple("OK"))
        #expect(try engine.run("TTL", "k") == .integer(-1))
        try engine.run("SET", "k", "v", "EX", "100")
        #expect(try engine.run("GETSET", "k", "v") == .bulk("v"))
        #expect(try engine.run("TTL", "k") == .integer(-1))
        try engine.run("SET", "k", "v", "EX", "100")
        #expect(try engine.run("MSET", "k", "v") == .simple("OK"))
        #expect(try engine.run("TTL", "k") == .integer(-1))
    }

    @Test func getexSetsAndClearsTheTime() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "v", "PX", "500")
        #expect(try engine.run("GETEX", "k", "PERSIST") == .bulk("v"))
        engine.clock.advance(by: 1_000)
        #expect(try engine.run("GET", "k") == .bulk("v"))
        #expect(try engine.run("PTTL", "k") == .integer(-1))

        #expect(try engine.run("GETEX", "k", "PX", "100") == .bulk("v"))
        engine.clock.advance(by: 100)
        #expect(try engine.run("GETEX", "k") == .bulk("v"))
        engine.clock.advance(by: 1)
        #expect(try engine.run("GETEX", "k", "PERSIST") == .bulkString(nil))
        #expect(engine.statistics.expiredKeys == 1)

        // An absolute time in the past (or now) answers the value and deletes the key; an
        // explicit deletion, not an expiry.
        let now = engine.clock.now
        try engine.run("SET", "k", "v")
        #expect(try engine.run("GETEX", "k", "PXAT", "\(now)") == .bulk("v"))
        #expect(try engine.run("EXISTS", "k") == .integer(0))
        try engine.run("SET", "k", "v")
        #expect(try engine.run("GETEX", "k", "EXAT", "\(now / 1000 - 1)") == .bulk("v"))
        #expect(try engine.run("EXISTS", "k") == .integer(0))
        #expect(engine.statistics.expiredKeys == 1)
        try engine.run("SET", "k", "v")
        #expect(try engine.run("GETEX", "k", "PXAT", "\(now + 1)") == .bulk("v"))
        #expect(try engine.run("PTTL", "k") == .integer(1))
        #expect(try engine.run("GETEX", "k", "EX", "5") == .bulk("v"))
        #expect(try engine.run("PEXPIRETIME", "k") == .integer(now + 5_000))
        #expect(try engine.run("GETEX", "k", "EXAT", "\(now / 1000 + 60)") == .bulk("v"))
        #expect(try engine.run("PEXPIRETIME", "k") == .integer((now / 1000 + 60) * 1000))
        // PERSIST on a key without a time changes nothing.
        #expect(try engine.run("GETEX", "k", "PERSIST") == .bulk("v"))
        let changes = engine.statistics.changes
        #expect(try engine.run("GETEX", "k", "PERSIST") == .bulk("v"))
        #expect(engine.statistics.changes == changes)
    }

    @Test func ttlRoundingAndAbsoluteTimes() throws {
        let clock = ManualClock(1_700_000_000_250)
        let engine = EngineHarness(clock: clock)
        try engine.run("SET", "k", "v")
        #expect(try engine.run("EXPIRE", "k", "10") == .integer(1))
        #expect(try engine.run("TTL", "k") == .integer(10))
        #expect(try engine.run("EXPIRETIME", "k") == .integer(1_700_000_010))
        #expect(try engine.run("PEXPIRETIME", "k") == .integer(1_700_000_010_250))
        clock.advance(by: 4_500)
        #expect(try engine.run("PTTL", "k") == .integer(5_500))
        #expect(try engine.run("TTL", "k") == .integer(6))  // (5500 + 500) / 1000
        clock.advance(by: 1)
        #expect(try engine.run("TTL", "k") == .integer(5))
        clock.advance(by: 5_000)
        #expect(try engine.run("TTL", "k") == .integer(0))
        #expect(try engine.run("PTTL", "k") == .integer(499))
        clock.advance(by: 499)
        #expect(try engine.run("PTTL", "k") == .integer(0))
        #expect(try engine.run("EXPIRETIME", "k") == .integer(1_700_000_010))
        clock.advance(by: 1)
        #expect(try engine.run("TTL", "k") == .integer(-2))
        #expect(try engine.run("EXPIRETIME", "k") == .integer(-2))
    }

    /// A time equal to now deletes at once (Redis's `checkAlreadyExpired`: `when <= now`);
    /// one millisecond later is accepted.
    @Test func expireAtNowDeletes() throws {
        let engine = EngineHarness()
        let now = engine.clock.now
        for command in [["PEXPIREAT", "k", "\(now)"], ["PEXPIRE", "k", "0"], ["EXPIRE", "k", "0"], ["EXPIREAT", "k", "\(now / 1000)"]] {
            try engine.run("SET", "k", "v")
            #expect(try engine.run(command) == .integer(1), "\(command)")
            #expect(try engine.run("EXISTS", "k") == .integer(0), "\(command)")
        }
        #expect(engine.statistics.expiredKeys == 0)
        try engine.run("SET", "k", "v")
        #expect(try engine.run("PEXPIREAT", "k", "\(now + 1)") == .integer(1))
        #expect(try engine.run("PTTL", "k") == .integer(1))
    }

    /// GT and LT compare with the current time exactly: an equal time is neither greater nor less.
    @Test func conditionsCompareExactly() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "v")
        #expect(try engine.run("PEXPIRE", "k", "1000", "GT") == .integer(0))  // no time: infinite
        #expect(try engine.run("PEXPIRE", "k", "1000", "LT") == .integer(1))
        #expect(try engine.run("PEXPIRE", "k", "1000", "GT") == .integer(0))
        #expect(try engine.run("PEXPIRE", "k", "1000", "LT") == .integer(0))
        #expect(try engine.run("PEXPIRE", "k", "1001", "GT") == .integer(1))
        #expect(try engine.run("PEXPIRE", "k", "999", "LT", "XX") == .integer(1))
        #expect(try engine.run("PTTL", "k") == .integer(999))
        engine.clock.advance(by: 10)
        #expect(try engine.run("PEXPIRE", "k", "989", "GT") == .integer(0))
        #expect(try engine.run("PEXPIRE", "k", "990", "GT") == .integer(1))
        #expect(try engine.run("PEXPIRE", "k", "5000", "NX") == .integer(0))
        #expect(try engine.run("PERSIST", "k") == .integer(1))
        #expect(try engine.run("PEXPIRE", "k", "5000", "XX") == .integer(0))
        #expect(try engine.run("PEXPIRE", "k", "5000", "NX") == .integer(1))
        #expect(try engine.run("PTTL", "k") == .integer(5_000))
    }

    @Test func setWithAbsoluteTimes() throws {
        let engine = EngineHarness()
        let now = engine.clock.now
        #expect(try engine.run("SET", "k", "v", "PXAT", "\(now + 2)") == .simple("OK"))
        #expect(try engine.run("PTTL", "k") == .integer(2))
        // A time already past is accepted by SET; the key is gone at the next access.
        #expect(try engine.run("SET", "k", "v", "PXAT", "\(now - 1)") == .simple("OK"))
        #expect(engine.keyspace.keyCount(database: 0) == 1)
        #expect(try engine.run("GET", "k") == .bulkString(nil))
        #expect(engine.statistics.expiredKeys == 1)
        #expect(try engine.run("SET", "k", "v", "EXAT", "\(now / 1000 + 10)") == .simple("OK"))
        #expect(try engine.run("PEXPIRETIME", "k") == .integer((now / 1000 + 10) * 1000))
        #expect(try engine.run("SETEX", "k", "3", "v") == .simple("OK"))
        #expect(try engine.run("PTTL", "k") == .integer(3_000))
        #expect(try engine.run("PSETEX", "k", "7", "v") == .simple("OK"))
        #expect(try engine.run("PTTL", "k") == .integer(7))
    }

    @Test func expiredKeysAreAbsentForConditionalWrites() throws {
        let engine = EngineHarness()
        try engine.run("SET", "k", "old", "PX", "5")
        engine.clock.advance(by: 6)
        #expect(try engine.run("SET", "k", "new", "XX") == .bulkString(nil))
        try engine.run("SET", "k", "old", "PX", "5")
        engine.clock.advance(by: 6)
        #expect(try engine.run("SET", "k", "new", "NX", "GET") == .bulkString(nil))
        #expect(try engine.run("GET", "k") == .bulk("new"))
        try engine.run("SET", "k", "5", "PX", "5")
        engine.clock.advance(by: 6)
        #expect(try engine.run("INCR", "k") == .integer(1))
        #expect(try engine.run("TTL", "k") == .integer(-1))
        try engine.run("SET", "k", "abc", "PX", "5")
        engine.clock.advance(by: 6)
        #expect(try engine.run("APPEND", "k", "d") == .integer(1))
        try engine.run("SET", "k", "abc", "PX", "5")
        engine.clock.advance(by: 6)
        #expect(try engine.run("SETRANGE", "k", "2", "x") == .integer(3))
        #expect(try engine.run("GET", "k") == .bulk(bytes: [0, 0, UInt8(ascii: "x")]))
        #expect(engine.statistics.expiredKeys == 5)
    }
}
