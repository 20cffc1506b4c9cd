import NIOCore
public import SidecacheEngine
public import SidecacheUpstream
import SidecacheConfig

/// What the admin API reads and changes of a running server. Each accessor takes the locks a
/// command would, for as short a time; none blocks the event loops for long.
extension SidecacheServer {
    /// Server-wide counters, as INFO `stats`, `clients`, `memory` and `commandstats` show them.
    package struct StatisticsSnapshot: Sendable {
        package struct Command: Sendable {
            package var name: String
            package var calls: Int
            package var microseconds: Int
            package var failedCalls: Int
            package var rejectedCalls: Int
            package var latency: LatencyBuckets
        }

        package struct DatabaseCount: Sendable {
            package var index: Int
            package var keys: Int
            package var expires: Int
        }

        package var uptimeSeconds: Int
        package var port: Int
        package var connectedClients: Int
        package var maxClients: Int
        package var connectionsReceived: Int
        package var rejectedConnections: Int
        package var commandsProcessed: Int
        package var errorReplies: Int
        package var netInputBytes: Int
        package var netOutputBytes: Int
        package var commands: [Command]
        package var keyspace: KeyspaceStatistics
        package var databases: [DatabaseCount]
        package var usedMemory: Int
        package var peakMemory: Int
        package var residentMemory: Int
        package var maxMemory: Int
        package var maxMemoryPolicy: String
    }

    package var statisticsSnapshot: StatisticsSnapshot {
        let totals = context.statistics.snapshot
        let commands = context.table.all.compactMap { spec -> StatisticsSnapshot.Command? in
            let counters = totals.commands[spec.id]
            guard counters.calls > 0 || counters.rejectedCalls > 0 || counters.failedCalls > 0 else { return nil }
            return .init(
                name: spec.name, calls: counters.calls, microseconds: counters.microseconds,
                failedCalls: counters.failedCalls, rejectedCalls: counters.rejectedCalls,
                latency: counters.latency
            )
        }
        let (keyspace, databases) = context.keyspace.withState { state in
            (state.statistics, state.databases.compactMap { database -> StatisticsSnapshot.DatabaseCount? in
                database.count > 0 ? .init(index: database.index, keys: database.count, expires: database.expiringCount) : nil
            })
        }
        let memory = context.keyspace.memoryReport()
        let config = context.config
        return StatisticsSnapshot(
            uptimeSeconds: Int((Clocks.monotonicNanoseconds() - context.startedNanoseconds) / 1_000_000_000),
            port: context.boundPort.load(ordering: .relaxed),
            connectedClients: context.clients.count, maxClients: config.server.maxClients,
            connectionsReceived: totals.connectionsReceived, rejectedConnections: totals.rejectedConnections,
            commandsProcessed: totals.commandsProcessed, errorReplies: totals.errorReplies,
            netInputBytes: totals.netInputBytes, netOutputBytes: totals.netOutputBytes,
            commands: commands, keyspace: keyspace, databases: databases,
            usedMemory: memory.usedMemory, peakMemory: memory.peakMemory, residentMemory: ProcessMemory.residentBytes(),
            maxMemory: memory.maxMemory, maxMemoryPolicy: memory.policy.rawValue
        )
    }

    /// The running settings CONFIG GET reports, by Redis name; `requirepass` shows whether
    /// one is set, not its value.
    package var redisSettings: [(name: String, value: String)] {
        let config = context.config
        return ConfigCommand.parameters.map { parameter in
            let value = parameter.get(config)
            return (parameter.name, parameter.name == "requirepass" && !value.isEmpty ? "(set)" : value)
        }
    }

    /// The most accessed keys, most accessed first (at most 64 are tracked).
    package func hotKeys(count: Int) -> [HotKey] {
        context.keyspace.hotKeys(limit: count)
    }

    /// The `count` biggest keys of at least `minimumBytes`, by an incremental scan whose every
    /// step holds the keyspace lock for at most 0.5 ms; the task yields between steps.
    package func bigKeys(count: Int, minimumBytes: Int) async -> (keys: [BigKeyScan.BigKey], scanned: Int, steps: Int) {
        let scan = BigKeyScan(keyspace: context.keyspace, limit: count)
        while !scan.isFinished {
            scan.step()
            await Task.yield()
        }
        return (scan.biggest.filter { $0.bytes >= minimumBytes }, scan.keysVisited, scan.steps)
    }

    /// One slow log entry as the admin API shows it.
    package struct SlowLogRecord: Sendable {
        package var id: Int
        package var unixTime: Int64
        package var microseconds: Int
        package var arguments: [[UInt8]]
        package var peer: String
        package var clientName: [UInt8]
    }

