/// The `tls` section: the certificate, key and trust of Sidecache's TLS listeners, and the port of
/// the TLS RESP listener. The names are redis.conf's `tls-*` options without their prefix.
///
/// The same certificate serves every TLS listener (the RESP one here; the admin API can reuse it),
/// as one `tls-cert-file` serves every TLS port of a Redis server.
public struct TLSListenerConfiguration: Sendable, Equatable {
    /// `port`: TCP port of the TLS RESP listener; nil (the default) for none, 0 for an ephemeral
    /// port. With a TLS port, `server.port: 0` turns the plain listener off, as Redis's `port 0`.
    public var port: Int?
    /// `cert_file` and `key_file`: the server's certificate chain and private key (PEM).
    public var certFile: String?
    public var keyFile: String?
    /// `ca_cert_file`: the certificates (PEM) client certificates are verified against.
    public var caCertFile: String?
    /// `auth_clients`: whether clients must present a certificate signed by `ca_cert_file`.
    public var authClients = TLSClientAuthentication.yes
    /// `protocols`: the TLS versions offered.
    public var protocols: Set<TLSProtocolVersion> = [.tlsv1_2, .tlsv1_3]
    /// `ciphers`: the TLS 1.2 cipher list in OpenSSL's syntax; nil for the library's default.
    /// (TLS 1.3's suites are not configurable with BoringSSL.)
    public var ciphers: String?

    public init() {}

    /// Whether a TLS RESP listener is configured.
    public var isListening: Bool { port != nil }
}

/// redis.conf's `tls-auth-clients`: `yes` requires a client certificate, `optional` verifies one
/// when it is presented, `no` does not ask for one.
public enum TLSClientAuthentication: String, Sendable, CaseIterable {
    case yes, no, optional
}

/// A TLS version as redis.conf's `tls-protocols` names it.
public enum TLSProtocolVersion: String, Sendable, CaseIterable, Comparable {
    case tlsv1 = "TLSv1"
    case tlsv1_1 = "TLSv1.1"
    case tlsv1_2 = "TLSv1.2"
    case tlsv1_3 = "TLSv1.3"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension TLSListenerConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("port", \.port, .optionalPort),
            ConfigurationKey("cert_file", \.certFile, .optionalText),
            ConfigurationKey("key_file", \.keyFile, .optionalText),
            ConfigurationKey("ca_cert_file", \.caCertFile, .optionalText),
            ConfigurationKey("auth_clients", \.authClients, .clientAuthentication),
            ConfigurationKey("protocols", \.protocols, .tlsProtocols),
            ConfigurationKey("ciphers", \.ciphers, .optionalText),
        ]
    }

    /// What a TLS listener needs besides each key's own value: Redis's rules (a certificate and
    /// key; a CA when client certificates are checked), and versions without a gap.
    var crossKeyProblems: [String] {
        var problems: [String] = []
        if isListening && (certFile == nil || keyFile == nil) {
            problems.append("a TLS port needs cert_file and key_file")
        }
        if isListening && authClients != .no && caCertFile == nil {
            problems.append("auth_clients \(authClients.rawValue) needs ca_cert_file (or set auth_clients: no)")
        }
        let offered = TLSProtocolVersion.allCases.filter(protocols.contains)
        if let first = offered.first, let last = offered.last,
            TLSProtocolVersion.allCases.filter({ $0 >= first && $0 <= last }).count != offered.count
        {
            problems.append("protocols must be consecutive versions (TLS offers a range), got \(offered.map(\.rawValue).joined(separator: " "))")
        }
        return problems
    }
}
