import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

/// OBJECT and MEMORY USAGE in the engine: which lookups touch, count, expire.
@Suite struct KeyCommandsObjectTests {
    @Test func objectDoesNotTouchTheAccessTime() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "k", "v")
        engine.advance(milliseconds: 7000)
        #expect(engine.run("OBJECT", "IDLETIME", "k") == .integer(7))
        engine.run("OBJECT", "ENCODING", "k")
        engine.run("OBJECT", "REFCOUNT", "k")
        engine.run("OBJECT", "FREQ", "k")
        engine.run("MEMORY", "USAGE", "k")
        engine.run("TYPE", "k")
        engine.run("EXISTS", "k")
        engine.advance(milliseconds: 3000)
        #expect(engine.run("OBJECT", "IDLETIME", "k") == .integer(10))
        // TOUCH and GET do touch.
        engine.run("TOUCH", "k")
        #expect(engine.run("OBJECT", "IDLETIME", "k") == .integer(0))
    }

    @Test func objectCountsHitsAndMissesAndExpires() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "k", "v")
        engine.run("SET", "gone", "v", "PX", "10")
        engine.advance(milliseconds: 20)
        engine.keyspace.resetStatistics()
        #expect(engine.run("OBJECT", "ENCODING", "k") == .bulk("embstr"))
        #expect(engine.run("OBJECT", "ENCODING", "gone") == .bulkString(nil))
        #expect(engine.run("OBJECT", "REFCOUNT", "missing") == .bulkString(nil))
        #expect(engine.statistics.keyspaceHits == 1 && engine.statistics.keyspaceMisses == 2)
        #expect(engine.statistics.expiredKeys == 1)
        #expect(engine.keyCount() == 1)
        engine.client.protocolVersion = .resp3
        #expect(engine.run("OBJECT", "IDLETIME", "missing") == .null)
    }

    @Test func objectFreqWithoutAnLFUPolicy() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "k", "v")
        #expect(engine.run("OBJECT", "FREQ", "missing") == .bulkString(nil))
        #expect(
            engine.run("OBJECT", "FREQ", "k")
                == .error(
                    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
                )
        )
    }

    @Test func refcountOfSharedIntegers() {
        let engine = KeyCommandsEngine()
        let shared = RESPValue.integer(2_147_483_647)
        for (value, expected) in [
            ("0", shared), ("9999", shared), ("10000", .integer(1)), ("-1", .integer(1)), ("01", .integer(1)), ("text", .integer(1)),
        ] {
            engine.run("SET", "k", value)
            #expect(engine.run("OBJECT", "REFCOUNT", "k") == expected, "\(value)")
        }
    }

    @Test func idleTimeAcrossTheAccessClockWrap() {
        #expect(ObjectCommands.idleSeconds(lastAccess: 100, now: 130) == 30)
        #expect(ObjectCommands.idleSeconds(lastAccess: 5, now: 5) == 0)
        // Redis's formula across the 2^24 s wrap: now + (max - last).
        #expect(ObjectCommands.idleSeconds(lastAccess: KeyspaceState.accessClockMax - 9, now: 20) == 29)
    }

    @Test func objectHelp() {
        let engine = KeyCommandsEngine()
        let lines = engine.run("OBJECT", "HELP").elements ?? []
        #expect(lines.count == 15)
        #expect(lines.first == .simple("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"))
        #expect(lines.last == .simple("    Prints this help."))
    }

    @Test func memoryUsageSeesTheTableAsItIs() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "gone", "v", "PX", "10")
        engine.advance(milliseconds: 20)
        engine.keyspace.resetStatistics()
        // An expired key still in the table is measured, not deleted, not counted.
        guard case .integer(let size) = engine.run("MEMORY", "USAGE", "gone") else {
            Issue.record("MEMORY USAGE of a present key is not an integer")
            return
        }
        #expect(size > 0)
        #expect(engine.keyCount() == 1)
        #expect(engine.statistics.expiredKeys == 0)
        #expect(engine.statistics.keyspaceHits == 0 && engine.statistics.keyspaceMisses == 0)
        #expect(engine.run("MEMORY", "USAGE", "missing") == .bulkString(nil))
        #expect(engine.run("MEMORY", "USAGE", "missing", "SAMPLES", "0") == .bulkString(nil))
    }

    @Test func memoryUsageGrowsWithKeyValueAndExpiry() {
        let engine = KeyCommandsEngine()
        func usage(_ key: String) -> Int64 {
            if case .integer(let value) = engine.run("MEMORY", "USAGE", key) { return value }
            return -1
        }
        engine.run("SET", "k", "1")
        engine.run("SET", String(repeating: "k", count: 200), "1")
        engine.run("SET", "short", "abc")
        engine.run("SET", "long", String(repeating: "v", count: 1000))
        engine.run("SET", "vk", "1", "EX", "100")
        engine.run("SET", "pk", "1")
        #expect(usage("k") >= 64)
        // Allocations are rounded up (to 16 bytes by glibc), so compare with some slack.
        #expect(usage(String(repeating: "k", count: 200)) >= usage("k") + 180)
        #expect(usage("long") >= usage("short") + 1000)
        #expect(usage("vk") == usage("pk") + 8)
    }
}
