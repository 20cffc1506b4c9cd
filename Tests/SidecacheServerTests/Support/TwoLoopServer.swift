import Logging
import NIOPosix
import SidecacheConfig
import SidecacheServer
import Testing

/// Runs `body` against a server on its own group of two event loops. Accepted connections
/// are spread over the loops in turn, so consecutive connections live on different loops.
func withTwoLoopServer<T>(
    _ configure: (inout SidecacheConfiguration) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    var configuration = SidecacheConfiguration()
    configuration.server.bind = ["127.0.0.1"]
    configuration.server.port = 0
    configure(&configuration)
    let logger = Logger(label: "sidecache-test") { _ in SwiftLogNoOpLogHandler() }
    let server = SidecacheServer(configuration: configuration, logger: logger, eventLoopGroup: group)
    do {
        try await server.start()
        let port = try #require(server.boundAddresses.first?.port)
        let result = try await body(TestServer(server: server, port: port))
        await server.shutdown(grace: .seconds(2))
        try await group.shutdownGracefully()
        return result
    } catch {
        await server.shutdown(grace: .seconds(2))
        try? await group.shutdownGracefully()
        throw error
    }
}
