/// The security log ACL LOG shows (Redis's `ACLLog`): newest first, similar events within
/// a minute folded into one entry with a count, at most `maxLength` entries.
struct ACLLog: Sendable {
    enum Reason: String, Sendable {
        case command, key, channel, auth
    }

    enum Context: String, Sendable {
        case toplevel, multi
    }

    struct Entry: Sendable {
        var count = 1
        let reason: Reason
        let context: Context
        /// The command, key, channel, or for authentication the command that tried (`auth`,
        /// `hello`); never a password.
        let object: [UInt8]
        let username: [UInt8]
        /// Unix time in milliseconds of the last occurrence.
        var milliseconds: Int64
        /// The client's CLIENT INFO line at the last occurrence.
        var clientInfo: String
    }

    /// Redis's `ACL_LOG_GROUPING_MAX_TIME_DELTA`.
    static let groupingMilliseconds: Int64 = 60_000

    private(set) var entries: [Entry] = []
    var maxLength = 128

    /// Redis's `addACLLogEntry`: folds `entry` into a matching one among the ten newest
    /// (moving it to the front), or adds it and trims the oldest.
    mutating func add(_ entry: Entry) {
        for position in entries.indices.prefix(10) {
            let current = entries[position]
            if current.reason == entry.reason && current.context == entry.context
                && abs(current.milliseconds - entry.milliseconds) <= Self.groupingMilliseconds
                && current.object == entry.object && current.username == entry.username
            {
                var updated = entries.remove(at: position)
                updated.count += 1
                updated.milliseconds = entry.milliseconds
                updated.clientInfo = entry.clientInfo
                entries.insert(updated, at: 0)
                return
            }
        }
        entries.insert(entry, at: 0)
        if entries.count > maxLength { entries.removeLast(entries.count - maxLength) }
    }

    mutating func reset() {
        entries = []
    }
}
