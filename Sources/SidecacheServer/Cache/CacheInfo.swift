/// INFO's `sidecache` section (Sidecache's own): the cache tier's state, then one line per
/// rule with its counters, in the style of Redis's `dbN:` lines.
enum CacheInfo {
    static func lines(_ tier: CacheTier) -> [String] {
        let snapshot = tier.snapshot
        var lines = [
            "cache_rules:\(tier.policy.rules.count)",
            "tracking_link:\(tier.linkStatus)",
            "null_entries:\(snapshot.nullEntries)",
            "fills_in_progress:\(snapshot.fillsInProgress)",
        ]
        for (index, rule) in tier.policy.rules.enumerated() {
            var fields = ["match=\(sanitized(rule.pattern.text))", "mode=\(rule.mode.rawValue)"]
            fields += snapshot.counters[index].fields.map { "\($0.0)=\($0.1)" }
            if let bloom = snapshot.blooms[index] {
                fields += ["bloom_ready=\(bloom.ready ? 1 : 0)", "bloom_keys=\(bloom.insertions)", "bloom_bytes=\(bloom.bytes)"]
            }
            lines.append("rule\(index):" + fields.joined(separator: ","))
        }
        return lines
    }

    /// INFO fields cannot hold commas, colons or line breaks.
    private static func sanitized(_ text: String) -> String {
        String(text.map { ",:\r\n".contains($0) ? "_" : $0 })
    }
}
