import NIOCore
import SidecacheEngine
import SidecacheRESP
import Synchronization
import Testing

/// A clock that only moves when the test moves it (Unix milliseconds).
final class ManualClock: Sendable {
    private let milliseconds: Mutex<Int64>

    init(_ start: Int64 = 1_700_000_000_000) {
        milliseconds = Mutex(start)
    }

    var now: Int64 { milliseconds.withLock { $0 } }

    func advance(by delta: Int64) {
        milliseconds.withLock { $0 += delta }
    }

    var clock: Keyspace.Clock { { self.now } }
}

/// A keyspace on a manual clock and one client that runs engine commands on it, the way a
/// session does: the handler from `EngineCommands.all` under the keyspace lock, on the
/// client's selected database.
final class EngineHarness {
    static let handlers = Dictionary(EngineCommands.all, uniquingKeysWith: { first, _ in first })

    let clock: ManualClock
    let keyspace: Keyspace
    let client = EngineClient(allocator: ByteBufferAllocator())

    init(clock: ManualClock = ManualClock()) {
        self.clock = clock
        self.keyspace = Keyspace(databases: 16, clock: clock.clock)
    }

    /// Runs one command (arity must be valid: the dispatcher checks it, not the handlers) and
    /// returns its single reply.
    @discardableResult
    func run(_ arguments: String...) throws -> RESPValue {
        try run(arguments)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> RESPValue {
        var name = arguments[0].lowercased()
        if Self.handlers[name] == nil && arguments.count > 1 { name += "|" + arguments[1].lowercased() }
        let handler = try #require(Self.handlers[name], "no engine handler for \(name)")
        client.frame = RESPCommandFrame(strings: arguments)
        client.out.clear()
        keyspace.withState { handler(client, $0.database(client.database)) }
        var out = client.out
        let reply = try #require(try RESPReplyParser().next(from: &out), "no whole reply to \(arguments)")
        #expect(out.readableBytes == 0, "more than one reply to \(arguments)")
        return reply
    }

    var statistics: KeyspaceStatistics { keyspace.statistics }

    /// WATCH `keys` in the client's database, as the WATCH command does.
    func watch(_ keys: String...) {
        keyspace.withState { state in
            for key in keys {
                Array(key.utf8).withUnsafeBytes { state.database(client.database).watch($0, by: client.watch) }
            }
        }
    }

    /// What EXEC decides: whether a watched key changed or expired.
    var isWatchBroken: Bool { keyspace.withState { $0.isWatchBroken(client.watch) } }

    func unwatch() {
        keyspace.withState { $0.unwatchAll(client.watch) }
    }
}
