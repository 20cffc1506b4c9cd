import NIOCore
import SidecacheEngine
import SidecacheRESP
import Synchronization
import Testing

/// The blocking machinery inside the engine, without sockets: clients that block, the order
/// they are served in, timeouts, cancellation, CLIENT UNBLOCK, BLMOVE chains, and keys that
/// become ready through MOVE and SWAPDB.
@Suite struct BlockingEngineTests {
    /// Waits that ended, in the order their clients were woken.
    final class Woken: Sendable {
        let clients = Mutex<[BlockedClient]>([])
        var all: [BlockedClient] { clients.withLock { $0 } }
    }

    let engine = EngineHarness()
    let woken = Woken()

    /// A connection that may block.
    func connection(_ id: UInt64) -> EngineClient {
        let client = EngineClient(allocator: ByteBufferAllocator())
        client.blocking.owner = id
        let woken = woken
        client.blocking.wake = { blocked in woken.clients.withLock { $0.append(blocked) } }
        return client
    }

    /// Runs a command for `client`: its reply, or `nil` with the wait when it blocked.
    func run(_ client: EngineClient, _ arguments: String...) throws -> (reply: RESPValue?, wait: BlockedClient?) {
        let handler = try #require(EngineHarness.handlers[arguments[0].lowercased()])
        client.frame = RESPCommandFrame(strings: arguments)
        client.out.clear()
        engine.keyspace.withState { handler(client, $0.database(client.database)) }
        if let wait = client.blocking.current {
            client.blocking.current = nil
            #expect(client.out.readableBytes == 0)
            return (nil, wait)
        }
        var out = client.out
        return (try RESPReplyParser().next(from: &out), nil)
    }

    /// The reply a wait ended with.
    func reply(of wait: BlockedClient) throws -> RESPValue? {
        var out = wait.client.out
        return try RESPReplyParser().next(from: &out)
    }

    var blockedCount: Int { engine.keyspace.withState { $0.blocking.blockedCount } }

    static func pair(_ key: String, _ value: String) -> RESPValue { .array([.bulk(key), .bulk(value)]) }

    @Test func clientsAreServedInTheOrderTheyBlocked() throws {
        let a = try #require(try run(connection(1), "BLPOP", "q", "0").wait)
        let b = try #require(try run(connection(2), "BRPOP", "other", "q", "0").wait)
        let c = try #require(try run(connection(3), "BLPOP", "q", "5").wait)
        #expect(blockedCount == 3)
        #expect(engine.keyspace.withState { $0.blocking.timedCount } == 1)
        #expect(try engine.run("RPUSH", "q", "1", "2") == .integer(2))
        #expect(woken.all.map(\.owner) == [1, 2])
        #expect(try reply(of: a) == Self.pair("q", "1"))
        #expect(try reply(of: b) == Self.pair("q", "2"))
        #expect(c.state == .waiting && blockedCount == 1)
        #expect(try engine.run("EXISTS", "q") == .integer(0))
        #expect(try engine.run("LPUSH", "q", "3", "4") == .integer(2))
        #expect(try reply(of: c) == Self.pair("q", "4"))
        #expect(try engine.run("LRANGE", "q", "0", "-1") == .array([.bulk("3")]))
        #expect(blockedCount == 0)
    }

    @Test func blmpopTakesUpToItsCountFromTheReadyKey() throws {
        let wait = try #require(try run(connection(1), "BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2").wait)
        try engine.run("RPUSH", "b", "1", "2", "3")
        #expect(try reply(of: wait) == .array([.bulk("b"), .array([.bulk("3"), .bulk("2")])]))
        #expect(try engine.run("LLEN", "b") == .integer(1))
    }

    @Test func aMoveChainServesEveryWaiterInOnePass() throws {
        let mover = try #require(try run(connection(1), "BLMOVE", "src", "mid", "LEFT", "RIGHT", "0").wait)
        let second = try #require(try run(connection(2), "BRPOPLPUSH", "mid", "dst", "0").wait)
        let popper = try #require(try run(connection(3), "BLPOP", "dst", "0").wait)
        try engine.run("RPUSH", "src", "x")
        #expect(try reply(of: mover) == .bulk("x"))
        #expect(try reply(of: second) == .bulk("x"))
        #expect(try reply(of: popper) == Self.pair("dst", "x"))
        #expect(try engine.run("EXISTS", "src", "mid", "dst") == .integer(0))
    }

