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

    public init(
        address: UpstreamAddress,
        username: String? = nil,
        password: String? = nil,
        connectTimeoutMilliseconds: Int = 1000,
        commandTimeoutMilliseconds: Int = 1000,
        maxInFlight: Int = 10_000,
        protocolVersion: RESPProtocolVersion = .resp2,
        replyLimits: RESPLimits = RESPLimits()
    ) {
        self.address = address
        self.username = username
        self.password = password
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.commandTimeoutMilliseconds = commandTimeoutMilliseconds
        self.maxInFlight = maxInFlight
        self.protocolVersion = protocolVersion
        self.replyLimits = replyLimits
    }

    /// The requests that open a connection: HELLO 3 (with AUTH) for RESP3, else AUTH alone.
    var handshake: [[String]] {
        let credentials = password.map { [username ?? "default", $0] }
        if protocolVersion == .resp3 {
            return [["HELLO", "3"] + (credentials.map { ["AUTH"] + $0 } ?? [])]
        }
        guard let password else { return [] }
        return [["AUTH"] + (username.map { [$0] } ?? []) + [password]]
    }
}
