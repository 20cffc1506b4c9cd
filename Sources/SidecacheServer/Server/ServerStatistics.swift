import Synchronization

/// Server-wide counters reported by INFO `stats` and `commandstats`.
///
/// Sessions count per command locally and merge here once per read batch, so the hot
/// path takes no shared lock per command.
final class ServerStatistics: Sendable {
    struct CommandCounters: Sendable {
        var calls = 0
        var microseconds = 0
        var rejectedCalls = 0
        var failedCalls = 0
        /// Calls by latency, for the Prometheus histograms.
        var latency = LatencyBuckets()

        mutating func add(_ other: CommandCounters) {
            calls += other.calls
            microseconds += other.microseconds
            rejectedCalls += other.rejectedCalls
            failedCalls += other.failedCalls
            latency.add(other.latency)
        }

        /// One executed call.
        @inline(__always)
        mutating func record(microseconds: Int, failed: Bool) {
            calls += 1
            self.microseconds += microseconds
            if failed { failedCalls += 1 }
            latency.record(microseconds: microseconds)
        }
    }

    struct Totals: Sendable {
        var connectionsReceived = 0
        var rejectedConnections = 0
        var commandsProcessed = 0
        var netInputBytes = 0
        var netOutputBytes = 0
        var errorReplies = 0
        var readsProcessed = 0
        var writesProcessed = 0
        /// Clients closed over `client-query-buffer-limit` / `client-output-buffer-limit`.
        var queryBufferLimitDisconnections = 0
        var outputBufferLimitDisconnections = 0
        /// ACL denials by reason (Redis 7.2's `acl_access_denied_*`).
        var aclDeniedAuth = 0
        var aclDeniedCommand = 0
        var aclDeniedKey = 0
        var aclDeniedChannel = 0
        /// Indexed by `CommandSpec.id`.
        var commands: [CommandCounters]
    }

    private let state: Mutex<Totals>

    init(commandCount: Int) {
        state = Mutex(Totals(commands: Array(repeating: CommandCounters(), count: commandCount)))
    }

    func update(_ body: (inout Totals) -> Void) {
        state.withLock { body(&$0) }
    }

    var snapshot: Totals { state.withLock { $0 } }

    /// CONFIG RESETSTAT.
    func reset() {
        state.withLock { totals in
            let count = totals.commands.count
            totals = Totals(commands: Array(repeating: CommandCounters(), count: count))
        }
    }
}

/// What one session accumulated since its last merge.
struct SessionStatistics {
    var commandsProcessed = 0
    var netInputBytes = 0
    var netOutputBytes = 0
    var errorReplies = 0
    var reads = 0
    var writes = 0
    /// Counters of the commands run since the last merge, by `CommandSpec.id`.
    private var touched: [Int: ServerStatistics.CommandCounters] = [:]

    /// One executed command: one dictionary access on the hot path.
    mutating func recordCall(commandID: Int, microseconds: Int, failed: Bool) {
        commandsProcessed += 1
        touched[commandID, default: .init()].record(microseconds: microseconds, failed: failed)
    }

    /// A command refused before it ran (arity, authentication).
    mutating func recordRejection(commandID: Int) {
        touched[commandID, default: .init()].rejectedCalls += 1
    }

    /// Adds everything to the server's totals and starts counting afresh.
    mutating func merge(into statistics: ServerStatistics) {
        guard reads > 0 || writes > 0 || errorReplies > 0 || !touched.isEmpty else { return }
        statistics.update { totals in
            totals.commandsProcessed += commandsProcessed
            totals.netInputBytes += netInputBytes
            totals.netOutputBytes += netOutputBytes
            totals.errorReplies += errorReplies
            totals.readsProcessed += reads
            totals.writesProcessed += writes
            for (id, counters) in touched { totals.commands[id].add(counters) }
        }
        touched.removeAll(keepingCapacity: true)
        (commandsProcessed, netInputBytes, netOutputBytes, errorReplies, reads, writes) = (0, 0, 0, 0, 0, 0)
    }
}
