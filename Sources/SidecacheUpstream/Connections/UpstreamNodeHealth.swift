import NIOCore
import Synchronization

/// The health of one node, shared by every connection to it on every event loop: consecutive
/// failures, and whether the node is ejected (twemproxy's `auto_eject_hosts`).
///
/// A node that fails `failureLimit` times in a row is ejected for `retryTimeout`: requests to
/// it fail at once instead of waiting for timeouts. It returns only when the health check's
/// probe (a PING sent after the retry timeout) is answered, never on a client's request.
public final class UpstreamNodeHealth: Sendable {
    public let address: UpstreamAddress
    let failureLimit: Int
    let retryTimeoutNanoseconds: UInt64
    private let failures = Atomic<Int>(0)
    /// Uptime nanoseconds until which the node stays out; 0 when it is in.
    let ejectedUntil = Atomic<UInt64>(0)
    private let counters = Mutex(Counters())

    struct Counters {
        var lastFailure: String?
        var ejections = 0
        var latencyMicroseconds: Int?
    }

    public init(address: UpstreamAddress, failureLimit: Int, retryTimeoutMilliseconds: Int) {
        self.address = address
        self.failureLimit = failureLimit
        self.retryTimeoutNanoseconds = UInt64(retryTimeoutMilliseconds) * 1_000_000
    }

    /// Whether requests may be sent to the node now.
    public var isEjected: Bool { ejectedUntil.load(ordering: .relaxed) != 0 }

    /// Whether an ejected node's retry timeout has passed, so that the health check may probe it.
    func isDueForProbe(now: UInt64) -> Bool {
        let until = ejectedUntil.load(ordering: .relaxed)
        return until != 0 && now >= until
    }

    /// A reply arrived: the run of failures is over (an ejected node stays out until probed).
    @inline(__always)
    func recordSuccess() {
        if failures.load(ordering: .relaxed) != 0 { failures.store(0, ordering: .relaxed) }
    }

    /// A connection attempt failed, a request timed out or a connection broke. Returns whether
    /// this failure ejected the node.
    @discardableResult
    func recordFailure(_ reason: String, now: UInt64) -> Bool {
        let count = failures.add(1, ordering: .relaxed).newValue
        counters.withLock { $0.lastFailure = reason }
        guard count >= failureLimit, ejectedUntil.load(ordering: .relaxed) == 0 else { return false }
        ejectedUntil.store(now + retryTimeoutNanoseconds, ordering: .relaxed)
        counters.withLock { $0.ejections += 1 }
        return true
    }

    /// The probe of an ejected node was answered: it takes requests again.
    func probeSucceeded(latencyMicroseconds: Int) {
        failures.store(0, ordering: .relaxed)
        ejectedUntil.store(0, ordering: .relaxed)
        counters.withLock { $0.latencyMicroseconds = latencyMicroseconds }
    }

    /// The probe of an ejected node failed: it stays out for another retry timeout.
    func probeFailed(_ reason: String, now: UInt64) {
        counters.withLock { $0.lastFailure = reason }
        ejectedUntil.store(now + retryTimeoutNanoseconds, ordering: .relaxed)
    }

    /// A routine health check of a node in service was answered.
    func recordLatency(microseconds: Int) {
        counters.withLock { $0.latencyMicroseconds = microseconds }
    }

    /// The error for requests refused while the node is ejected.
    func ejectedFailure(now: UInt64) -> UpstreamFailure {
        let until = ejectedUntil.load(ordering: .relaxed)
        let remaining = until > now ? (until - now) / 1_000_000 : 0
        let reason = counters.withLock { $0.lastFailure } ?? "failures"
        return UpstreamFailure(
            "ERR upstream \(address) is ejected after \(failureLimit) consecutive failures (last: \(reason)); next probe in \(remaining) ms"
        )
    }

    /// What INFO and the admin API show of the node.
    public struct Snapshot: Sendable {
        public var address: UpstreamAddress
        public var ejected: Bool
        public var consecutiveFailures: Int
        public var ejections: Int
        public var lastFailure: String?
        public var latencyMicroseconds: Int?
    }

    public var snapshot: Snapshot {
        counters.withLock { counters in
            Snapshot(
                address: address,
                ejected: isEjected,
                consecutiveFailures: failures.load(ordering: .relaxed),
                ejections: counters.ejections,
                lastFailure: counters.lastFailure,
                latencyMicroseconds: counters.latencyMicroseconds
            )
        }
    }
}
