import Foundation
import Hummingbird
public import Logging
import NIOCore
public import Prometheus
public import ServiceLifecycle
public import SidecacheConfig
public import SidecacheServer
import Synchronization

/// The admin side of a running sidecar, as one service: records the configuration the
/// process started with in the history (in `data_dir`), watches the configuration file for
/// hot reload, and serves the HTTP admin API on `admin.listen` (unless its port is 0).
public final class SidecacheAdmin: Service, Sendable {
    private let server: SidecacheServer
    private let configFile: String?
    private let startupDocument: String
    private let overrides: @Sendable (inout SidecacheConfiguration) -> Void
    private let environment: [String: String]
    private let logger: Logger
    private let metrics: MetricsCollector
    /// Tests: listen on an ephemeral port when `admin.listen`'s port is 0, instead of not at all.
    let listensOnEphemeralPort: Bool
    /// The admin listener's port; -1 until it listens.
    private let port = Atomic<Int>(-1)

    /// - Parameters:
    ///   - server: the RESP server whose configuration and statistics this serves.
    ///   - configFile: the YAML file to watch; nil for the embedded default (nothing to watch).
    ///   - startupDocument: the file's text the process started with ("" for the default).
    ///   - overrides: the command-line options, applied to every later document as at start-up.
    ///   - registry: where `/metrics` comes from; the executable bootstraps swift-metrics over it.
    public convenience init(
        server: SidecacheServer, configFile: String?, startupDocument: String,
        overrides: @escaping @Sendable (inout SidecacheConfiguration) -> Void = { _ in },
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        environment: [String: String]? = nil, logger: Logger
    ) {
        self.init(
            server: server, configFile: configFile, startupDocument: startupDocument, overrides: overrides,
            registry: registry, environment: environment, logger: logger, listensOnEphemeralPort: false
        )
    }

    init(
        server: SidecacheServer, configFile: String?, startupDocument: String,
        overrides: @escaping @Sendable (inout SidecacheConfiguration) -> Void, registry: PrometheusCollectorRegistry,
        environment: [String: String]?, logger: Logger, listensOnEphemeralPort: Bool
    ) {
        self.listensOnEphemeralPort = listensOnEphemeralPort
        self.server = server
        self.configFile = configFile
        self.startupDocument = startupDocument
        self.overrides = overrides
        self.environment = environment ?? ProcessInfo.processInfo.environment
        self.logger = logger
        self.metrics = MetricsCollector(registry: registry)
    }

    /// The port the admin API listens on, once it does.
    public var listeningPort: Int? {
        let port = port.load(ordering: .acquiring)
        return port < 0 ? nil : port
    }

    /// Runs until graceful shutdown. Throws when the history cannot be opened or written; an
    /// admin listener that cannot bind is logged, and the rest goes on.
    public func run() async throws {
        let configuration = server.configuration
        let history = try ConfigurationHistory(directory: configuration.dataDirectory)
        let manager = ConfigurationManager(server: server, history: history, logger: logger, overrides: overrides)
        let startup = try await manager.recordStartup(document: startupDocument)
        logger.info(
            "configuration version \(startup.version ?? 0) recorded",
            metadata: ["history": "\(configuration.dataDirectory)/\(ConfigurationHistory.fileName)", "summary": "\(startup.summary)"]
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let configFile {
                let watcher = ConfigurationFileWatcher(path: configFile, manager: manager, logger: logger)
                group.addTask { [startupDocument] in await watcher.run(initial: startupDocument) }
            }
            let admin = configuration.admin
            if admin.listen.port != 0 || listensOnEphemeralPort {
                let application = AdminApplication.make(
                    api: AdminAPI(server: server, manager: manager, metrics: metrics),
                    listen: admin.listen, token: admin.resolvedToken(environment: environment),
                    tokenRequiredForReads: admin.tokenRequiredForReads, logger: logger
                ) { port in
                    self.port.store(port, ordering: .releasing)
                }
                group.addTask { [logger] in
                    // The RESP side matters more than the API: a listener that cannot bind
                    // (the port is taken) is an error in the log, not a reason to stop serving.
                    do {
                        try await application.run()
                    } catch {
                        logger.error("admin API not available: cannot serve on \(admin.listen): \(error)")
                    }
                }
            } else {
                logger.info("admin API off (admin.listen port 0)")
            }
            // Each ends by itself on graceful shutdown (the application drains its connections).
            try await group.waitForAll()
        }
        // With nothing left to run (the API off or unable to bind, and no file to watch), this
        // service still lasts until shutdown: one that returns early would stop the whole
        // process, RESP listener included.
        try? await gracefulShutdown()
    }
}
