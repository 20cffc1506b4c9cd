import Foundation
import NIOSSL
import SidecacheConfig
import SidecacheServer
import SidecacheTLS
import Testing

/// The TLS RESP listener, with certificates made by `scripts/gen-test-ca` for each test.
@Suite(.serialized, .enabled(if: TestCertificates.isAvailable, "needs openssl"))
struct TLSListenerTests {
    @Test("a client trusting the test CA runs commands over TLS; the plain listener is off")
    func clientWithTheCA() async throws {
        try await withTestCertificates { certificates in
            try await withTLSServer(certificates, { $0.tls.authClients = .no }) { server, port in
                #expect(server.boundAddresses.isEmpty)
                let client = try await TestClient.connect(port: port, tls: certificates.clientContext())
                #expect(try await client.command("SET", "greeting", "hello") == .simple("OK"))
                #expect(try await client.command("GET", "greeting") == .bulk("hello"))
                // A pipeline crosses TLS records in order.
                try await client.send((0..<50).flatMap { _ in TestClient.encode(["INCR", "counter"]) })
                #expect(try await client.readReplies(50).last == .integer(50))
                await client.close()
            }
        }
    }

    @Test("a client that does not trust the server's CA cannot talk to it; others still can")
    func clientWithoutTheCA() async throws {
        try await withTestCertificates { certificates in
            try await withTLSServer(certificates, { $0.tls.authClients = .no }) { _, port in
                let stranger = try await TestClient.connect(port: port, tls: certificates.clientContext(caFile: "other-ca.crt"))
                await #expect(throws: (any Error).self) { try await stranger.command("PING") }
                await stranger.close()
                let client = try await TestClient.connect(port: port, tls: certificates.clientContext())
                #expect(try await client.command("PING") == .simple("PONG"))
                await client.close()
            }
        }
    }

    @Test("auth_clients yes refuses a client without a certificate and serves one with it")
    func clientCertificatesRequired() async throws {
        try await withTestCertificates { certificates in
            try await withTLSServer(certificates) { _, port in
                let anonymous = try await TestClient.connect(port: port, tls: certificates.clientContext())
                await #expect(throws: (any Error).self) { try await anonymous.command("PING") }
                #expect(try await anonymous.waitForClose())
                let client = try await TestClient.connect(port: port, tls: certificates.clientContext(clientCertificate: true))
                #expect(try await client.command("PING") == .simple("PONG"))
                await client.close()
            }
        }
    }

    @Test("auth_clients optional serves clients with and without a certificate")
    func clientCertificatesOptional() async throws {
        try await withTestCertificates { certificates in
            try await withTLSServer(certificates, { $0.tls.authClients = .optional }) { _, port in
                for withCertificate in [false, true] {
                    let client = try await TestClient.connect(port: port, tls: certificates.clientContext(clientCertificate: withCertificate))
                    #expect(try await client.command("PING") == .simple("PONG"))
                    await client.close()
                }
            }
        }
    }

    @Test("redis-cli --tls with the CA and a client certificate talks to the TLS port")
    func redisCLIOverTLS() async throws {
        try await withTestCertificates { certificates in
            try await withTLSServer(certificates) { _, port in
                let tls = ["--tls", "--cacert", certificates.path("ca.crt"), "--cert", certificates.path("client.crt"),
                           "--key", certificates.path("client.key")]
                #expect(try RedisCLIIntrospectionTests.redisCLI(port: port, tls + ["SET", "k", "v"]) == "OK\n")
                #expect(try RedisCLIIntrospectionTests.redisCLI(port: port, tls + ["GET", "k"]) == "v\n")
                let refused = try RedisCLIIntrospectionTests.redisCLI(port: port, ["--tls", "--cacert", certificates.path("other-ca.crt"), "PING"])
                #expect(refused.contains("certificate verify failed"))
            }
        }
    }

    @Test("the TLS listener runs beside the plain one")
    func besidePlain() async throws {
        let plainPort = try await RedisServerProcess.freePort()
        try await withTestCertificates { certificates in
            try await withTLSServer(certificates, { ($0.server.port, $0.tls.authClients) = (plainPort, .no) }) { server, port in
                #expect(server.boundAddresses.map(\.port) == [plainPort])
                let secure = try await TestClient.connect(port: port, tls: certificates.clientContext())
                let plain = try await TestClient.connect(port: plainPort)
                #expect(try await secure.command("SET", "shared", "1") == .simple("OK"))
                #expect(try await plain.command("GET", "shared") == .bulk("1"))
                await secure.close()
                await plain.close()
            }
        }
    }

    @Test("the TLS versions offered follow protocols")
    func protocolsLimitTheVersions() async throws {
        try await withTestCertificates { certificates in
            try await withTLSServer(certificates, { ($0.tls.protocols, $0.tls.authClients) = ([.tlsv1_3], .no) }) { _, port in
                var onlyTLS12 = TLSConfiguration.makeClientConfiguration()
                onlyTLS12.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificates.path("ca.crt")))
                onlyTLS12.maximumTLSVersion = .tlsv12
                let old = try await TestClient.connect(port: port, tls: try NIOSSLContext(configuration: onlyTLS12))
                await #expect(throws: (any Error).self) { try await old.command("PING") }
                await old.close()
                let client = try await TestClient.connect(port: port, tls: certificates.clientContext())
                #expect(try await client.command("PING") == .simple("PONG"))
                await client.close()
            }
        }
    }

    @Test("a certificate file that cannot be loaded stops start-up with the key that names it")
    func missingCertificate() async throws {
        try await withTestCertificates { certificates in
            await #expect {
                try await withTLSServer(certificates, { $0.tls.certFile = certificates.path("missing.crt") }) { _, _ in }
            } throws: { error in
                (error as? TLSSetupError)?.message.hasPrefix("tls.cert_file: cannot load") == true
            }
            await #expect {
                try await withTLSServer(certificates, { $0.tls.keyFile = certificates.path("client.key") }) { _, _ in }
            } throws: { error in
                (error as? TLSSetupError)?.message.hasPrefix("tls:") == true
            }
        }
    }
}
