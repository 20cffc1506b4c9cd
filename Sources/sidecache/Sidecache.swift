import ArgumentParser
import Logging
import Metrics
import NIOPosix
import Prometheus
import ServiceLifecycle
import SidecacheAdmin
import SidecacheConfig
import SidecacheServer

#if canImport(Glibc)
import Glibc
#endif

@main
struct Sidecache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sidecache",
        abstract: "A caching sidecar proxy that speaks the Redis protocol.",
        version: SidecacheVersion.current,
        subcommands: [Run.self, CheckConfig.self],
        defaultSubcommand: Run.self
    )
}

/// Exit codes: 0 clean shutdown, 1 bad configuration or start-up failure, 64 bad command line.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the sidecar (the default). With no file, the embedded default configuration.",
        discussion: """
            Exit status: 0 after a clean shutdown (SIGTERM or SIGINT), 1 when the configuration is \
            invalid or the listener cannot bind or keep serving, 64 for a bad command line.
            """
    )

    @Option(name: .long, help: "YAML configuration file (see config/sidecache.yaml).")
    var config: String?

    @Option(name: .long, help: "Listen port, overriding the file.")
    var port: Int?

    @Option(name: .long, help: "Listen address(es), space-separated, overriding the file.")
    var bind: String?

    @Option(name: .long, help: "Forward to one Redis server: redis://[user:password@]host:port.")
    var upstream: String?

    @Option(name: .long, help: "Shard over Redis servers as twemproxy does: host:port[:weight][,...].")
    var upstreamShards: String?

    @Option(name: .long, help: "Route by slot into a Redis Cluster found from these seeds: host:port[,...].")
    var upstreamCluster: String?

    @Option(name: .long, help: "Follow the primary that these sentinels name: host:port[,...] (with --sentinel-master).")
    var upstreamSentinel: String?

    @Option(name: .long, help: "The primary's name at the sentinels (with --upstream-sentinel).")
    var sentinelMaster: String?

    @Option(name: .long, help: "Port of the HTTP admin API on admin.listen's host, overriding the file; 0 turns it off.")
    var adminPort: Int?

    @Option(name: .long, help: "Directory for the configuration history, overriding data_dir.")
    var dataDir: String?

    func run() async throws {
        var document = ""
        if let config {
            do {
                document = try ConfigurationFile.text(atPath: config)
            } catch {
                try Self.refuse("\(config): \(error)")
            }
        }
        var configuration = SidecacheConfiguration()
        do {
            configuration = try SidecacheConfiguration.decode(yaml: document)
        } catch {
            try Self.refuse("\(config ?? "configuration"): \(error)")
        }
        if let port, !(0...65535).contains(port) { try Self.refuse("--port must be between 0 and 65535, got \(port)") }
        if let adminPort, !(0...65535).contains(adminPort) {
            try Self.refuse("--admin-port must be between 0 and 65535, got \(adminPort)")
        }
        if [upstream, upstreamShards, upstreamSentinel, upstreamCluster].compactMap({ $0 }).count > 1 {
            try Self.refuse("--upstream, --upstream-shards, --upstream-cluster and --upstream-sentinel exclude each other")
        }
        if let problem = overrides.problem(&configuration) { try Self.refuse(problem) }
        if let problem = configuration.crossKeyProblems.first { try Self.refuse("\(problem)") }
        // One level for every logger, changed at run time by CONFIG SET loglevel and reloads.
        LogLevelControl.shared.level = Logger.Level(rawValue: configuration.logging.level.rawValue) ?? .info
        let json = configuration.logging.format == .json
        LoggingSystem.bootstrap { label in
            if json { return RuntimeLevelLogHandler(JSONLogHandler(label: label, logLevel: .trace)) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .trace
            return RuntimeLevelLogHandler(handler)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "sidecache")
        configuration.server.maxClients = StartupReport.adjustOpenFiles(maxClients: configuration.server.maxClients, logger: logger)
        StartupReport.banner(configuration, source: config, logger: logger)
        let server = SidecacheServer(configuration: configuration, configFile: config ?? "", logger: logger)
        let overrides = self.overrides
        let admin = SidecacheAdmin(
            server: server, configFile: config, startupDocument: document,
            overrides: { _ = overrides.problem(&$0) }, registry: registry, logger: logger
        )
        // The listener binds inside the group (`SidecacheServer.run`), after the group traps
        // SIGTERM and SIGINT: a signal that arrives as soon as the port answers still drains.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server), .init(service: admin)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            logger.critical("cannot listen or keep serving: \(error)")
            throw ExitCode(1)
        }
        logger.info("stopped")
    }
}

extension Run {
    /// The command-line options that override the file, applied at start-up and to every
    /// document reloaded or PUT later, so that those keep meaning what they meant.
    var overrides: CommandLineOverrides {
        CommandLineOverrides(
            port: port, bind: bind, upstream: upstream, upstreamShards: upstreamShards, upstreamCluster: upstreamCluster,
            upstreamSentinel: upstreamSentinel, sentinelMaster: sentinelMaster, adminPort: adminPort, dataDir: dataDir
        )
    }

    /// Prints why the sidecar cannot start and exits with status 1.
    static func refuse(_ problem: String) throws -> Never {
        FileHandleOutput.standardError("sidecache: \(problem)\n")
        throw ExitCode(1)
    }

    /// "none (standalone)" or "single 127.0.0.1:6379" for the start-up line.
    static func describe(_ upstream: UpstreamConfiguration) -> String {
        guard upstream.mode != .none else { return "none (standalone)" }
        return "\(upstream.mode.rawValue) " + upstream.nodes.map { "\($0.host):\($0.port)" }.joined(separator: ",")
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file; print every problem with its path. Exit 1 if any."
    )

    @Argument(help: "The YAML configuration file.")
    var file: String

    func run() throws {
        do {
            let configuration = try SidecacheConfiguration.load(path: file)
            let problems = SecurityConfigurationError.problems(in: configuration)
            guard problems.isEmpty else {
                FileHandleOutput.standardError("\(file): \(problems.joined(separator: "\n"))\n")
                throw ExitCode(1)
            }
            print("\(file): configuration is valid")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandleOutput.standardError("\(file): \(error)\n")
            throw ExitCode(1)
        }
    }
}

enum FileHandleOutput {
    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(2, &bytes, bytes.count)
    }
}
