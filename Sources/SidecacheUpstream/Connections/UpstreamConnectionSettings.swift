public import SidecacheRESP

/// How connections to one node are opened and how long they wait.
public struct UpstreamConnectionSettings: Sendable, Equatable {
    public var address: UpstreamAddress
    /// AUTH credentials sent first on every connection; no AUTH when `password` is nil.
    public var username: String?
    public var password: String?
    public var connectTimeoutMilliseconds: Int
    public var commandTimeoutMilliseconds: Int
    /// Requests waiting for their replies on one connection before new ones are refused.
    public var maxInFlight: Int
    /// RESP3 connections (HELLO 3) carry the requests of RESP3 clients.
    public var protocolVersion: RESPProtocolVersion
    /// The limits replies are read with.
    public var replyLimits: RESPLimits
    /// The connection sends READONLY first: a cluster replica then answers reads of its
    /// primary's slots instead of redirecting them.
    public var readOnly = false
    /// TLS on the connection; nil for plain TCP.
    public var tls: UpstreamTLS?

    public init(
        address: UpstreamAddress,
        username: String? = nil,
        password: String? = nil,
        connectTimeoutMilliseconds: Int = 1000,
        commandTimeoutMilliseconds: Int = 1000,
        maxInFlight: Int = 10_000,
        protocolVersion: RESPProtocolVersion = .resp2,
        replyLimits: RESPLimits = RESPLimits(),
        tls: UpstreamTLS? = nil
    ) {
        self.address = address
        self.username = username
        self.password = password
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.commandTimeoutMilliseconds = commandTimeoutMilliseconds
        self.maxInFlight = maxInFlight
        self.protocolVersion = protocolVersion
        self.replyLimits = replyLimits
        self.tls = tls
    }

    /// The requests that open a connection: HELLO 3 (with AUTH) for RESP3, else AUTH alone.
    var handshake: [[String]] {
        let credentials = password.map { [username ?? "default", $0] }
        var requests: [[String]] = []
        if protocolVersion == .resp3 {
            requests.append(["HELLO", "3"] + (credentials.map { ["AUTH"] + $0 } ?? []))
        } else if let password {
            requests.append(["AUTH"] + (username.map { [$0] } ?? []) + [password])
        }
        if readOnly { requests.append(["READONLY"]) }
        return requests
    }
}
