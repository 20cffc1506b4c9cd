/// The `monitoring` section: the slow log and the latency monitor, with Redis 7's names and
/// defaults (`slowlog-log-slower-than`, `slowlog-max-len`, `latency-monitor-threshold`).
public struct MonitoringConfiguration: Sendable, Equatable {
    /// `slowlog_log_slower_than`: commands that run at least this many microseconds are logged;
    /// 0 logs every command, -1 turns the slow log off.
    public var slowlogLogSlowerThan = 10_000
    /// `slowlog_max_len`: most entries the slow log keeps; older ones are dropped.
    public var slowlogMaxLen = 128
    /// `latency_monitor_threshold`: latency events of at least this many milliseconds are
    /// sampled (LATENCY LATEST, HISTORY, DOCTOR); 0 turns the latency monitor off.
    public var latencyMonitorThreshold = 0

    public init() {}
}

extension MonitoringConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("slowlog_log_slower_than", \.slowlogLogSlowerThan, .integer(in: -1...Int.max)),
            ConfigurationKey("slowlog_max_len", \.slowlogMaxLen, .integer(in: 0...Int.max)),
            ConfigurationKey("latency_monitor_threshold", \.latencyMonitorThreshold, .integer(in: 0...Int.max)),
        ]
    }
}
