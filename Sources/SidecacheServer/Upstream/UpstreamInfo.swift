import SidecacheUpstream

/// INFO's `upstream` section (Sidecache's own; Redis has none): the mode, then one line per
/// node in the style of Redis's `slaveN:` lines.
enum UpstreamInfo {
    static func lines(mode: String, _ upstream: UpstreamGroup, router: UpstreamRouter?) -> [String] {
        let nodes = upstream.nodes.map(\.snapshot)
        var lines = [
            "upstream_mode:\(mode)",
            "upstream_nodes:\(nodes.count)",
            "upstream_nodes_ejected:\(nodes.filter(\.ejected).count)",
        ]
        if case .cluster(let cluster) = router?.topology {
            let counters = cluster.counters
            lines += [
                "cluster_slots_covered:\(counters.coveredSlots)",
                "cluster_primaries:\(counters.primaries)",
                "cluster_map_refreshes:\(counters.refreshes)",
                "cluster_redirects_followed:\(counters.redirects)",
            ]
        }
        if case .sentinel(let primary) = router?.topology {
            let snapshot = primary.snapshot
            lines += [
                "sentinel_master:\(primary.settings.masterName)",
                "sentinel_primary:\(snapshot?.primary.map { "\($0)" } ?? "")",
                "sentinel_subscribed_to:\(snapshot?.subscribedSentinel.map { "\($0)" } ?? "")",
                "sentinel_switches:\(snapshot?.switches ?? 0)",
            ]
        }
        for (index, node) in nodes.enumerated() {
            var fields = [
                "address=\(node.address)",
                "status=\(node.ejected ? "ejected" : "ok")",
                "consecutive_failures=\(node.consecutiveFailures)",
                "ejections=\(node.ejections)",
            ]
            if let latency = node.latencyMicroseconds { fields.append("ping_usec=\(latency)") }
            // Failure texts may hold commas and colons; INFO fields cannot.
            if let reason = node.lastFailure {
                fields.append("last_failure=" + String(reason.map { ",:\r\n".contains($0) ? " " : $0 }))
            }
            lines.append("node\(index):" + fields.joined(separator: ","))
        }
        return lines
    }
}
