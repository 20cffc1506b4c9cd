import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

/// RENAME, RENAMENX, COPY, MOVE and SWAPDB in the engine: values of every string encoding,
/// expiries, watchers and the change counter. Replies and error texts are compared with
/// redis-server in `KeyCommandsDifferentialTests`.
@Suite struct KeyCommandsRenameTests {
    static let long = String(repeating: "x", count: 60)

    /// One value of each encoding.
    static let values: [(value: String, encoding: String)] = [("42", "int"), ("short", "embstr"), (long, "raw")]

    func watcher(_ engine: KeyCommandsEngine, database: Int = 0, _ key: String) -> WatchState {
        let watch = WatchState()
        engine.keyspace.withState { state in
            Array(key.utf8).withUnsafeBytes { state.database(database).watch($0, by: watch) }
        }
        return watch
    }

    @Test(arguments: values)
    func renameMovesValueAndExpiry(value: String, encoding: String) {
        let engine = KeyCommandsEngine()
        engine.run("SET", "source", value, "PX", "5000")
        engine.run("SET", "destination", "old")
        let changes = engine.statistics.changes
        #expect(engine.run("RENAME", "source", "destination") == .simple("OK"))
        #expect(engine.run("GET", "destination") == .bulk(value))
        #expect(engine.run("OBJECT", "ENCODING", "destination") == .bulk(encoding))
        #expect(engine.run("PTTL", "destination") == .integer(5000))
        #expect(engine.run("EXISTS", "source") == .integer(0))
        #expect(engine.keyCount() == 1)
        #expect(engine.statistics.changes == changes + 1)
        // The expiry went with the value: the key disappears when it runs out.
        engine.advance(milliseconds: 5001)
        #expect(engine.run("GET", "destination") == .bulkString(nil))
    }

