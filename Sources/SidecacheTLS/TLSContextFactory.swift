public import NIOSSL
public import SidecacheConfig

/// Builds the TLS contexts of the configuration, in one place for every listener (the RESP
/// listener, the admin API) and for the upstream client. Each file is loaded here, so that a
/// missing or broken one is reported with the key that names it, at start-up.
public enum TLSContextFactory {
    /// A listener's NIOSSL configuration (for servers that take one, such as Hummingbird's TLS
    /// channel): the certificate and key, client verification as `auth_clients` says, the
    /// offered versions and ciphers.
    ///
    /// - Throws: `TLSSetupError` naming the key whose file cannot be loaded, or a missing key.
    public static func listenerConfiguration(_ tls: TLSListenerConfiguration) throws(TLSSetupError) -> NIOSSL.TLSConfiguration {
        guard let certFile = tls.certFile, let keyFile = tls.keyFile else {
            throw TLSSetupError("tls: a TLS listener needs cert_file and key_file")
        }
        var configuration = NIOSSL.TLSConfiguration.makeServerConfiguration(
            certificateChain: try certificates("tls.cert_file", certFile).map { .certificate($0) },
            privateKey: .privateKey(try privateKey("tls.key_file", keyFile))
        )
        switch tls.authClients {
        case .no: configuration.certificateVerification = .none
        // A server does not check a client's name, only its chain.
        case .yes: configuration.certificateVerification = .noHostnameVerification
        case .optional: configuration.certificateVerification = .optionalVerification
        }
        if let caCertFile = tls.caCertFile {
            configuration.trustRoots = .certificates(try certificates("tls.ca_cert_file", caCertFile))
        }
        let versions = tls.protocols.sorted()
        if let lowest = versions.first, let highest = versions.last {
            configuration.minimumTLSVersion = lowest.nioVersion
            configuration.maximumTLSVersion = highest.nioVersion
        }
        if let ciphers = tls.ciphers { configuration.cipherSuites = ciphers }
        return configuration
    }

    /// The context of a TLS listener; see `listenerConfiguration(_:)`.
    public static func listenerContext(_ tls: TLSListenerConfiguration) throws(TLSSetupError) -> NIOSSLContext {
        try context(listenerConfiguration(tls), what: "tls")
    }

    /// The upstream client's NIOSSL configuration: the CA (else the system's trust store), an
    /// optional client certificate, and the verification `verify` asks for.
    ///
    /// - Throws: `TLSSetupError` naming the key whose file cannot be loaded.
    public static func upstreamConfiguration(_ tls: UpstreamTLSConfiguration) throws(TLSSetupError) -> NIOSSL.TLSConfiguration {
        var configuration = NIOSSL.TLSConfiguration.makeClientConfiguration()
        switch tls.verify {
        case .full: configuration.certificateVerification = .fullVerification
        case .ca: configuration.certificateVerification = .noHostnameVerification
        case .none: configuration.certificateVerification = .none
        }
        if let caCertFile = tls.caCertFile {
            configuration.trustRoots = .certificates(try certificates("upstream.tls.ca_cert_file", caCertFile))
        }
        if let certFile = tls.certFile, let keyFile = tls.keyFile {
            configuration.certificateChain = try certificates("upstream.tls.cert_file", certFile).map { .certificate($0) }
            configuration.privateKey = .privateKey(try privateKey("upstream.tls.key_file", keyFile))
        }
        return configuration
    }

    /// The upstream client's context, or nil when `enabled` is off.
    public static func upstreamContext(_ tls: UpstreamTLSConfiguration) throws(TLSSetupError) -> NIOSSLContext? {
        guard tls.enabled else { return nil }
        return try context(upstreamConfiguration(tls), what: "upstream.tls")
    }

    /// The PEM certificates in the file at `path`, which `key` names; at least one.
    private static func certificates(_ key: String, _ path: String) throws(TLSSetupError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw TLSSetupError("\(key): cannot load '\(path)': \(error)")
        }
        guard !certificates.isEmpty else { throw TLSSetupError("\(key): '\(path)' holds no PEM certificate") }
        return certificates
    }

    /// The PEM private key in the file at `path`, which `key` names.
    private static func privateKey(_ key: String, _ path: String) throws(TLSSetupError) -> NIOSSLPrivateKey {
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            throw TLSSetupError("\(key): cannot load '\(path)': \(error)")
        }
    }

    private static func context(_ configuration: NIOSSL.TLSConfiguration, what: String) throws(TLSSetupError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            // A key that does not match its certificate, a cipher list that names no cipher.
            throw TLSSetupError("\(what): \(error)")
        }
    }
}

extension TLSProtocolVersion {
    var nioVersion: TLSVersion {
        switch self {
        case .tlsv1: .tlsv1
        case .tlsv1_1: .tlsv11
        case .tlsv1_2: .tlsv12
        case .tlsv1_3: .tlsv13
        }
    }
}
