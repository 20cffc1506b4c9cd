import Testing
import Logging
import NIOCore
import NIOPosix
import SidecacheConfig
import SidecacheServer

/// An in-process `SidecacheServer` on 127.0.0.1 and an ephemeral port.
struct TestServer: Sendable {
    let server: SidecacheServer
    let port: Int

    static func start(_ configure: (inout SidecacheConfiguration) -> Void = { _ in }) async throws -> TestServer {
        var configuration = SidecacheConfiguration()
        configuration.server.bind = ["127.0.0.1"]
        configuration.server.port = 0
        configure(&configuration)
        let logger = Logger(label: "sidecache-test") { _ in SwiftLogNoOpLogHandler() }
        let server = SidecacheServer(configuration: configuration, logger: logger)
        try await server.start()
        let port = try #require(server.boundAddresses.first?.port)
        return TestServer(server: server, port: port)
    }

    func shutdown() async {
        await server.shutdown(grace: .seconds(2))
    }

    func connect() async throws -> TestClient {
        try await TestClient.connect(port: port)
    }
}

/// Runs `body` against a fresh server and always shuts it down afterwards.
func withTestServer<T>(
    _ configure: (inout SidecacheConfiguration) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(configure)
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}
