import SidecacheServer

/// GET /v1/stats: the server's statistics as the spec's `Stats`.
enum StatsReport {
    static func make(_ server: SidecacheServer, configurationVersion: Int64) -> Components.Schemas.Stats {
        let stats = server.statisticsSnapshot
        let lookups = stats.keyspace.keyspaceHits + stats.keyspace.keyspaceMisses
        let upstream = server.upstreamNodes
        return Components.Schemas.Stats(
            server: .init(version: SidecacheVersion.current, uptimeSeconds: stats.uptimeSeconds, port: stats.port),
            configuration: .init(version: Int(configurationVersion)),
            clients: .init(
                connected: stats.connectedClients, maxClients: stats.maxClients, totalReceived: stats.connectionsReceived,
                rejected: stats.rejectedConnections
            ),
            memory: .init(
                usedBytes: stats.usedMemory, peakBytes: stats.peakMemory, rssBytes: stats.residentMemory,
                maxmemoryBytes: stats.maxMemory, maxmemoryPolicy: stats.maxMemoryPolicy
            ),
            keyspace: .init(
                hits: stats.keyspace.keyspaceHits, misses: stats.keyspace.keyspaceMisses,
                hitRate: lookups == 0 ? 0 : Double(stats.keyspace.keyspaceHits) / Double(lookups),
                expiredKeys: stats.keyspace.expiredKeys, evictedKeys: stats.keyspace.evictedKeys,
                databases: stats.databases.map { .init(index: $0.index, keys: $0.keys, expires: $0.expires) }
            ),
            commands: .init(
                processed: stats.commandsProcessed, errorReplies: stats.errorReplies,
                byName: stats.commands.map {
                    .init(name: $0.name, calls: $0.calls, microseconds: $0.microseconds, failedCalls: $0.failedCalls, rejectedCalls: $0.rejectedCalls)
                }
            ),
            network: .init(inputBytes: stats.netInputBytes, outputBytes: stats.netOutputBytes),
            upstream: .init(mode: upstream.mode, nodes: upstream.nodes.count, ejected: upstream.nodes.filter(\.health.ejected).count),
            // Statistics per cache rule come with the cache tier; until then there are no rules.
            cache: .init(rules: .init(additionalProperties: [:]))
        )
    }
}
