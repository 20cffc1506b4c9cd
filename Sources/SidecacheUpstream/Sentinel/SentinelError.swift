/// No sentinel named a primary that answered as one: what each sentinel said, in the order asked.
public struct SentinelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong with one sentinel.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// No connection, no reply in time, or an error reply (AUTH refused and the like).
        case failed(String)
        /// The sentinel answered that it monitors no master by this name.
        case unknownMaster
        /// The sentinel named a primary that is not one: unreachable, or `ROLE` says otherwise.
        case notPrimary(UpstreamAddress, String)
        /// A reply of the wrong shape.
        case badReply(String)

        public var description: String {
            switch self {
            case .failed(let why): why
            case .unknownMaster: "master name unknown"
            case .notPrimary(let address, let why): "named \(address) as the primary, but \(why)"
            case .badReply(let what): "unexpected reply \(what)"
            }
        }
    }

    public var masterName: String
    public var attempts: [(sentinel: UpstreamAddress, reason: Reason)]
    /// The monitor was stopped before any sentinel answered.
    public var monitorStopped = false

    public init(masterName: String, attempts: [(sentinel: UpstreamAddress, reason: Reason)]) {
        self.masterName = masterName
        self.attempts = attempts
    }

    /// The error of a discovery that the monitor's `stop()` cut short.
    init(stoppedMonitorOf masterName: String) {
        self.init(masterName: masterName, attempts: [])
        monitorStopped = true
    }

    /// `no sentinel named a primary for 'mymaster': 127.0.0.1:26379: connection refused; ...`
    public var description: String {
        if monitorStopped { return "the sentinel monitor of '\(masterName)' was stopped" }
        let each = attempts.isEmpty ? "no sentinels configured" : attempts.map { "\($0.sentinel): \($0.reason)" }.joined(separator: "; ")
        return "no sentinel named a primary for '\(masterName)': \(each)"
    }

    /// The error a client gets for a request while no primary is known.
    public var failure: UpstreamFailure {
        UpstreamFailure("ERR upstream \(description)")
    }

    public static func == (lhs: SentinelError, rhs: SentinelError) -> Bool {
        lhs.masterName == rhs.masterName && lhs.monitorStopped == rhs.monitorStopped
            && lhs.attempts.map(\.sentinel) == rhs.attempts.map(\.sentinel)
            && lhs.attempts.map(\.reason) == rhs.attempts.map(\.reason)
    }
}
