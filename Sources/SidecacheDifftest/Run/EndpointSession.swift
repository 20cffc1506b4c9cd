import NIOCore
import SidecacheRESP

/// The runner's side of one endpoint: its connection, and what it knows of the connection's
/// transaction state (which comparisons EXEC's elements take).
///
/// Not thread-safe; used from the runner's thread.
final class EndpointSession {
    let endpoint: DifftestEndpoint
    private let timeout: Duration
    private var connection: DifftestConnection?
    /// The comparisons of the commands queued since MULTI, or `nil` outside a transaction.
    private(set) var queued: [ReplyComparison]?

    /// Most SCAN calls one `scanAll` step may make before giving up on reaching cursor 0.
    static let maxScanCalls = 10_000

    init(endpoint: DifftestEndpoint, timeout: Duration) {
        self.endpoint = endpoint
        self.timeout = timeout
    }

    var inTransaction: Bool { queued != nil }

    /// Brings the connection to a fresh state: connects if needed, then `RESET` (database 0,
    /// RESP2, no transaction, nothing watched), `HELLO 3` when `resp3`, and `FLUSHALL`.
    /// Throws `DifftestError.setup` when the server refuses any of these.
    func reset(resp3: Bool) throws(DifftestError) {
        queued = nil
        if connection == nil { connection = try DifftestConnection(endpoint: endpoint, timeout: timeout) }
        try expect(["RESET"], reply: { $0 == .simple("RESET") }, what: "simple RESET")
        if resp3 {
            try expect(
                ["HELLO", "3"], reply: { if case .map = $0 { true } else { false } }, what: "a map (the tester runs RESP3 sequences)")
        }
        try expect(["FLUSHALL"], reply: { $0 == .simple("OK") }, what: "simple OK (the tester empties the server before each sequence)")
    }

    private func expect(_ command: [String], reply check: (RESPValue) -> Bool, what: String) throws(DifftestError) {
        let reply: RESPValue
        do {
            reply = try send(command.map { Array($0.utf8) })
        } catch {
            connection = nil
            throw .setup("resetting \(error)")
        }
        guard check(reply) else {
            throw .setup("\(endpoint) answered \(command.joined(separator: " ")) with \(reply.difftestDescription), expected \(what)")
        }
    }

    func close() {
        connection?.close()
        connection = nil
    }

    private func send(_ arguments: [[UInt8]]) throws(DifftestError) -> RESPValue {
        guard let connection else { throw .endpoint("\(endpoint): not connected") }
        do {
            return try connection.command(arguments)
        } catch {
            self.connection = nil
            throw error
        }
    }

    /// Executes one step (all of its commands, for the compound ones) with Unix times resolved
    /// against `nowMilliseconds`, and returns the observation to compare. Updates the
    /// transaction state: MULTI opens it, each `QUEUED` reply records the comparison EXEC will
    /// use for that element, EXEC and DISCARD close it.
    func execute(_ step: DifftestStep, nowMilliseconds now: Int64) throws(DifftestError) -> Observation {
        switch step.action {
        case .command(let arguments):
            let bytes = arguments.map { $0.resolved(nowMilliseconds: now) }
            let reply = try send(bytes)
            let label = DifftestConnection.describe(bytes)
            return Observation(label: label, reply: reply, comparison: track(step.commandName, step.comparison, reply))
        case .scanAll(let options):
            return try scanAll(options.map { $0.resolved(nowMilliseconds: now) })
        case .randomKeyExists:
            let reply = try send([Array("RANDOMKEY".utf8)])
            guard case .bulkString(.some(let key)) = reply else {
                return Observation(label: "RANDOMKEY", reply: reply, comparison: track("RANDOMKEY", .shape, reply))
            }
            let keyBytes = Array(key.readableBytesView)
            let exists = try send([Array("EXISTS".utf8), keyBytes])
            return Observation(label: "RANDOMKEY, then EXISTS on the key it returned", reply: exists, comparison: .exact)
        case .dumpRestore(let source, let destination, let ttl, let options):
            let dump = try send([Array("DUMP".utf8), source])
            guard case .bulkString(.some(let payload)) = dump else {
                return Observation(label: "DUMP " + RedisCLIQuoting.quote(source), reply: dump, comparison: track("DUMP", .shape, dump))
            }
            let restore =
                [Array("RESTORE".utf8), destination, ttl.resolved(nowMilliseconds: now), Array(payload.readableBytesView)]
                + options.map { $0.resolved(nowMilliseconds: now) }
            let reply = try send(restore)
            let label =
                "DUMP \(RedisCLIQuoting.quote(source)), then RESTORE with its payload: "
                + DifftestConnection.describe([restore[0], restore[1], restore[2], Array("<payload>".utf8)] + Array(restore.dropFirst(4)))
            return Observation(label: label, reply: reply, comparison: .exact)
        }
    }

    /// `EXISTS key` for settling (see `DifftestStep.Settle`).
    func settle(_ key: [UInt8]) throws(DifftestError) -> Observation {
        let reply = try send([Array("EXISTS".utf8), key])
        return Observation(
            label: "EXISTS \(RedisCLIQuoting.quote(key)) (settling a key whose TTL may have fired)", reply: reply, comparison: .exact)
    }

    /// SCAN from cursor 0 until the cursor is 0 again; one observation with every key
    /// returned, or the first reply that is not a SCAN page (an error, QUEUED).
    private func scanAll(_ options: [[UInt8]]) throws(DifftestError) -> Observation {
        var cursor: [UInt8] = Array("0".utf8)
        var keys: [RESPValue] = []
        let label = "SCAN 0 " + DifftestConnection.describe(options) + " (to the end)"
        for _ in 0..<Self.maxScanCalls {
            let reply = try send([Array("SCAN".utf8), cursor] + options)
            guard case .array(.some(let page)) = reply, page.count == 2, case .bulkString(.some(let next)) = page[0],
                let elements = page[1].elements
            else {
                // Inside MULTI the page arrives in EXEC's reply; its cursor and split vary.
                return Observation(label: label, reply: reply, comparison: track("SCAN", .shape, reply))
            }
            keys += elements
            cursor = Array(next.readableBytesView)
            if cursor == Array("0".utf8) {
                return Observation(label: label, reply: .array(keys), comparison: .unordered)
            }
        }
        return Observation(
            label: label,
            reply: .error("DIFFTEST SCAN did not return cursor 0 within \(Self.maxScanCalls) calls"),
            comparison: .exact
        )
    }

    /// Updates the transaction state after `name` answered `reply`, and returns the comparison
    /// for that reply (EXEC's is built from the queued commands).
    private func track(_ name: String, _ comparison: ReplyComparison, _ reply: RESPValue) -> ReplyComparison {
        if reply == .simple("QUEUED"), queued != nil {
            queued?.append(comparison)
            return .exact
        }
        switch name {
        case "MULTI":
            if reply == .simple("OK") { queued = [] }
        case "EXEC":
            guard let commands = queued else { return comparison }
            // An arity error leaves the transaction open; EXECABORT and a result close it.
            if !reply.isError || reply.text?.hasPrefix("EXECABORT") == true { queued = nil }
            return .transaction(commands)
        case "DISCARD":
            if reply == .simple("OK") { queued = nil }
        default:
            break
        }
        return comparison
    }
}
