import NIOCore
@testable import SidecacheEngine
import SidecacheRESP
import Synchronization
import Testing

/// Side effects Redis has besides the reply: keyspace notifications (class `z`, plus `del`
/// of class `g` when a set empties), the change counter (`server.dirty`), and WATCH.
@Suite("Sorted set side effects")
struct SortedSetNotificationTests {
    final class Events: Sendable {
        let recorded = Mutex<[String]>([])

        func take() -> [String] { recorded.withLock { events in defer { events = [] }; return events } }
    }

    static func harness() -> (EngineHarness, Events) {
        let harness = EngineHarness()
        let events = Events()
        harness.keyspace.withState { state in
            state.notifyFlags = [.keyspace, .generic, .sortedSet]
            state.eventSink = { event in
                let text = "\(event.event):\(String(decoding: event.key, as: UTF8.self))"
                events.recorded.withLock { $0.append(text) }
            }
        }
        return (harness, events)
    }

    @Test func eventsAndChangesFollowRedis() throws {
        let (engine, events) = Self.harness()
        func changes() -> Int { engine.statistics.changes }
        var before = changes()
        try engine.run("ZADD", "z", "1", "a", "2", "b")
        #expect(events.take() == ["zadd:z"])
        #expect(changes() - before == 2)
        before = changes()
        try engine.run("ZADD", "z", "1", "a", "NX", "3", "b")
        try engine.run("ZADD", "z", "CH", "1", "a")
        #expect(events.take() == [])
        #expect(changes() == before)
        try engine.run("ZINCRBY", "z", "1", "a")
        try engine.run("ZADD", "z", "INCR", "1", "a")
        #expect(events.take() == ["zincr:z", "zincr:z"])
        try engine.run("ZREM", "z", "nope")
        #expect(events.take() == [])
        // a is at 3 now, b at 2.
        #expect(try engine.run("ZPOPMIN", "z") == .array([.bulk("b"), .bulk("2")]))
        #expect(events.take() == ["zpopmin:z"])
        try engine.run("ZREM", "z", "a")
        #expect(events.take() == ["zrem:z", "del:z"])
        #expect(try engine.run("EXISTS", "z") == .integer(0))

        try engine.run("ZADD", "z", "1", "a", "2", "b", "3", "c")
        _ = events.take()
        before = changes()
        try engine.run("ZREMRANGEBYSCORE", "z", "5", "6")
        #expect(events.take() == [])
        try engine.run("ZREMRANGEBYSCORE", "z", "1", "1")
        try engine.run("ZREMRANGEBYLEX", "z", "[b", "[b")
        try engine.run("ZREMRANGEBYRANK", "z", "0", "-1")
        #expect(events.take() == ["zremrangebyscore:z", "zremrangebylex:z", "zremrangebyrank:z", "del:z"])
        #expect(changes() - before == 3)
    }

    @Test func storeCommandsNotifyOrDeleteTheDestination() throws {
        let (engine, events) = Self.harness()
        try engine.run("ZADD", "a", "1", "x")
        try engine.run("SET", "d", "string")
        _ = events.take()
        let before = engine.statistics.changes
        #expect(try engine.run("ZUNIONSTORE", "d", "1", "a") == .integer(1))
        #expect(try engine.run("TYPE", "d") == .simple("zset"))
        try engine.run("ZINTERSTORE", "d", "2", "a", "nokey")
        // Nothing to delete the second time: no event, no change.
        try engine.run("ZINTERSTORE", "d", "2", "a", "nokey")
        try engine.run("ZRANGESTORE", "d", "a", "0", "-1")
        try engine.run("ZDIFFSTORE", "d", "1", "a")
        try engine.run("ZMPOP", "1", "d", "MAX", "COUNT", "5")
        #expect(events.take() == ["zunionstore:d", "del:d", "zrangestore:d", "zdiffstore:d", "zpopmax:d", "del:d"])
        #expect(engine.statistics.changes - before == 5)
    }

    @Test func watchSeesOnlyRealChanges() throws {
        let engine = EngineHarness()
        try engine.run("ZADD", "z", "1", "a")
        engine.watch("z")
        try engine.run("ZADD", "z", "1", "a")
        try engine.run("ZADD", "z", "XX", "5", "nope")
        try engine.run("ZREM", "z", "nope")
        try engine.run("ZPOPMIN", "z", "0")
        #expect(!engine.isWatchBroken)
        try engine.run("ZADD", "z", "2", "a")
        #expect(engine.isWatchBroken)
    }
}
