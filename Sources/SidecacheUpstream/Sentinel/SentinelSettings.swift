/// Where the sentinels are, which primary they are asked about, and how long each step waits.
public struct SentinelSettings: Sendable, Equatable {
    /// The sentinels, in the order they are tried first; the one that answers moves to the front.
    public var sentinels: [UpstreamAddress]
    /// The name the sentinels monitor the primary under (`sentinel monitor NAME ...`).
    public var masterName: String
    /// AUTH for the sentinels themselves (`requirepass` / ACL users in sentinel mode); no AUTH
    /// when `sentinelPassword` is nil.
    public var sentinelUsername: String?
    public var sentinelPassword: String?
    /// AUTH for the primary, needed to ask it `ROLE`; the upstream's own credentials.
    public var primaryUsername: String?
    public var primaryPassword: String?
    /// The wait for a TCP connection to a sentinel or the primary (the sentinel client spec
    /// asks for a short one: a few hundred milliseconds).
    public var connectTimeoutMilliseconds: Int
    /// The wait for each reply.
    public var commandTimeoutMilliseconds: Int
    /// How often the sentinels are asked again, whatever the subscription says: the safety
    /// net for a `+switch-master` that was missed, and the retry after a failed discovery.
    /// The subscription connection is also pinged at this interval.
    public var refreshIntervalMilliseconds: Int
    /// TLS to the sentinels and to the primary (a TLS deployment's sentinels listen on TLS too).
    public var tls: UpstreamTLS?

    public init(
        sentinels: [UpstreamAddress],
        masterName: String,
        sentinelUsername: String? = nil,
        sentinelPassword: String? = nil,
        primaryUsername: String? = nil,
        primaryPassword: String? = nil,
        connectTimeoutMilliseconds: Int = 500,
        commandTimeoutMilliseconds: Int = 1000,
        refreshIntervalMilliseconds: Int = 5000,
        tls: UpstreamTLS? = nil
    ) {
        self.sentinels = sentinels
        self.masterName = masterName
        self.sentinelUsername = sentinelUsername
        self.sentinelPassword = sentinelPassword
        self.primaryUsername = primaryUsername
        self.primaryPassword = primaryPassword
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.commandTimeoutMilliseconds = commandTimeoutMilliseconds
        self.refreshIntervalMilliseconds = refreshIntervalMilliseconds
        self.tls = tls
    }

    /// The requests that open a connection to a sentinel: AUTH when credentials are set.
    var sentinelHandshake: [String]? {
        guard let sentinelPassword else { return nil }
        return ["AUTH"] + (sentinelUsername.map { [$0] } ?? []) + [sentinelPassword]
    }
}
