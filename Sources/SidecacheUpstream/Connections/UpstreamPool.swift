public import NIOCore
public import SidecacheRESP

/// The connections of one event loop to every node: `connectionsPerNode` shared connections
/// per node and protocol version, opened on first use. Clients of this loop multiplex their
/// requests onto them, so a request and its reply never change threads.
///
/// Used only on `eventLoop` (hence unchecked `Sendable`: the group hands pools out by loop).
public final class UpstreamPool: @unchecked Sendable {
    public let eventLoop: any EventLoop
    private let group: UpstreamGroup
    /// Indexed by protocol (RESP2, RESP3), then `node * connectionsPerNode + slot`.
    private var shared: [[UpstreamConnection?]]
    private var closed = false

    init(eventLoop: any EventLoop, group: UpstreamGroup) {
        self.eventLoop = eventLoop
        self.group = group
        self.shared = [[], [], [], []]
    }

    /// The shared connection to `node` for a client: the same one for the same `affinity`, so
    /// that one client's requests to one node keep their order on one connection.
    ///
    /// - Parameter readOnly: a connection that has sent READONLY (reads from a cluster replica).
    public func connection(
        node: Int, affinity: Int, protocolVersion: RESPProtocolVersion, readOnly: Bool = false
    ) -> UpstreamConnection {
        let kind = (protocolVersion == .resp3 ? 1 : 0) + (readOnly ? 2 : 0)
        let index = node * group.connectionsPerNode + affinity % group.connectionsPerNode
        if index < shared[kind].count, let connection = shared[kind][index] { return connection }
        // Nodes a topology discovers later get their slots on first use.
        if index >= shared[kind].count { shared[kind] += Array(repeating: nil, count: index + 1 - shared[kind].count) }
        var settings = group.settings(node: node, protocolVersion: protocolVersion)
        settings.readOnly = readOnly
        let connection = UpstreamConnection(eventLoop: eventLoop, settings: settings, health: group.node(node))
        if closed { connection.close() }
        shared[kind][index] = connection
        return connection
    }

    /// A connection of its own for one client (transactions, blocking commands), which the
    /// client closes when done with it.
    public func dedicatedConnection(node: Int, protocolVersion: RESPProtocolVersion) -> UpstreamConnection {
        let connection = UpstreamConnection(
            eventLoop: eventLoop,
            settings: group.settings(node: node, protocolVersion: protocolVersion),
            health: group.node(node),
            reconnects: false
        )
        if closed { connection.close() }
        return connection
    }

    /// Closes every shared connection (server shutdown).
    func closeAll() {
        closed = true
        for connection in shared.joined() { connection?.close() }
    }
}