    @Test func renameDropsTheDestinationsExpiryAndKeepsNoneWhenTheSourceHasNone() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "source", "v")
        engine.run("SET", "destination", "old", "EX", "100")
        #expect(engine.run("RENAME", "source", "destination") == .simple("OK"))
        #expect(engine.run("TTL", "destination") == .integer(-1))
        #expect(engine.keyspace.expiringKeyCount(database: 0) == 0)
    }

    @Test func renameSignalsWatchersOfBothNames() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "a", "1")
        let onSource = watcher(engine, "a")
        let onDestination = watcher(engine, "b")
        let onOther = watcher(engine, "c")
        engine.run("RENAME", "a", "b")
        #expect(onSource.dirty && onDestination.dirty && !onOther.dirty)
    }

    @Test func renameOfAKeyToItselfChangesNothing() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "a", "1", "EX", "10")
        let watch = watcher(engine, "a")
        #expect(engine.run("RENAME", "a", "a") == .simple("OK"))
        #expect(engine.run("RENAMENX", "a", "a") == .integer(0))
        #expect(engine.run("TTL", "a") == .integer(10))
        #expect(!watch.dirty)
        #expect(engine.run("RENAME", "nokey", "nokey") == .error("ERR no such key"))
    }

    @Test func renameOfAnExpiredKeyIsNoSuchKey() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "a", "1", "PX", "10")
        engine.advance(milliseconds: 20)
        #expect(engine.run("RENAME", "a", "b") == .error("ERR no such key"))
        #expect(engine.run("RENAMENX", "a", "b") == .error("ERR no such key"))
        #expect(engine.keyCount() == 0)
    }

    @Test func renamenxKeepsAnExistingDestination() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "a", "1")
        engine.run("SET", "b", "2")
        #expect(engine.run("RENAMENX", "a", "b") == .integer(0))
        #expect(engine.run("GET", "a") == .bulk("1"))
        #expect(engine.run("GET", "b") == .bulk("2"))
        // An expired destination counts as absent.
        engine.run("SET", "c", "3", "PX", "10")
        engine.advance(milliseconds: 20)
        #expect(engine.run("RENAMENX", "a", "c") == .integer(1))
        #expect(engine.run("GET", "c") == .bulk("1"))
    }

    @Test(arguments: values)
    func copyDuplicatesValueAndExpiry(value: String, encoding: String) {
        let engine = KeyCommandsEngine()
        engine.run("SET", "source", value, "PX", "3000")
        #expect(engine.run("COPY", "source", "copy") == .integer(1))
        #expect(engine.run("GET", "copy") == .bulk(value))
        #expect(engine.run("OBJECT", "ENCODING", "copy") == .bulk(encoding))
        #expect(engine.run("PTTL", "copy") == .integer(3000))
        #expect(engine.run("GET", "source") == .bulk(value))
        #expect(engine.keyspace.expiringKeyCount(database: 0) == 2)
    }

    /// The copy has its own bytes: changing either value in place leaves the other alone.
    @Test func copyIsDeep() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "source", Self.long)
        engine.run("COPY", "source", "copy")
        engine.run("APPEND", "source", "-more")
        engine.run("SETRANGE", "copy", "0", "y")
        #expect(engine.run("GET", "source") == .bulk(Self.long + "-more"))
        #expect(engine.run("GET", "copy") == .bulk("y" + Self.long.dropFirst()))
    }

    @Test func copyToAnotherDatabaseAndReplace() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "a", "1")
        engine.client.database = 3
        engine.run("SET", "a", "old", "EX", "100")
        engine.client.database = 0
        #expect(engine.run("COPY", "a", "a", "DB", "3") == .integer(0))
        let watch = watcher(engine, database: 3, "a")
        let sourceWatch = watcher(engine, "a")
        #expect(engine.run("COPY", "a", "a", "DB", "3", "REPLACE") == .integer(1))
        #expect(watch.dirty && !sourceWatch.dirty)
        engine.client.database = 3
        #expect(engine.run("GET", "a") == .bulk("1"))
        #expect(engine.run("TTL", "a") == .integer(-1))
        #expect(engine.keyspace.expiringKeyCount(database: 3) == 0)
    }

    @Test func copyReadsTheSourceAsAReadCommand() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "a", "1")
        engine.advance(milliseconds: 10_000)
        engine.keyspace.resetStatistics()
        engine.run("COPY", "a", "b")
        engine.run("COPY", "missing", "b")
        #expect(engine.statistics.keyspaceHits == 1 && engine.statistics.keyspaceMisses == 1)
        // Both the source (read) and the copy (new) were accessed just now.
        #expect(engine.run("OBJECT", "IDLETIME", "a") == .integer(0))
        #expect(engine.run("OBJECT", "IDLETIME", "b") == .integer(0))
    }

    @Test func moveTakesValueExpiryAndSignalsBothDatabases() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "k", "v", "PX", "4000")
        let here = watcher(engine, "k")
        let there = watcher(engine, database: 5, "k")
        let changes = engine.statistics.changes
        #expect(engine.run("MOVE", "k", "5") == .integer(1))
        #expect(here.dirty && there.dirty)
        #expect(engine.keyCount(database: 0) == 0 && engine.keyCount(database: 5) == 1)
        #expect(engine.keyspace.expiringKeyCount(database: 0) == 0)
        #expect(engine.statistics.changes == changes + 1)
        engine.client.database = 5
        #expect(engine.run("GET", "k") == .bulk("v"))
        #expect(engine.run("PTTL", "k") == .integer(4000))
        #expect(engine.run("MOVE", "k", "5") == .error("ERR source and destination objects are the same"))
    }

    @Test func moveRefusesAnExistingDestinationButNotAnExpiredOne() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "k", "here")
        engine.client.database = 1
        engine.run("SET", "k", "there", "PX", "10")
        engine.client.database = 0
        #expect(engine.run("MOVE", "k", "1") == .integer(0))
        engine.advance(milliseconds: 20)
        #expect(engine.run("MOVE", "k", "1") == .integer(1))
        #expect(engine.statistics.expiredKeys == 1)
        #expect(engine.run("MOVE", "k", "1") == .integer(0))
    }

    @Test func swapdbExchangesContentsAndSignalsWatchers() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "zero", "0", "EX", "100")
        engine.client.database = 1
        engine.run("SET", "one", "1")
        engine.client.database = 0
        let watchZero = watcher(engine, "zero")
        let watchOne = watcher(engine, database: 1, "one")
        let watchNothing = watcher(engine, database: 2, "zero")
        #expect(engine.run("SWAPDB", "0", "1") == .simple("OK"))
        #expect(watchZero.dirty && watchOne.dirty && !watchNothing.dirty)
        // The client stays on database 0, which now holds what database 1 held.
        #expect(engine.run("KEYS", "*") == .array([.bulk("one")]))
        #expect(engine.keyspace.expiringKeyCount(database: 1) == 1)
        engine.client.database = 1
        #expect(engine.run("TTL", "zero") == .integer(100))
        let changes = engine.statistics.changes
        #expect(engine.run("SWAPDB", "4", "4") == .simple("OK"))
        #expect(engine.statistics.changes == changes + 1)
    }

    @Test func databaseIndexErrors() {
        let engine = KeyCommandsEngine(databases: 4)
        engine.run("SET", "k", "v")
        let outOfRange = RESPValue.error("ERR DB index is out of range")
        let int32Range = RESPValue.error("ERR value is out of range, value must between -2147483648 and 2147483647")
        #expect(engine.run("MOVE", "k", "4") == outOfRange)
        #expect(engine.run("MOVE", "k", "-1") == outOfRange)
        #expect(engine.run("MOVE", "k", "2147483648") == int32Range)
        #expect(engine.run("MOVE", "k", "x") == .error("ERR value is not an integer or out of range"))
        #expect(engine.run("COPY", "k", "j", "DB", "4") == outOfRange)
        #expect(engine.run("COPY", "k", "j", "DB", "-2147483649") == int32Range)
        #expect(engine.run("SWAPDB", "0", "4") == outOfRange)
        #expect(engine.run("SWAPDB", "2147483648", "0") == .error("ERR invalid first DB index"))
        #expect(engine.run("SWAPDB", "0", "y") == .error("ERR invalid second DB index"))
        #expect(engine.keyCount() == 1)
    }
}