    @Test func aWrongTypeDestinationEndsTheWaitWithAnError() throws {
        let wait = try #require(try run(connection(1), "BLMOVE", "src", "dst", "LEFT", "LEFT", "0").wait)
        try engine.run("SET", "dst", "string")
        try engine.run("RPUSH", "src", "a")
        #expect(try reply(of: wait) == .error(RedisError.wrongType))
        #expect(wait.client.failed && blockedCount == 0)
        #expect(try engine.run("LRANGE", "src", "0", "-1") == .array([.bulk("a")]))
    }

    @Test func keysOfAnotherTypeDoNotServe() throws {
        let wait = try #require(try run(connection(1), "BLPOP", "k", "0").wait)
        try engine.run("SET", "k", "v")
        try engine.run("DEL", "k")
        #expect(wait.state == .waiting)
        try engine.run("RPUSH", "k", "v")
        #expect(try reply(of: wait) == Self.pair("k", "v"))
    }

    @Test func timeoutsCancellationAndUnblock() throws {
        let timed = try #require(try run(connection(1), "BLPOP", "k", "0.5").wait)
        let gone = try #require(try run(connection(2), "BLPOP", "k", "0").wait)
        let unblocked = try #require(try run(connection(3), "BRPOPLPUSH", "k", "d", "0").wait)
        let errored = try #require(try run(connection(4), "BLMPOP", "0", "1", "k", "LEFT").wait)
        #expect(timed.timeout == 500 && gone.timeout == 0)
        engine.keyspace.withState { $0.blocking.timeOut(timed) }
        #expect(try reply(of: timed) == .array(nil))
        engine.keyspace.withState { $0.blocking.cancel(gone) }
        #expect(engine.keyspace.withState { $0.blocking.unblock(owner: 3, withError: false) })
        #expect(try reply(of: unblocked) == .array(nil))
        #expect(engine.keyspace.withState { $0.blocking.unblock(owner: 4, withError: true) })
        #expect(try reply(of: errored) == .error("UNBLOCKED client unblocked via CLIENT UNBLOCK"))
        #expect(!engine.keyspace.withState { $0.blocking.unblock(owner: 4, withError: true) })
        #expect(woken.all.map(\.owner) == [1, 3, 4])
        #expect(blockedCount == 0)
        try engine.run("RPUSH", "k", "v")
        #expect(try engine.run("LLEN", "k") == .integer(1))
    }

    @Test func blockingIsRefusedInsideTransactionsAndForClientsThatCannotWait() throws {
        let client = connection(1)
        client.blocking.denied = true
        #expect(try run(client, "BLPOP", "k", "0").reply == .array(nil))
        #expect(try run(client, "BLMOVE", "k", "d", "LEFT", "LEFT", "0").reply == .bulkString(nil))
        #expect(try run(client, "BRPOPLPUSH", "k", "d", "0").reply == .bulkString(nil))
        #expect(try run(client, "BLMPOP", "0", "1", "k", "LEFT").reply == .array(nil))
        #expect(try engine.run("BRPOP", "k", "0") == .array(nil))
        #expect(blockedCount == 0)
    }

    @Test func moveAndSwapdbMakeKeysReady() throws {
        let inOne = connection(1)
        inOne.database = 1
        let moved = try #require(try run(inOne, "BLPOP", "k", "0").wait)
        try engine.run("RPUSH", "k", "v")
        try engine.run("MOVE", "k", "1")
        #expect(try reply(of: moved) == Self.pair("k", "v"))
        let swapped = try #require(try run(inOne, "BLPOP", "s", "0").wait)
        try engine.run("RPUSH", "s", "w")
        #expect(swapped.state == .waiting)
        try engine.run("SWAPDB", "0", "1")
        #expect(try reply(of: swapped) == Self.pair("s", "w"))
    }
}
