import Logging
import SidecacheConfig
import SidecacheServer

#if canImport(Glibc)
import Glibc
#endif

/// What the sidecar says about itself when it starts: the banner, and the open-files limit.
enum StartupReport {
    /// One line with what an operator checks first: version, listeners, upstream, where the
    /// configuration came from, and the limits that size the process.
    static func banner(_ configuration: SidecacheConfiguration, source: String?, logger: Logger) {
        let server = configuration.server
        let listeners = server.bind.map { $0.contains(":") ? "[\($0)]:\(server.port)" : "\($0):\(server.port)" }
        logger.notice(
            "sidecache \(SidecacheVersion.current) starting",
            metadata: [
                "version": "\(SidecacheVersion.current)",
                "pid": "\(getpid())",
                "listeners": "\(listeners.joined(separator: " "))",
                "upstream": "\(Run.describe(configuration.upstream))",
                "config": "\(source ?? "embedded default")",
                "maxclients": "\(server.maxClients)",
                "maxmemory": "\(configuration.memory.maxmemory)",
                "maxmemory_policy": "\(configuration.memory.maxmemoryPolicy.rawValue)",
                "log": "\(configuration.logging.level.rawValue) \(configuration.logging.format.rawValue)",
            ]
        )
    }

    /// Redis's `adjustOpenFilesLimit` at start: raises the open-files limit for `maxclients`,
    /// or lowers `maxclients` to what the limit allows, saying so. Returns the maxclients to use.
    static func adjustOpenFiles(maxClients: Int, logger: Logger) -> Int {
        let adjustment = OpenFilesLimit.adjust(forMaxClients: maxClients)
        if adjustment.maxClients < maxClients {
            logger.warning(
                "maxclients reduced to fit the open-files limit; raise 'ulimit -n' for more",
                metadata: [
                    "requested": "\(maxClients)", "maxclients": "\(adjustment.maxClients)",
                    "open_files_limit": "\(adjustment.current)",
                ]
            )
        } else if adjustment.current > adjustment.previous {
            logger.notice(
                "increased the open-files limit",
                metadata: ["from": "\(adjustment.previous)", "to": "\(adjustment.current)"]
            )
        }
        return adjustment.maxClients
    }
}
