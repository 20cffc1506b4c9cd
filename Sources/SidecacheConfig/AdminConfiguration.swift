/// The `admin` section: the HTTP admin API's listener and its bearer token.
public struct AdminConfiguration: Sendable, Equatable {
    /// `listen`: host and port of the admin HTTP listener; port 0 turns the API off.
    public var listen = AdminListenAddress(host: "127.0.0.1", port: 8080)
    /// `token`: the bearer token that state-changing requests must carry; nil: see `tokenEnvironment`.
    public var token: String?
    /// `token_env`: the environment variable that holds the token when `token` is not set.
    public var tokenEnvironment: String? = "SIDECACHE_ADMIN_TOKEN"
    /// `token_required_for_reads`: whether reads need the token too.
    public var tokenRequiredForReads = false

    public init() {}

    /// The token in force: `token`, else the value of the variable `tokenEnvironment` names in
    /// `environment`, else nil (then nothing may change state through the API).
    public func resolvedToken(environment: [String: String]) -> String? {
        if let token { return token }
        guard let name = tokenEnvironment, let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// `host:port` of a listener; `[v6]:port` for an IPv6 literal.
public struct AdminListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `host:port` or `[v6]:port`; nil when the text is not one.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension AdminConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("listen", \.listen, .listenAddress),
            ConfigurationKey("token", \.token, .optionalText),
            ConfigurationKey("token_env", \.tokenEnvironment, .optionalText),
            ConfigurationKey("token_required_for_reads", \.tokenRequiredForReads, .boolean),
        ]
    }
}

extension ValueReader<AdminListenAddress> {
    /// `host:port`, or `[v6]:port`, with a port from 0 to 65535.
    static var listenAddress: Self {
        .expecting("host:port (for example 127.0.0.1:8080; [::1]:8080 for IPv6) with a port between 0 and 65535") {
            node in node.textValue.flatMap(AdminListenAddress.init(parsing:))
        }
    }
}

extension ValueReader<String> {
    /// Any non-empty text.
    static var text: Self {
        .expecting("a non-empty string") { node in node.textValue.flatMap { $0.isEmpty ? nil : $0 } }
    }
}
