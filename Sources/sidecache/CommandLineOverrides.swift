import SidecacheConfig

/// The options of `sidecache run` that override the configuration file.
struct CommandLineOverrides: Sendable {
    var port: Int?
    var bind: String?
    var upstream: String?
    var upstreamShards: String?
    var upstreamCluster: String?
    var upstreamSentinel: String?
    var sentinelMaster: String?
    var adminPort: Int?
    var dataDir: String?

    /// Applies the options to `configuration`; returns why they cannot apply (a bad upstream
    /// address), or nil.
    func problem(_ configuration: inout SidecacheConfiguration) -> String? {
        if let port { configuration.server.port = port }
        if let bind { configuration.server.bind = bind.split(separator: " ").map(String.init) }
        if let adminPort { configuration.admin.listen.port = adminPort }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let upstream { return configuration.upstream.applySingleURL(upstream) }
        if let upstreamShards { return configuration.upstream.applyShardList(upstreamShards) }
        if let upstreamCluster { return configuration.upstream.applyClusterSeeds(upstreamCluster) }
        if let upstreamSentinel { return configuration.upstream.applySentinels(upstreamSentinel, master: sentinelMaster) }
        return nil
    }
}
