import NIOCore
import SidecacheEngine
import SidecacheRESP

/// A keyspace and one client running the engine's handlers directly (as the server does,
/// under the keyspace lock), for the hash and set tests: replies parsed, keyspace
/// notifications and the change counter recorded per command.
final class CollectionsEngine {
    static let handlers: [String: EngineCommand] = Dictionary(uniqueKeysWithValues: EngineCommands.all)

    let keyspace = Keyspace(databases: 16)
    let client = EngineClient(allocator: ByteBufferAllocator())
    /// Notifications of the last command: event name and key.
    private(set) var events: [Notification] = []
    /// How much the last command moved `statistics.changes` (Redis's `dirty`).
    private(set) var changes = 0

    struct Notification: Equatable, CustomStringConvertible {
        var event: String
        var key: [UInt8]
        var description: String { "\(event) \(String(decoding: key, as: UTF8.self))" }
    }

    init(limits: EncodingLimits = EncodingLimits()) {
        keyspace.withState { state in
            state.encodingLimits = limits
            // Every class of the type commands; `new` and `keymiss` (not in `A`) are tested elsewhere.
            state.notifyFlags = KeyspaceEventClass(rawValue: 0x7FFF).subtracting([.new, .keyMiss])
        }
        let sink: (KeyspaceEvent) -> Void = { [unowned self] event in
            self.events.append(Notification(event: event.event.description, key: Array(event.key)))
        }
        keyspace.withState { $0.eventSink = sink }
    }

    var limits: EncodingLimits {
        get { keyspace.withState { $0.encodingLimits } }
        set { keyspace.withState { $0.encodingLimits = newValue } }
    }

    /// Runs one command (container commands as `container|sub`) and returns its reply.
    @discardableResult
    func run(_ arguments: String...) -> RESPValue {
        run(bytes: arguments.map { Array($0.utf8) })
    }

    @discardableResult
    func run(_ arguments: [String]) -> RESPValue {
        run(bytes: arguments.map { Array($0.utf8) })
    }

    @discardableResult
    func run(bytes arguments: [[UInt8]]) -> RESPValue {
        Self.parse(runRaw(arguments))
    }

    /// Runs one command and returns its reply's bytes.
    func runRaw(_ arguments: [[UInt8]]) -> [UInt8] {
        var name = String(decoding: arguments[0], as: UTF8.self).lowercased()
        if Self.handlers[name] == nil && arguments.count > 1 { name += "|" + String(decoding: arguments[1], as: UTF8.self).lowercased() }
        guard let handler = Self.handlers[name] else { fatalError("no engine handler for \(name)") }
        client.frame = RESPCommandFrame(arguments)
        client.out.clear()
        events = []
        changes = keyspace.withState { state in
            let before = state.statistics.changes
            handler(client, state.database(client.database))
            return state.statistics.changes - before
        }
        return Array(client.out.readableBytesView)
    }

    static func parse(_ bytes: [UInt8]) -> RESPValue {
        var buffer = ByteBuffer(bytes: bytes)
        guard let value = try? RESPReplyParser().next(from: &buffer), buffer.readableBytes == 0 else {
            fatalError("not exactly one reply: \(bytes)")
        }
        return value
    }

    /// OBJECT ENCODING's answer for `key`.
    func encoding(_ key: String) -> String? {
        run("OBJECT", "ENCODING", key).text
    }

    /// The texts of an aggregate reply's elements, in order.
    func texts(_ value: RESPValue) -> [String] {
        (value.elements ?? []).map { $0.text ?? "<\($0)>" }
    }

    func texts(_ arguments: String...) -> [String] {
        texts(run(arguments))
    }

    func sortedTexts(_ arguments: String...) -> [String] {
        texts(run(arguments)).sorted()
    }
}