    /// The newest `count` slow log entries (all when nil), newest first.
    package func slowLog(count: Int?) -> [SlowLogRecord] {
        context.monitoring.slowLog.newest(count).map {
            SlowLogRecord(
                id: $0.id, unixTime: $0.unixTime, microseconds: $0.microseconds, arguments: $0.arguments,
                peer: $0.peer, clientName: $0.clientName
            )
        }
    }

    /// SLOWLOG RESET.
    package func resetSlowLog() {
        context.monitoring.slowLog.reset()
    }

    /// The connected clients, by id.
    package var clientRecords: [ClientRecord] { context.clients.all }

    /// CLIENT KILL ID: closes the client's connection; false when there is no such client.
    package func killClient(id: UInt64) -> Bool {
        guard let record = context.clients.client(id: id) else { return false }
        record.channel.close(promise: nil)
        return true
    }

    /// One upstream node as the admin API shows it.
    package struct UpstreamNodeRecord: Sendable {
        package var health: UpstreamNodeHealth.Snapshot
        package var role: String
        package var ejectedUntilUptimeNanoseconds: UInt64?
        /// Cluster mode: the slot ranges the node serves as a primary.
        package var slotRanges: [ClosedRange<Int>]
    }

    /// The upstream mode ("none" when standalone) and every node.
    package var upstreamNodes: (mode: String, nodes: [UpstreamNodeRecord]) {
        let mode = context.config.upstream.mode.rawValue
        guard let upstream = context.upstream else { return (mode, []) }
        var ranges: [ClusterSlotRange] = []
        var primaries: Set<String> = []
        var sentinelPrimary: Int?
        switch context.router?.topology {
        case .cluster(let cluster):
            ranges = cluster.current?.map.slotRanges ?? []
            primaries = Set(ranges.map { "\($0.primary)" })
        case .sentinel(let primary):
            sentinelPrimary = primary.currentNode
        default:
            break
        }
        let nodes = upstream.nodes.enumerated().map { index, node in
            let snapshot = node.snapshot
            let address = "\(snapshot.address)"
            let role: String
            switch context.router?.topology {
            case .cluster: role = primaries.contains(address) ? "primary" : "replica"
            case .sentinel: role = index == sentinelPrimary ? "primary" : "former primary"
            case .sharded: role = "shard"
            default: role = "primary"
            }
            return UpstreamNodeRecord(
                health: snapshot, role: role, ejectedUntilUptimeNanoseconds: node.ejectedUntilUptimeNanoseconds,
                slotRanges: ranges.filter { "\($0.primary)" == address }.map(\.slots)
            )
        }
        return (mode, nodes)
    }

    /// Whether every listener is bound.
    package var isListening: Bool { !boundAddresses.isEmpty }

    /// Whether the upstream can take requests: standalone, or at least one node in service.
    package var isUpstreamReachable: Bool {
        guard let upstream = context.upstream else { return true }
        return upstream.nodes.contains { !$0.isEjected && $0.snapshot.consecutiveFailures == 0 }
    }

    /// Deletes `keys` from the local engine (database `database`, or every database), as DEL
    /// does: watchers are told and `del` events published. Returns how many existed.
    package func invalidate(keys: [[UInt8]], database: Int?) -> Int {
        context.keyspace.withState { state in
            var deleted = 0
            for db in state.databases where database == nil || db.index == database {
                for key in keys {
                    key.withUnsafeBytes { key in
                        if db.delete(key) {
                            db.notify(.generic, "del", key: key)
                            deleted += 1
                        }
                    }
                }
            }
            state.statistics.changes += deleted
            return deleted
        }
    }

    /// Deletes every local key that starts with `prefix`, by a SCAN-ordered walk that holds the
    /// keyspace lock for at most about 1,000 keys at a time. Keys written during the walk may
    /// or may not be seen. Returns how many were deleted.
    package func invalidate(prefix: [UInt8], database: Int?) async -> Int {
        var deleted = 0
        for index in 0..<context.keyspace.databaseCount where database == nil || index == database {
            var cursor: UInt64 = 0
            repeat {
                let (next, matched) = context.keyspace.withState { state -> (UInt64, [[UInt8]]) in
                    let db = state.databases[index]
                    var matched: [[UInt8]] = []
                    var visited = 0
                    var cursor = cursor
                    repeat {
                        cursor = db.scan(cursor: cursor) { entry in
                            visited += 1
                            entry.withKey { if $0.starts(with: prefix) { matched.append(Array($0)) } }
                        }
                    } while cursor != 0 && visited < 1000
                    return (cursor, matched)
                }
                deleted += invalidate(keys: matched, database: index)
                cursor = next
                await Task.yield()
            } while cursor != 0
        }
        return deleted
    }

    /// FLUSHALL of the local engine only. Returns how many keys were removed.
    package func flushLocal() -> Int {
        context.keyspace.withState { state in
            var removed = 0
            for database in state.databases { removed += database.removeAll() }
            state.statistics.changes += removed
            return removed
        }
    }
}
