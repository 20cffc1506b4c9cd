import SidecacheConfig
import Testing

/// The `tls` section (the listeners' certificate and the TLS port) and `upstream.tls`.
struct TLSConfigurationTests {
    @Test func listenerSection() throws {
        let configuration = try SidecacheConfiguration.decode(
            yaml: """
                server:
                  port: 0
                tls:
                  port: 6381
                  cert_file: /etc/sidecache/server.crt
                  key_file: /etc/sidecache/server.key
                  ca_cert_file: /etc/sidecache/ca.crt
                  auth_clients: optional
                  protocols: "TLSv1.3"
                  ciphers: ECDHE-RSA-AES256-GCM-SHA384
                """
        )
        #expect(configuration.tls.port == 6381)
        #expect(configuration.tls.isListening)
        #expect(configuration.tls.certFile == "/etc/sidecache/server.crt")
        #expect(configuration.tls.keyFile == "/etc/sidecache/server.key")
        #expect(configuration.tls.caCertFile == "/etc/sidecache/ca.crt")
        #expect(configuration.tls.authClients == .optional)
        #expect(configuration.tls.protocols == [.tlsv1_3])
        #expect(configuration.tls.ciphers == "ECDHE-RSA-AES256-GCM-SHA384")
    }

    @Test func defaultsFollowRedis() {
        let tls = TLSListenerConfiguration()
        #expect(tls.port == nil)
        #expect(!tls.isListening)
        #expect(tls.authClients == .yes)
        #expect(tls.protocols == [.tlsv1_2, .tlsv1_3])
    }

    @Test(arguments: [("yes", TLSClientAuthentication.yes), ("no", .no), ("optional", .optional), ("true", .yes), ("off", .no)])
    func authClientsValues(text: String, expected: TLSClientAuthentication) throws {
        let yaml = "tls:\n  auth_clients: \(text)\n"
        #expect(try SidecacheConfiguration.decode(yaml: yaml).tls.authClients == expected)
    }

    @Test func protocolsAsListOrWords() throws {
        let list = try SidecacheConfiguration.decode(yaml: "tls:\n  protocols: [TLSv1.2, tlsv1.3]\n")
        #expect(list.tls.protocols == [.tlsv1_2, .tlsv1_3])
        let words = try SidecacheConfiguration.decode(yaml: "tls:\n  protocols: TLSv1.1 TLSv1.2\n")
        #expect(words.tls.protocols == [.tlsv1_1, .tlsv1_2])
    }

    @Test func badValuesAreReported() {
        #expect(problems(in: "tls:\n  port: 70000\n").map(\.path) == ["tls.port"])
        #expect(problems(in: "tls:\n  auth_clients: maybe\n").first?.message == "must be yes, no or optional, got 'maybe'")
        #expect(problems(in: "tls:\n  protocols: SSLv3\n").map(\.path) == ["tls.protocols"])
        #expect(problems(in: "tls:\n  protocols: \"\"\n").map(\.path) == ["tls.protocols"])
    }

    @Test func aTLSPortNeedsItsFiles() {
        let bare = problems(in: "tls:\n  port: 6381\n")
        #expect(bare.map(\.description) == [
            "tls: a TLS port needs cert_file and key_file",
            "tls: auth_clients yes needs ca_cert_file (or set auth_clients: no)",
        ])
        let gap = problems(in: "tls:\n  protocols: TLSv1.1 TLSv1.3\n")
        #expect(gap.map(\.path) == ["tls"])
        // Without a port, nothing is required: the admin API may use the files alone.
        #expect(throws: Never.self) { try SidecacheConfiguration.decode(yaml: "tls:\n  auth_clients: yes\n") }
        #expect(throws: Never.self) {
            try SidecacheConfiguration.decode(yaml: "tls:\n  port: 6381\n  cert_file: a\n  key_file: b\n  auth_clients: no\n")
        }
    }

    @Test func upstreamSection() throws {
        let configuration = try SidecacheConfiguration.decode(
            yaml: """
                upstream:
                  mode: single
                  nodes: ["redis.internal:6380"]
                  tls:
                    enabled: yes
                    ca_cert_file: /etc/ssl/redis-ca.crt
                    cert_file: client.crt
                    key_file: client.key
                    server_name: redis.internal
                    verify: ca
                """
        )
        let tls = configuration.upstream.tls
        #expect(tls.enabled)
        #expect(tls.caCertFile == "/etc/ssl/redis-ca.crt")
        #expect(tls.certFile == "client.crt")
        #expect(tls.keyFile == "client.key")
        #expect(tls.serverName == "redis.internal")
        #expect(tls.verify == .ca)
        #expect(UpstreamTLSConfiguration().verify == .full)
        #expect(!UpstreamTLSConfiguration().enabled)
    }

    @Test func upstreamClientCertificateNeedsItsKey() {
        let lonely = problems(in: "upstream:\n  tls:\n    enabled: yes\n    cert_file: client.crt\n")
        #expect(lonely.map(\.path) == ["upstream"])
        #expect(problems(in: "upstream:\n  tls:\n    verify: maybe\n").map(\.path) == ["upstream.tls.verify"])
        #expect(problems(in: "upstream:\n  tls:\n    enable: yes\n").map(\.path) == ["upstream.tls.enable"])
    }

    @Test func redissURLTurnsTLSOn() {
        var upstream = UpstreamConfiguration()
        #expect(upstream.applySingleURL("rediss://app:pw@cache.internal:6380") == nil)
        #expect(upstream.mode == .single)
        #expect(upstream.nodes == [UpstreamNodeConfiguration(host: "cache.internal", port: 6380)])
        #expect(upstream.username == "app")
        #expect(upstream.tls.enabled)
        var plain = UpstreamConfiguration()
        #expect(plain.applySingleURL("redis://cache.internal") == nil)
        #expect(!plain.tls.enabled)
        #expect(plain.applySingleURL("http://x")?.contains("rediss://") == true)
    }
}
