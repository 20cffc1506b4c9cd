import SidecacheConfig
import SidecacheRESP
import SidecacheUpstream

extension UpstreamGroup {
    /// The upstream of `configuration`; `nil` in standalone mode (`mode: none`).
    static func make(_ configuration: SidecacheConfiguration, replyLimits: RESPLimits, tls: UpstreamTLS?) -> UpstreamGroup? {
        let upstream = configuration.upstream
        guard upstream.mode != .none else { return nil }
        return UpstreamGroup(
            template: connectionTemplate(upstream, replyLimits: replyLimits, tls: tls),
            // Sentinel mode's nodes are the sentinels and cluster mode's the seeds: the nodes
            // requests go to are registered as they are found.
            addresses: upstream.mode == .sentinel || upstream.mode == .cluster
                ? [] : upstream.nodes.map { UpstreamAddress(host: $0.host, port: $0.port) },
            connectionsPerNode: upstream.connections,
            failureLimit: upstream.failureLimit,
            retryTimeoutMilliseconds: upstream.retryTimeoutMilliseconds,
            healthCheckIntervalMilliseconds: upstream.healthCheckIntervalMilliseconds
        )
    }

    /// The settings of every upstream connection but its address.
    static func connectionTemplate(_ upstream: UpstreamConfiguration, replyLimits: RESPLimits, tls: UpstreamTLS?) -> UpstreamConnectionSettings {
        UpstreamConnectionSettings(
            address: UpstreamAddress(host: "", port: 0),
            username: upstream.username,
            password: upstream.password,
            connectTimeoutMilliseconds: upstream.connectTimeoutMilliseconds,
            commandTimeoutMilliseconds: upstream.commandTimeoutMilliseconds,
            maxInFlight: upstream.maxInFlight,
            replyLimits: replyLimits,
            tls: tls
        )
    }
}

extension UpstreamRouter {
    /// The router of `upstream`; `nil` in standalone mode. The configuration was validated
    /// whole (node names unique, weights positive), so the ring builds.
    static func make(_ upstream: UpstreamConfiguration, replyLimits: RESPLimits, tls: UpstreamTLS?) -> UpstreamRouter? {
        switch upstream.mode {
        case .none:
            return nil
        case .sharded:
            let nodes = upstream.nodes.map {
                ShardNode(address: UpstreamAddress(host: $0.host, port: $0.port), weight: $0.weight, name: $0.name)
            }
            do {
                let ring = try ShardRing(
                    nodes: nodes,
                    hash: ShardHashFunction(rawValue: upstream.hash.rawValue) ?? .default,
                    distribution: ShardDistribution(rawValue: upstream.distribution.rawValue) ?? .ketama,
                    hashTag: upstream.hashTag.flatMap(ShardHashTag.init)
                )
                return UpstreamRouter(topology: .sharded(ring), nodeCount: nodes.count, fanOutDangerous: upstream.fanOutDangerous)
            } catch {
                preconditionFailure("a validated sharded configuration must build its ring: \(error)")
            }
        case .sentinel:
            let settings = SentinelSettings(
                sentinels: upstream.nodes.map { UpstreamAddress(host: $0.host, port: $0.port) },
                masterName: upstream.sentinelMaster ?? "mymaster",
                sentinelPassword: upstream.sentinelPassword,
                primaryUsername: upstream.username,
                primaryPassword: upstream.password,
                connectTimeoutMilliseconds: upstream.connectTimeoutMilliseconds,
                commandTimeoutMilliseconds: upstream.commandTimeoutMilliseconds,
                tls: tls
            )
            return UpstreamRouter(topology: .sentinel(SentinelPrimary(settings: settings)), nodeCount: 1, fanOutDangerous: false)
        case .cluster:
            let discovery = ClusterDiscovery(
                seeds: upstream.nodes.map { UpstreamAddress(host: $0.host, port: $0.port) },
                settings: UpstreamGroup.connectionTemplate(upstream, replyLimits: replyLimits, tls: tls)
            )
            let topology = ClusterTopology(discovery: discovery, refreshIntervalMilliseconds: upstream.clusterRefreshIntervalMilliseconds)
            return UpstreamRouter(
                topology: .cluster(topology), nodeCount: 0, fanOutDangerous: upstream.fanOutDangerous, readFrom: upstream.readFrom
            )
        case .single:
            return UpstreamRouter(topology: .single, nodeCount: 1, fanOutDangerous: upstream.fanOutDangerous)
        }
    }
}
