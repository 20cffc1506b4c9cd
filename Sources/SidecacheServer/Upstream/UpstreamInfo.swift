import SidecacheUpstream

/// INFO's `upstream` section (Sidecache's own; Redis has none): the mode, then one line per
/// node in the style of Redis's `slaveN:` lines.
enum UpstreamInfo {
    static func lines(mode: String, _ upstream: UpstreamGroup) -> [String] {
        let nodes = upstream.nodes.map(\.snapshot)
        var lines = [
            "upstream_mode:\(mode)",
            "upstream_nodes:\(nodes.count)",
            "upstream_nodes_ejected:\(nodes.filter(\.ejected).count)",
        ]
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
