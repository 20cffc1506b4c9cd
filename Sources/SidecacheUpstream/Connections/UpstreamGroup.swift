public import NIOCore
import SidecacheRESP
import Synchronization

/// Everything the server talks to upstream with: the nodes, their health, the per-loop pools
/// of connections and the health checks.
public final class UpstreamGroup: Sendable {
    /// One entry per node, in configuration order.
    public let nodes: [UpstreamNodeHealth]
    public let connectionsPerNode: Int
    private let nodeSettings: [UpstreamConnectionSettings]
    private let healthCheckIntervalMilliseconds: Int
    private let pools = Mutex<[ObjectIdentifier: UpstreamPool]>([:])
    private let checks = Mutex<[UpstreamHealthCheck]>([])

    /// - Parameter settings: one per node, RESP2 (RESP3 connections are derived from them).
    public init(
        settings: [UpstreamConnectionSettings],
        connectionsPerNode: Int,
        failureLimit: Int,
        retryTimeoutMilliseconds: Int,
        healthCheckIntervalMilliseconds: Int
    ) {
        self.nodeSettings = settings
        self.connectionsPerNode = connectionsPerNode
        self.healthCheckIntervalMilliseconds = healthCheckIntervalMilliseconds
        self.nodes = settings.map {
            UpstreamNodeHealth(address: $0.address, failureLimit: failureLimit, retryTimeoutMilliseconds: retryTimeoutMilliseconds)
        }
    }

    func settings(node: Int, protocolVersion: RESPProtocolVersion) -> UpstreamConnectionSettings {
        var settings = nodeSettings[node]
        settings.protocolVersion = protocolVersion
        return settings
    }

    /// The pool of `eventLoop`, created on first use.
    public func pool(for eventLoop: any EventLoop) -> UpstreamPool {
        pools.withLock { pools in
            let key = ObjectIdentifier(eventLoop)
            if let pool = pools[key] { return pool }
            let pool = UpstreamPool(eventLoop: eventLoop, group: self)
            pools[key] = pool
            return pool
        }
    }

    /// Starts the periodic PING of every node, on `eventLoop`.
    public func startHealthChecks(on eventLoop: any EventLoop) {
        let interval = healthCheckIntervalMilliseconds
        let started = nodes.indices.map { node in
            UpstreamHealthCheck(
                connection: UpstreamConnection(
                    eventLoop: eventLoop,
                    settings: settings(node: node, protocolVersion: .resp2),
                    health: nodes[node],
                    isProbe: true
                ),
                intervalMilliseconds: interval
            )
        }
        checks.withLock { $0 += started }
        eventLoop.execute { for check in started { check.start() } }
    }

    /// Stops the health checks and closes every pooled connection.
    public func shutdown() async {
        let stopping = checks.withLock { checks in
            defer { checks.removeAll() }
            return checks
        }
        for check in stopping {
            try? await check.eventLoop.submit { check.stop() }.get()
        }
        let all = pools.withLock { Array($0.values) }
        for pool in all {
            try? await pool.eventLoop.submit { pool.closeAll() }.get()
        }
    }
}
