public import NIOCore
import SidecacheRESP
import Synchronization

/// Everything the server talks to upstream with: the nodes, their health, the per-loop pools
/// of connections and the health checks.
///
/// Nodes are numbered in the order they become known: the configured ones first, then any a
/// topology discovers later (cluster nodes, a new Sentinel primary). A number is never reused,
/// so a request tagged with its node finds the same node whatever changed since.
public final class UpstreamGroup: Sendable {
    public let connectionsPerNode: Int
    /// Credentials, timeouts and limits shared by every node; the address is each node's own.
    private let template: UpstreamConnectionSettings
    private let failureLimit: Int
    private let retryTimeoutMilliseconds: Int
    private let healthCheckIntervalMilliseconds: Int
    private let registry = Mutex(Registry())
    private let pools = Mutex<[ObjectIdentifier: UpstreamPool]>([:])
    private let checks = Mutex(HealthChecks())

    private struct Registry {
        var nodes: [UpstreamNodeHealth] = []
        var indexByAddress: [UpstreamAddress: Int] = [:]
    }

    private struct HealthChecks {
        var eventLoop: (any EventLoop)?
        var running: [UpstreamHealthCheck] = []
    }

    /// - Parameters:
    ///   - template: the settings of every connection (its address is replaced by each node's).
    ///   - addresses: the configured nodes, numbered from 0 in this order.
    public init(
        template: UpstreamConnectionSettings,
        addresses: [UpstreamAddress],
        connectionsPerNode: Int,
        failureLimit: Int,
        retryTimeoutMilliseconds: Int,
        healthCheckIntervalMilliseconds: Int
    ) {
        self.template = template
        self.connectionsPerNode = connectionsPerNode
        self.failureLimit = failureLimit
        self.retryTimeoutMilliseconds = retryTimeoutMilliseconds
        self.healthCheckIntervalMilliseconds = healthCheckIntervalMilliseconds
        for address in addresses { register(address) }
    }

    /// Every node known so far, by number.
    public var nodes: [UpstreamNodeHealth] { registry.withLock { $0.nodes } }

    public func node(_ index: Int) -> UpstreamNodeHealth { registry.withLock { $0.nodes[index] } }

    /// The number of `address`, registering it (and starting its health check) when new.
    @discardableResult
    public func register(_ address: UpstreamAddress) -> Int {
        let (index, added) = registry.withLock { registry -> (Int, UpstreamNodeHealth?) in
            if let index = registry.indexByAddress[address] { return (index, nil) }
            let health = UpstreamNodeHealth(
                address: address, failureLimit: failureLimit, retryTimeoutMilliseconds: retryTimeoutMilliseconds
            )
            registry.nodes.append(health)
            registry.indexByAddress[address] = registry.nodes.count - 1
            return (registry.nodes.count - 1, health)
        }
        if let added, let eventLoop = checks.withLock({ $0.eventLoop }) { startHealthCheck(of: added, on: eventLoop) }
        return index
    }

    func settings(node: Int, protocolVersion: RESPProtocolVersion) -> UpstreamConnectionSettings {
        var settings = template
        settings.address = self.node(node).address
        settings.protocolVersion = protocolVersion
        return settings
    }

    /// The settings a connection of the sidecar's own to `address` uses (RESP2).
    public func settings(for address: UpstreamAddress) -> UpstreamConnectionSettings {
        var settings = template
        settings.address = address
        settings.protocolVersion = .resp2
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

    /// Starts the periodic PING of every node, known now or later, on `eventLoop`.
    public func startHealthChecks(on eventLoop: any EventLoop) {
        checks.withLock { $0.eventLoop = eventLoop }
        for health in nodes { startHealthCheck(of: health, on: eventLoop) }
    }

    private func startHealthCheck(of health: UpstreamNodeHealth, on eventLoop: any EventLoop) {
        var settings = template
        settings.address = health.address
        settings.protocolVersion = .resp2
        let check = UpstreamHealthCheck(
            connection: UpstreamConnection(eventLoop: eventLoop, settings: settings, health: health, isProbe: true),
            intervalMilliseconds: healthCheckIntervalMilliseconds
        )
        checks.withLock { $0.running.append(check) }
        eventLoop.execute { check.start() }
    }

    /// Stops the health checks and closes every pooled connection.
    public func shutdown() async {
        let stopping = checks.withLock { checks in
            defer {
                checks.running.removeAll()
                checks.eventLoop = nil
            }
            return checks.running
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
