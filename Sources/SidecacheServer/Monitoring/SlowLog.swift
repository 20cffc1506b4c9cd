import Synchronization

/// The slow log (Redis's `slowlog.c`): the latest `slowlog-max-len` commands that ran for at
/// least `slowlog-log-slower-than` microseconds, newest first, shared by every event loop.
///
/// The two settings are atomics so that the check after each command reads no lock; the
/// entries are behind a lock taken only to add, read or reset them.
final class SlowLog: Sendable {
    private struct State {
        /// Oldest first: SLOWLOG GET reads from the end.
        var entries: [SlowLogEntry] = []
        var nextID = 0
        var maxLength = 128
    }

    private let state = Mutex(State())
    /// Microseconds a command must run to be logged; negative: the slow log is off.
    private let threshold = Atomic<Int>(10_000)

    /// The configured `slowlog-log-slower-than` (negative: off).
    var logSlowerThan: Int { threshold.load(ordering: .relaxed) }

    var isEnabled: Bool { logSlowerThan >= 0 }

    /// Whether a command that ran `microseconds` belongs in the log.
    func wants(_ microseconds: Int) -> Bool {
        let threshold = logSlowerThan
        return threshold >= 0 && microseconds >= threshold
    }

    /// Applies `slowlog-log-slower-than` and `slowlog-max-len`. As in Redis, where every
    /// command trims the log while it is on, a shorter maximum drops the oldest entries now,
    /// unless the log is off.
    func configure(logSlowerThan: Int, maxLength: Int) {
        threshold.store(logSlowerThan, ordering: .relaxed)
        state.withLock { state in
            state.maxLength = maxLength
            if logSlowerThan >= 0 { Self.trim(&state) }
        }
    }

    /// Redis's `slowlogPushEntryIfNeeded` once `wants` said yes: the entry gets the next id
    /// (ids are never reused, not even after RESET) and the oldest entries beyond the maximum go.
    func add(arguments: [[UInt8]], microseconds: Int, peer: String, clientName: [UInt8], unixTime: Int64) {
        state.withLock { state in
            let entry = SlowLogEntry(
                id: state.nextID, unixTime: unixTime, microseconds: microseconds, arguments: arguments,
                peer: peer, clientName: clientName
            )
            state.nextID += 1
            state.entries.append(entry)
            Self.trim(&state)
        }
    }

    /// The newest `count` entries, newest first (all of them when `count` is nil).
    func newest(_ count: Int?) -> [SlowLogEntry] {
        state.withLock { state in
            Array(state.entries.suffix(min(count ?? state.entries.count, state.entries.count)).reversed())
        }
    }

    var count: Int { state.withLock { $0.entries.count } }

    func reset() {
        state.withLock { $0.entries.removeAll() }
    }

    private static func trim(_ state: inout State) {
        let excess = state.entries.count - state.maxLength
        if excess > 0 { state.entries.removeFirst(excess) }
    }
}
