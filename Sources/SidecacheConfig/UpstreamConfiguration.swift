/// The `upstream` section: the Redis nodes behind the sidecar and how to talk to them.
public struct UpstreamConfiguration: Sendable, Equatable {
    /// `mode`: `none` (the default) runs the standalone engine only.
    public var mode: UpstreamMode = .none
    /// `nodes`: `host:port` entries; shards may add `:weight` and a name.
    public var nodes: [UpstreamNodeConfiguration] = []
    /// `username` and `password`: sent with AUTH on every upstream connection.
    public var username: String?
    public var password: String?
    /// `connect_timeout`: how long a connection attempt may take, in milliseconds.
    public var connectTimeoutMilliseconds = 1000
    /// `command_timeout`: how long a request may wait for its reply, in milliseconds.
    public var commandTimeoutMilliseconds = 1000
    /// `connections`: connections to each node per I/O thread; clients share them.
    public var connections = 1
    /// `max_in_flight`: requests waiting for replies on one connection before new ones are refused.
    public var maxInFlight = 10_000
    /// `failure_limit`: consecutive failures after which a node is ejected.
    public var failureLimit = 3
    /// `retry_timeout`: how long an ejected node stays out before it is probed, in milliseconds.
    public var retryTimeoutMilliseconds = 2000
    /// `health_check_interval`: the period of the PING that checks each node, in milliseconds.
    public var healthCheckIntervalMilliseconds = 1000
    /// `hash`, `distribution`, `hash_tag`: how sharded mode maps keys to nodes (twemproxy's).
    public var hash: ShardHashName = .fnv1a_64
    public var distribution: ShardDistributionName = .ketama
    public var hashTag: String?
    /// `ejected_shard`: what sharded mode does with the keys of an ejected node.
    public var ejectedShard: EjectedShardPolicy = .fail
    /// `fan_out_dangerous`: whether KEYS, FLUSHDB and FLUSHALL go to every shard.
    public var fanOutDangerous = false
    /// `sentinel_master`: the name the sentinels (the `nodes` in sentinel mode) know the primary by.
    public var sentinelMaster: String?
    /// `sentinel_password`: AUTH for the sentinels themselves (the primary uses `password`).
    public var sentinelPassword: String?
    /// `cluster_refresh_interval`: how often cluster mode re-reads the slot map, in milliseconds
    /// (it also re-reads it after every MOVED).
    public var clusterRefreshIntervalMilliseconds = 5000
    /// `read_from`: where cluster mode sends read-only commands (replicas get READONLY).
    public var readFrom: ClusterReadPolicy = .primary
    /// `tls`: TLS on every upstream connection.
    public var tls = UpstreamTLSConfiguration()

    public init() {}
}

extension UpstreamConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("mode", \.mode, .choice),
            ConfigurationKey("nodes", \.nodes, .upstreamNodes),
            ConfigurationKey("username", \.username, .optionalText),
            ConfigurationKey("password", \.password, .optionalText),
            ConfigurationKey("connect_timeout", \.connectTimeoutMilliseconds, .milliseconds(in: 1...600_000)),
            ConfigurationKey("command_timeout", \.commandTimeoutMilliseconds, .milliseconds(in: 1...3_600_000)),
            ConfigurationKey("connections", \.connections, .integer(in: 1...64)),
            ConfigurationKey("max_in_flight", \.maxInFlight, .integer(in: 1...1_000_000)),
            ConfigurationKey("failure_limit", \.failureLimit, .integer(in: 1...1000)),
            ConfigurationKey("retry_timeout", \.retryTimeoutMilliseconds, .milliseconds(in: 1...3_600_000)),
            ConfigurationKey("health_check_interval", \.healthCheckIntervalMilliseconds, .milliseconds(in: 10...3_600_000)),
            ConfigurationKey("hash", \.hash, .choice),
            ConfigurationKey("distribution", \.distribution, .choice),
            ConfigurationKey("hash_tag", \.hashTag, .hashTag),
            ConfigurationKey("ejected_shard", \.ejectedShard, .choice),
            ConfigurationKey("fan_out_dangerous", \.fanOutDangerous, .boolean),
            ConfigurationKey("sentinel_master", \.sentinelMaster, .optionalText),
            ConfigurationKey("sentinel_password", \.sentinelPassword, .optionalText),
            ConfigurationKey("cluster_refresh_interval", \.clusterRefreshIntervalMilliseconds, .milliseconds(in: 100...3_600_000)),
            ConfigurationKey("read_from", \.readFrom, .choice),
            ConfigurationKey("tls", \.tls, .section),
        ]
    }

    /// Problems that involve more than one key: the node count the mode needs.
    var crossKeyProblems: [String] {
        nodeCountProblems + tls.crossKeyProblems
    }

    private var nodeCountProblems: [String] {
        switch mode {
        case .none where !nodes.isEmpty:
            ["nodes are listed but mode is none; set mode to single, sharded, cluster or sentinel"]
        case .single where nodes.count != 1:
            ["mode single needs exactly one node, got \(nodes.count)"]
        case .sharded where nodes.isEmpty:
            ["mode sharded needs at least one node"]
        // twemproxy's continuum name: the name, else host:port (the host alone on 11211).
        case .sharded where Set(nodes.map { $0.name ?? ($0.port == 11211 ? $0.host : "\($0.host):\($0.port)") }).count != nodes.count:
            ["two sharded nodes have the same name (or address); each needs its own"]
        case .sharded where nodes.count > 256:
            ["mode sharded takes at most 256 nodes, got \(nodes.count)"]
        case .sharded where Set(nodes.map { "\($0.host):\($0.port)" }).count != nodes.count:
            ["two sharded nodes have the same address; each shard needs its own server"]
        case .sharded:
            []
        case .sentinel where nodes.isEmpty || sentinelMaster == nil:
            ["mode sentinel needs the sentinels' addresses in nodes and the primary's name in sentinel_master"]
        case .cluster where nodes.isEmpty:
            ["mode cluster needs at least one seed node"]
        default:
            []
        }
    }
}
