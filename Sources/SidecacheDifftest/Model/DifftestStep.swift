/// One step of a generated sequence: what is sent to each server, how the two replies are
/// compared, and what must happen after it so that the next step sees the same state on both.
///
/// A step is executed in lockstep: the whole step on the reference server, then on the
/// candidate, then the replies are compared; then the pause and settling (see `Settle`).
public struct DifftestStep: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// One command, its reply compared with `comparison`.
        case command([DifftestArgument])
        /// `SCAN` from cursor 0 with `options` (MATCH, COUNT, TYPE), driven until the cursor is 0
        /// again; the observation is the array of every key returned.
        case scanAll(options: [DifftestArgument])
        /// `RANDOMKEY`, then `EXISTS` on the key it returned; the observation is the EXISTS reply
        /// (1), or RANDOMKEY's reply when that is not a key. Which key comes back is random.
        case randomKeyExists
        /// `DUMP source`, then `RESTORE destination ttl <payload> options...` on the same server
        /// with the payload that server returned; the observation is RESTORE's reply, or DUMP's
        /// when that is not a payload. Checks that a server reads back its own DUMP output
        /// without comparing payload bytes between servers.
        case dumpRestore(source: [UInt8], destination: [UInt8], ttl: DifftestArgument, options: [DifftestArgument])
    }

    /// Keys whose time to live may have fired, or may fire within `pauseMilliseconds`.
    ///
    /// After the step (and after the EXEC that runs it, when it was queued in a transaction) the
    /// runner sleeps `pauseMilliseconds`, then sends `EXISTS key` to both servers and compares
    /// the replies. Lazy expiry then deletes the key on both, so that commands that count keys
    /// without checking expiry (DBSIZE) do not depend on when each server's background cycle
    /// runs, and a 1 ms TTL has fired on both before the next step.
    public struct Settle: Sendable, Hashable {
        public var keys: [[UInt8]]
        public var pauseMilliseconds: Int

        public init(keys: [[UInt8]], pauseMilliseconds: Int) {
            self.keys = keys
            self.pauseMilliseconds = pauseMilliseconds
        }
    }

    public var action: Action
    public var comparison: ReplyComparison
    public var settle: Settle?
    /// Whether the generator's generic mutations (letter case, a missing or an extra argument)
    /// may rewrite this step.
    public var mutable: Bool

    public init(action: Action, comparison: ReplyComparison = .exact, settle: Settle? = nil, mutable: Bool = true) {
        self.action = action
        self.comparison = comparison
        self.settle = settle
        self.mutable = mutable
    }

    /// A command step from a whole argument vector (name first).
    public static func command(_ arguments: [DifftestArgument]) -> DifftestStep {
        DifftestStep(action: .command(arguments))
    }

    /// This step with its replies compared by `comparison`.
    public func compared(_ comparison: ReplyComparison) -> DifftestStep {
        var copy = self
        copy.comparison = comparison
        return copy
    }

    /// This step followed by settling `keys` (see `Settle`) after `pauseMilliseconds`.
    public func settling(_ keys: [UInt8]..., pauseMilliseconds: Int = 0) -> DifftestStep {
        var copy = self
        copy.settle = Settle(keys: keys, pauseMilliseconds: pauseMilliseconds)
        return copy
    }

    /// This step, never rewritten by the generic mutations.
    public func immutable() -> DifftestStep {
        var copy = self
        copy.mutable = false
        return copy
    }

    /// The command name in upper case (`SCAN`, `RANDOMKEY`, `DUMP` for the compound actions).
    public var commandName: String {
        switch action {
        case .command(let arguments):
            guard let first = arguments.first?.bytes else { return "" }
            return String(decoding: first, as: UTF8.self).uppercased()
        case .scanAll: return "SCAN"
        case .randomKeyExists: return "RANDOMKEY"
        case .dumpRestore: return "DUMP"
        }
    }

    /// The step as redis-cli input lines (arguments quoted as redis-cli reads them, times
    /// resolved against `nowMilliseconds`); lines starting with `#` are notes, not commands.
    public func cliLines(nowMilliseconds: Int64) -> [String] {
        func line(_ arguments: [DifftestArgument]) -> String {
            arguments.map { RedisCLIQuoting.quote($0.resolved(nowMilliseconds: nowMilliseconds)) }.joined(separator: " ")
        }
        var lines: [String]
        switch action {
        case .command(let arguments):
            lines = [line(arguments)]
            if arguments.contains(where: { $0.bytes == nil }) {
                lines.append("# (Unix times above were computed when this was printed)")
            }
        case .scanAll(let options):
            lines = [line(["SCAN", "0"] + options), "# (SCAN repeated with each returned cursor until it is 0; keys compared as a set)"]
        case .randomKeyExists:
            lines = ["RANDOMKEY", "# (then EXISTS on the returned key)"]
        case .dumpRestore(let source, let destination, let ttl, let options):
            lines = [
                line(["DUMP", .bytes(source)]),
                "# then: " + line(["RESTORE", .bytes(destination), ttl, "<payload returned by DUMP>"] + options),
            ]
        }
        if let settle {
            var note = "# then"
            if settle.pauseMilliseconds > 0 { note += " wait \(settle.pauseMilliseconds) ms, then" }
            lines.append(note + " EXISTS on each key whose TTL may have fired:")
            lines += settle.keys.map { "EXISTS " + RedisCLIQuoting.quote($0) }
        }
        return lines
    }
}
