import Foundation
import Logging
import Prometheus
import ServiceLifecycle
@testable import SidecacheAdmin
import SidecacheConfig
import SidecacheServer
import Testing

/// A RESP server on an ephemeral port with its admin service (API on another ephemeral port,
/// history in `dataDirectory`, watching `configFile` when there is one), as the executable
/// runs them.
final class AdminHarness: Sendable {
    static let token = "test-token"

    let server: SidecacheServer
    let admin: SidecacheAdmin
    let group: ServiceGroup
    let runner: Task<Void, any Error>
    let respPort: Int
    let adminPort: Int
    let dataDirectory: String
    let configFile: String?

    /// A fresh data directory under the system's temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "sidecache-admin-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Starts both. `yaml`, when given, is written to a configuration file in the data
    /// directory, which is then watched. The token is `AdminHarness.token` unless `token` says
    /// otherwise.
    init(
        dataDirectory: String = AdminHarness.temporaryDirectory(), yaml: String? = nil, token: String? = AdminHarness.token,
        tokenRequiredForReads: Bool = false
    ) async throws {
        self.dataDirectory = dataDirectory
        var document = ""
        if let yaml {
            let file = dataDirectory + "/sidecache.yaml"
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            configFile = file
            document = yaml
        } else {
            configFile = nil
        }
        let overrides: @Sendable (inout SidecacheConfiguration) -> Void = { configuration in
            configuration.server.bind = ["127.0.0.1"]
            configuration.server.port = 0
            configuration.admin.listen = AdminListenAddress(host: "127.0.0.1", port: 0)
            configuration.admin.token = token
            configuration.admin.tokenRequiredForReads = tokenRequiredForReads
            configuration.dataDirectory = dataDirectory
        }
        var configuration = try SidecacheConfiguration.decode(yaml: document)
        overrides(&configuration)
        let logger = ProcessInfo.processInfo.environment["SIDECACHE_TEST_LOG"] == nil
            ? Logger(label: "sidecache-admin-test") { _ in SwiftLogNoOpLogHandler() }
            : Logger(label: "sidecache-admin-test") { StreamLogHandler.standardError(label: $0) }
        server = SidecacheServer(configuration: configuration, logger: logger)
        try await server.start()
        respPort = try #require(server.boundAddresses.first?.port)
        admin = SidecacheAdmin(
            server: server, configFile: configFile, startupDocument: document, overrides: overrides,
            registry: PrometheusCollectorRegistry(), environment: [:], logger: logger, listensOnEphemeralPort: true
        )
        let group = ServiceGroup(configuration: .init(services: [admin], logger: logger))
        self.group = group
        runner = Task { try await group.run() }
        var port: Int?
        for _ in 0..<500 {
            port = admin.listeningPort
            if port != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        adminPort = try #require(port, "the admin API did not start listening")
    }

    /// Stops the admin service and the server.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runner.value
        await server.shutdown(grace: .seconds(2))
    }

    func request(_ method: String, _ path: String, body: String? = nil, token: String? = AdminHarness.token) async throws
        -> HTTPTestResponse
    {
        try await HTTPTestClient.request(method, path, port: adminPort, body: body, token: token)
    }

    /// Replaces the configuration file's content at once (write, then rename).
    func writeConfigFile(_ yaml: String) throws {
        let file = try #require(configFile)
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
    }
}

/// Runs `body` with a started harness and always stops it.
func withAdmin<T>(
    dataDirectory: String = AdminHarness.temporaryDirectory(), yaml: String? = nil, token: String? = AdminHarness.token,
    tokenRequiredForReads: Bool = false, _ body: (AdminHarness) async throws -> T
) async throws -> T {
    let harness = try await AdminHarness(dataDirectory: dataDirectory, yaml: yaml, token: token, tokenRequiredForReads: tokenRequiredForReads)
    do {
        let result = try await body(harness)
        await harness.stop()
        return result
    } catch {
        await harness.stop()
        throw error
    }
}
