import Testing
import Logging
import SidecacheConfig
import SidecacheServer

/// A Sidecache listening with TLS on an ephemeral loopback port (plain listener off unless
/// `configure` gives it a port), the test certificates as its own, client certificates
/// required (Redis's default); `body` gets the server and its TLS port.
func withTLSServer<T>(
    _ certificates: TestCertificates,
    _ configure: (inout SidecacheConfiguration) -> Void = { _ in },
    _ body: (SidecacheServer, Int) async throws -> T
) async throws -> T {
    var configuration = SidecacheConfiguration()
    configuration.server.bind = ["127.0.0.1"]
    configuration.server.port = 0
    configuration.tls.port = 0
    configuration.tls.certFile = certificates.path("server.crt")
    configuration.tls.keyFile = certificates.path("server.key")
    configuration.tls.caCertFile = certificates.path("ca.crt")
    configure(&configuration)
    let server = SidecacheServer(configuration: configuration, logger: Logger(label: "sidecache-test") { _ in SwiftLogNoOpLogHandler() })
    try await server.start()
    do {
        let port = try #require(server.boundTLSAddresses.first?.port)
        let result = try await body(server, port)
        await server.shutdown(grace: .seconds(2))
        return result
    } catch {
        await server.shutdown(grace: .seconds(2))
        throw error
    }
}
