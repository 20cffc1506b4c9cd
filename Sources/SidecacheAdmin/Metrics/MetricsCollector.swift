import CoreMetrics
import Foundation
import NIOCore
import Prometheus
import SidecacheServer
import Synchronization

/// `/metrics`: the server's counters as Prometheus text. At each scrape the figures are read
/// from the running server (the same snapshots INFO uses) into swift-metrics objects made by
/// the Prometheus factory over `registry`; nothing is counted on the command path beyond what
/// INFO already counts. Label sets are fixed: command names from the command table, database
/// numbers, upstream node addresses from the configuration — never a key.
final class MetricsCollector: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Counters by name and labels, with the total last reported: Prometheus counters only
    /// grow, so each scrape adds the difference (and a CONFIG RESETSTAT resets them).
    private let counters = Mutex<[String: (counter: CoreMetrics.Counter, last: Int)]>([:])
    private let gauges = Mutex<[String: CoreMetrics.Gauge]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// The Prometheus text exposition of everything, read from `server` now.
    func scrape(_ server: SidecacheServer, configurationVersion: Int64) -> [UInt8] {
        let stats = server.statisticsSnapshot
        for command in stats.commands {
            let labels = [("command", command.name)]
            count("sidecache_commands_total", labels, command.calls)
            count("sidecache_command_failures_total", labels, command.failedCalls)
            count("sidecache_command_rejections_total", labels, command.rejectedCalls)
        }
        count("sidecache_keyspace_hits_total", [], stats.keyspace.keyspaceHits)
        count("sidecache_keyspace_misses_total", [], stats.keyspace.keyspaceMisses)
        count("sidecache_evicted_keys_total", [], stats.keyspace.evictedKeys)
        count("sidecache_expired_keys_total", [], stats.keyspace.expiredKeys)
        count("sidecache_connections_received_total", [], stats.connectionsReceived)
        count("sidecache_connections_rejected_total", [], stats.rejectedConnections)
        count("sidecache_net_input_bytes_total", [], stats.netInputBytes)
        count("sidecache_net_output_bytes_total", [], stats.netOutputBytes)
        count("sidecache_error_replies_total", [], stats.errorReplies)
        set("sidecache_connected_clients", [], stats.connectedClients)
        set("sidecache_memory_used_bytes", [], stats.usedMemory)
        set("sidecache_memory_peak_bytes", [], stats.peakMemory)
        set("sidecache_memory_rss_bytes", [], stats.residentMemory)
        set("sidecache_maxmemory_bytes", [], stats.maxMemory)
        set("sidecache_uptime_seconds", [], stats.uptimeSeconds)
        set("sidecache_configuration_version", [], Int(configurationVersion))
        for database in stats.databases {
            set("sidecache_keys", [("db", String(database.index))], database.keys)
            set("sidecache_keys_with_expiry", [("db", String(database.index))], database.expires)
        }
        for node in server.upstreamNodes.nodes {
            let labels = [("node", "\(node.health.address)")]
            set("sidecache_upstream_up", labels, node.health.ejected ? 0 : 1)
            set("sidecache_upstream_consecutive_failures", labels, node.health.consecutiveFailures)
            count("sidecache_upstream_ejections_total", labels, node.health.ejections)
            if let latency = node.health.latencyMicroseconds {
                gauge("sidecache_upstream_latency_seconds", labels).record(Double(latency) / 1_000_000)
            }
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        Self.appendHistograms(stats.commands, to: &buffer)
        return buffer
    }

    /// `sidecache_command_duration_seconds`, a histogram per command from the server's
    /// latency buckets (written here: swift-prometheus histograms take observations, and the
    /// server keeps only the bucket counts).
    static func appendHistograms(_ commands: [SidecacheServer.StatisticsSnapshot.Command], to buffer: inout [UInt8]) {
        guard !commands.isEmpty else { return }
        let name = "sidecache_command_duration_seconds"
        var text = "# TYPE \(name) histogram\n"
        for command in commands where command.calls > 0 {
            var cumulative = 0
            for (index, bound) in LatencyBuckets.upperBoundsMicroseconds.enumerated() {
                cumulative += command.latency.counts[index]
                text += "\(name)_bucket{command=\"\(command.name)\",le=\"\(Double(bound) / 1_000_000)\"} \(cumulative)\n"
            }
            cumulative += command.latency.counts[LatencyBuckets.upperBoundsMicroseconds.count]
            text += "\(name)_bucket{command=\"\(command.name)\",le=\"+Inf\"} \(cumulative)\n"
            text += "\(name)_sum{command=\"\(command.name)\"} \(Double(command.microseconds) / 1_000_000)\n"
            text += "\(name)_count{command=\"\(command.name)\"} \(cumulative)\n"
        }
        buffer += Array(text.utf8)
    }

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        ([name] + labels.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{0}")
    }

    /// Brings the counter `name{labels}` to `total`.
    private func count(_ name: String, _ labels: [(String, String)], _ total: Int) {
        counters.withLock { counters in
            let key = Self.key(name, labels)
            var entry = counters[key] ?? (CoreMetrics.Counter(label: name, dimensions: labels, factory: factory), 0)
            if total < entry.last {
                entry.counter.reset()
                entry.last = 0
            }
            if total > entry.last { entry.counter.increment(by: total - entry.last) }
            entry.last = total
            counters[key] = entry
        }
    }

    private func gauge(_ name: String, _ labels: [(String, String)]) -> CoreMetrics.Gauge {
        gauges.withLock { gauges in
            let key = Self.key(name, labels)
            if let gauge = gauges[key] { return gauge }
            let gauge = CoreMetrics.Gauge(label: name, dimensions: labels, factory: factory)
            gauges[key] = gauge
            return gauge
        }
    }

    private func set(_ name: String, _ labels: [(String, String)], _ value: Int) {
        gauge(name, labels).record(value)
    }
}
