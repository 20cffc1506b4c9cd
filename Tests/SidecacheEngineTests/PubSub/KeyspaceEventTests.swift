import SidecacheEngine
import Testing

/// What the engine hands its event sink: each event with its database, class, name and key,
/// only for the classes turned on, and `expired` events from every way a key expires.
@Suite struct KeyspaceEventTests {
    struct Recorded: Equatable, CustomStringConvertible {
        var database: Int
        var event: String
        var key: String
        var description: String { "\(database) \(event) \(key)" }
    }

    /// A harness whose keyspace records its events.
    static func recording(_ flags: String) -> (EngineHarness, () -> [Recorded]) {
        let engine = EngineHarness()
        nonisolated(unsafe) var events: [Recorded] = []
        engine.keyspace.withState { state in
            state.notifyFlags = KeyspaceEventClass(flags: flags.utf8)!
            state.eventSink = { event in
                events.append(Recorded(
                    database: event.database,
                    event: event.event.description,
                    key: String(decoding: event.key, as: UTF8.self)
                ))
            }
        }
        return (engine, { engine.keyspace.withState { _ in events } })
    }

    @Test func onlyTheClassesTurnedOnAreReported() throws {
        let (engine, events) = Self.recording("K$")
        try engine.run("SET", "k", "v")
        try engine.run("EXPIRE", "k", "100")
        try engine.run("APPEND", "k", "w")
        try engine.run("DEL", "k")
        #expect(events() == [Recorded(database: 0, event: "set", key: "k"), Recorded(database: 0, event: "append", key: "k")])
    }

    @Test func expiredFromLookupScanAndTheActiveCycle() throws {
        let (engine, events) = Self.recording("Ex")
        try engine.run("SET", "lazy", "v", "PX", "10")
        try engine.run("SET", "scanned", "v", "PX", "10")
        engine.clock.advance(by: 20)
        try engine.run("GET", "lazy")
        try engine.run("SCAN", "0", "COUNT", "100")
        engine.client.database = 2
        try engine.run("SET", "active", "v", "PX", "10")
        engine.clock.advance(by: 20)
        #expect(engine.keyspace.activeExpireCycle(hz: 10) == 1)
        #expect(events() == [
            Recorded(database: 0, event: "expired", key: "lazy"), Recorded(database: 0, event: "expired", key: "scanned"),
            Recorded(database: 2, event: "expired", key: "active"),
        ])
    }

    @Test func moveReportsBothDatabases() throws {
        let (engine, events) = Self.recording("KEA")
        try engine.run("SET", "k", "v")
        try engine.run("MOVE", "k", "3")
        #expect(events() == [
            Recorded(database: 0, event: "set", key: "k"), Recorded(database: 0, event: "move_from", key: "k"),
            Recorded(database: 3, event: "move_to", key: "k"),
        ])
    }
}
