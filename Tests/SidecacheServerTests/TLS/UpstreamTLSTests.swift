import SidecacheConfig
import SidecacheRESP
import Testing

/// TLS from the sidecar to a real `redis-server --tls-port` on loopback, which (Redis's
/// default) requires a client certificate signed by the test CA.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable && TestCertificates.isAvailable, "needs redis-server and openssl"))
struct UpstreamTLSTests {
    /// Runs `body` with a TLS redis-server and the certificates.
    func withTLSRedis(_ body: (TestCertificates, RedisServerProcess) async throws -> Void) async throws {
        try await withTestCertificates { certificates in
            let redis = try await RedisServerProcess.start(tls: certificates)
            defer { redis.stop() }
            try await body(certificates, redis)
        }
    }

    /// `upstream.tls` trusting `caFile`, with the test client certificate.
    static func trusting(_ certificates: TestCertificates, caFile: String = "ca.crt") -> UpstreamTLSConfiguration {
        var tls = UpstreamTLSConfiguration()
        tls.enabled = true
        tls.caCertFile = certificates.path(caFile)
        tls.certFile = certificates.path("client.crt")
        tls.keyFile = certificates.path("client.key")
        return tls
    }

    @Test("SET and GET are forwarded over TLS and land in the upstream")
    func forwardsOverTLS() async throws {
        try await withTLSRedis { certificates, redis in
            try await withForwardingServer(upstreamPort: redis.port, { $0.tls = Self.trusting(certificates) }) { sidecache in
                let client = try await sidecache.connect()
                #expect(try await client.command("SET", "over:tls", "secret") == .simple("OK"))
                #expect(try await client.command("GET", "over:tls") == .bulk("secret"))
                await client.close()
            }
            let direct = try await TestClient.connect(port: redis.port, tls: certificates.clientContext(clientCertificate: true))
            #expect(try await direct.command("GET", "over:tls") == .bulk("secret"))
            await direct.close()
        }
    }

    @Test("SUBSCRIBE through the sidecar gets what is published upstream over TLS")
    func subscriptionOverTLS() async throws {
        try await withTLSRedis { certificates, redis in
            try await withForwardingServer(upstreamPort: redis.port, { $0.tls = Self.trusting(certificates) }) { sidecache in
                let subscriber = try await sidecache.connect()
                _ = try await subscriber.command("SUBSCRIBE", "news")
                let publisher = try await TestClient.connect(port: redis.port, tls: certificates.clientContext(clientCertificate: true))
                // The upstream subscription opens in the background: publish until it counts.
                var receivers = RESPValue.integer(0)
                let deadline = ContinuousClock.now + .seconds(10)
                while receivers == .integer(0) && ContinuousClock.now < deadline {
                    receivers = try await publisher.command("PUBLISH", "news", "hello")
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(receivers == .integer(1))
                #expect(try await subscriber.readReply() == .array([.bulk("message"), .bulk("news"), .bulk("hello")]))
                await publisher.close()
                await subscriber.close()
            }
        }
    }

    @Test("an upstream whose certificate is not trusted gets a TLS error reply, and the sidecar stays up")
    func untrustedUpstream() async throws {
        try await withTLSRedis { certificates, redis in
            let tls = Self.trusting(certificates, caFile: "other-ca.crt")
            try await withForwardingServer(upstreamPort: redis.port, { $0.tls = tls }) { sidecache in
                let client = try await sidecache.connect()
                let reply = try await client.command("GET", "anything")
                #expect(reply.errorText?.contains("TLS failed") == true, "\(reply.debugText)")
                #expect(try await client.command("PING") == .simple("PONG"))
                await client.close()
            }
        }
    }

    @Test("verify full accepts the node by its IP or by server_name; verify none skips the CA")
    func verificationModes() async throws {
        try await withTLSRedis { certificates, redis in
            var byName = Self.trusting(certificates)
            byName.serverName = "localhost"
            var unchecked = Self.trusting(certificates, caFile: "other-ca.crt")
            unchecked.verify = .none
            for tls in [Self.trusting(certificates), byName, unchecked] {
                try await withForwardingServer(upstreamPort: redis.port, { $0.tls = tls }) { sidecache in
                    let client = try await sidecache.connect()
                    #expect(try await client.command("SET", "verified", "1") == .simple("OK"), "\(tls)")
                    await client.close()
                }
            }
        }
    }
}
