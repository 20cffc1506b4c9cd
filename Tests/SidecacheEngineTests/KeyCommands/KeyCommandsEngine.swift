import NIOCore
import SidecacheEngine
import SidecacheRESP
import Synchronization

/// A keyspace with a hand-driven clock and one client that runs engine commands directly,
/// the way the server does (the handler called with the keyspace lock held), and parses the
/// reply. For the key-command tests.
final class KeyCommandsEngine {
    /// Unix milliseconds as the keyspace sees them; moved only by `advance`.
    final class ManualClock: Sendable {
        let milliseconds: Atomic<Int64>
        init(_ start: Int64) { milliseconds = Atomic(start) }
        var now: Int64 { milliseconds.load(ordering: .relaxed) }
    }

    static let handlers: [String: EngineCommand] = Dictionary(uniqueKeysWithValues: EngineCommands.all)

    let clock: ManualClock
    let keyspace: Keyspace
    let client = EngineClient(allocator: ByteBufferAllocator())

    /// A keyspace of `databases` databases whose clock starts at `start` (a whole second, so
    /// that the access clock ticks exactly every 1000 ms of `advance`).
    init(databases: Int = 16, start: Int64 = 1_700_000_000_000) {
        let clock = ManualClock(start)
        self.clock = clock
        self.keyspace = Keyspace(databases: databases, clock: { clock.now })
    }

    func advance(milliseconds: Int64) {
        clock.milliseconds.add(milliseconds, ordering: .relaxed)
    }

    /// Runs one command on the client's selected database and returns its reply. Container
    /// commands (OBJECT, MEMORY) run their `container|sub` handler.
    @discardableResult
    func run(_ arguments: String...) -> RESPValue {
        run(arguments)
    }

    @discardableResult
    func run(_ arguments: [String]) -> RESPValue {
        var name = arguments[0].lowercased()
        if Self.handlers[name] == nil && arguments.count > 1 { name += "|" + arguments[1].lowercased() }
        guard let handler = Self.handlers[name] else { fatalError("no engine handler for \(name)") }
        client.frame = RESPCommandFrame(strings: arguments)
        client.out.clear()
        keyspace.withState { state in handler(client, state.database(client.database)) }
        var reply = client.out
        guard let value = try? RESPReplyParser().next(from: &reply), reply.readableBytes == 0 else {
            fatalError("\(arguments): not exactly one reply")
        }
        return value
    }

    /// The texts of an array reply's elements (keys), sorted.
    func sortedTexts(_ value: RESPValue) -> [String] {
        (value.elements ?? []).compactMap(\.text).sorted()
    }

    var statistics: KeyspaceStatistics { keyspace.statistics }

    func keyCount(database: Int = 0) -> Int { keyspace.keyCount(database: database) }
}
