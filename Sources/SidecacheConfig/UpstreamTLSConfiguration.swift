/// The `upstream.tls` section: TLS on every connection to the upstream nodes (and to the
/// sentinels in sentinel mode). `--upstream rediss://...` turns it on.
public struct UpstreamTLSConfiguration: Sendable, Equatable {
    /// `enabled`: whether upstream connections use TLS.
    public var enabled = false
    /// `ca_cert_file`: the certificates (PEM) the nodes' certificates are verified against; nil
    /// for the system's trust store.
    public var caCertFile: String?
    /// `cert_file` and `key_file`: a client certificate and key (PEM), for nodes with
    /// `tls-auth-clients yes`.
    public var certFile: String?
    public var keyFile: String?
    /// `server_name`: the name sent as SNI and verified in the nodes' certificates; nil for each
    /// node's own host (an IP address is verified against the certificate's IP entries).
    public var serverName: String?
    /// `verify`: how much of a node's certificate is checked.
    public var verify = UpstreamTLSVerification.full

    public init() {}
}

/// How an upstream node's certificate is checked: `full` (signed by the CA and naming the node),
/// `ca` (signed by the CA, any name: for clusters whose certificates do not name every node's
/// address) or `none` (not checked; encryption without authentication).
public enum UpstreamTLSVerification: String, Sendable, CaseIterable {
    case full, ca, none
}

extension UpstreamTLSConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("enabled", \.enabled, .boolean),
            ConfigurationKey("ca_cert_file", \.caCertFile, .optionalText),
            ConfigurationKey("cert_file", \.certFile, .optionalText),
            ConfigurationKey("key_file", \.keyFile, .optionalText),
            ConfigurationKey("server_name", \.serverName, .optionalText),
            ConfigurationKey("verify", \.verify, .choice),
        ]
    }

    var crossKeyProblems: [String] {
        guard enabled, (certFile == nil) != (keyFile == nil) else { return [] }
        return ["tls.cert_file and tls.key_file go together (a client certificate needs its key)"]
    }
}
