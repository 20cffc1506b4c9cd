public import SidecacheConfig
import Logging

/// Applying a whole new configuration while the server runs (hot reload, PUT /v1/config): every
/// setting that can change in place does, at once and for every connection; the settings read
/// only at start-up keep their running value and are reported as needing a restart.
extension ServerContext {
    /// A setting that only a restart changes, and how to keep its running value in a new
    /// configuration. A key path here also covers the keys below it ("upstream").
    struct StartupSetting: Sendable {
        let path: String
        let keep: @Sendable (_ next: inout SidecacheConfiguration, _ running: SidecacheConfiguration) -> Void
    }

    static let startupSettings: [StartupSetting] = [
        StartupSetting(path: "server.bind") { $0.server.bind = $1.server.bind },
        StartupSetting(path: "server.port") { $0.server.port = $1.server.port },
        StartupSetting(path: "server.databases") { $0.server.databases = $1.server.databases },
        // Both are set on the listener's bootstrap when it binds.
        StartupSetting(path: "server.timeout") { $0.server.timeoutSeconds = $1.server.timeoutSeconds },
        StartupSetting(path: "server.tcp_keepalive") { $0.server.tcpKeepaliveSeconds = $1.server.tcpKeepaliveSeconds },
        // The log handler is chosen when logging is bootstrapped; the level changes in place.
        StartupSetting(path: "logging.format") { $0.logging.format = $1.logging.format },
        // The upstream group, router and subscription bridge are built once, from this section.
        StartupSetting(path: "upstream") { $0.upstream = $1.upstream },
        // The cache tier's policy is compiled once at start (changing it in place is to come).
        StartupSetting(path: "cache") { $0.cache = $1.cache },
        // Applied to the command table and the user list when the server starts.
        StartupSetting(path: "server.rename_commands") { $0.server.renameCommands = $1.server.renameCommands },
        StartupSetting(path: "acl.users") { $0.acl.users = $1.acl.users },
        // The TLS contexts are built when the listener binds.
        StartupSetting(path: "tls") { $0.tls = $1.tls },
        StartupSetting(path: "admin") { $0.admin = $1.admin },
        StartupSetting(path: "data_dir") { $0.dataDirectory = $1.dataDirectory },
    ]

    /// Applies `requested` in place of the running configuration, as one step (CONFIG SET's
    /// path: engine settings, monitoring, then every session refreshes its copy), and returns
    /// what changed. With `dryRun`, only returns what would change.
    func applyConfiguration(_ requested: SidecacheConfiguration, dryRun: Bool) -> ConfigurationChange {
        var change = ConfigurationChange()
        let plan: (SidecacheConfiguration) -> SidecacheConfiguration = { running in
            var next = requested
            for path in running.changedKeyPaths(to: requested) {
                if let setting = Self.startupSettings.first(where: { path == $0.path || path.hasPrefix($0.path + ".") }) {
                    setting.keep(&next, running)
                    change.restartRequired.append(path)
                } else {
                    change.applied.append(path)
                }
            }
            return next
        }
        if dryRun {
            _ = plan(config)
            return change
        }
        updateConfiguration { running in running = plan(running) }
        applySections(config)
        return change
    }

    /// The sections whose settings live outside the configuration value: each gets the new
    /// configuration here (the engine's settings and the monitoring are applied by
    /// `updateConfiguration`, as for CONFIG SET).
    private func applySections(_ configuration: SidecacheConfiguration) {
        LogLevelControl.shared.level = Logger.Level(rawValue: configuration.logging.level.rawValue) ?? .info
    }
}

extension SidecacheServer {
    /// Applies a whole new configuration while serving; see `ServerContext.applyConfiguration`.
    public func apply(_ configuration: SidecacheConfiguration) -> ConfigurationChange {
        context.applyConfiguration(configuration, dryRun: false)
    }

    /// What `apply` would change, without changing anything.
    public func preview(_ configuration: SidecacheConfiguration) -> ConfigurationChange {
        context.applyConfiguration(configuration, dryRun: true)
    }

    /// The configuration in force.
    public var configuration: SidecacheConfiguration { context.config }
}
