import NIOCore
public import NIOSSL

/// TLS on upstream connections: one context shared by every connection (built once from the
/// configuration), and the name each node is verified under.
public struct UpstreamTLS: Sendable, Equatable {
    public let context: NIOSSLContext
    /// The name sent as SNI and verified in every node's certificate; nil for each node's host.
    public let serverName: String?

    public init(context: NIOSSLContext, serverName: String? = nil) {
        self.context = context
        self.serverName = serverName
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.context === rhs.context && lhs.serverName == rhs.serverName
    }

    /// Adds the TLS client handler for a connection to `host` at the front of `channel`'s
    /// pipeline. A host that is an IP address is not sent as SNI (TLS forbids it); the
    /// certificate is then checked against the connected address.
    func addClientHandler(to channel: any Channel, host: String) throws {
        let name = serverName ?? (Self.isIPAddress(host) ? nil : host)
        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: name))
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
