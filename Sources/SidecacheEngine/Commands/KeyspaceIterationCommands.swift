import NIOCore
import SidecacheRESP

/// The commands of Redis's `db.c` that walk or sample a database: KEYS, SCAN, RANDOMKEY.
package enum KeyspaceIterationCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("keys", keys), ("scan", scan), ("randomkey", randomkey),
    ]

    /// KEYS pattern: every live key matching the glob, in table order. Expired keys are
    /// skipped but not deleted (Redis's `keyIsExpired`, not `expireIfNeeded`).
    static func keys(_ client: EngineClient, _ db: Database) {
        var matched: [KeyEntry] = []
        client.frame.withArgument(1) { pattern in
            let matchesAll = pattern.count == 1 && pattern[0] == UInt8(ascii: "*")
            db.forEachLiveEntry { entry in
                if matchesAll || entry.withKey({ GlobMatcher.matches(pattern: pattern, $0) }) {
                    matched.append(entry)
                }
            }
        }
        client.out.writeRESPArrayHeader(matched.count)
        for entry in matched {
            entry.withKey { client.out.writeRESPBulkString($0) }
        }
    }

    /// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: Redis's `scanGenericCommand`
    /// on the database's table.
    ///
    /// Steps the table from `cursor` until COUNT keys were collected, the cursor is back at
    /// 0, or `COUNT * 10` more steps were taken; then drops the keys that do not match the
    /// pattern, that are not of the type (looked up as TYPE does: counted as a hit or miss,
    /// and an expired key is deleted there and so reads as "none"), or that have expired
    /// (deleted on the spot, as `expireIfNeeded`). Replies `[next cursor, keys]`. A key
    /// present for a whole iteration (cursor 0 to cursor 0) is returned at least once,
    /// however the table grows or shrinks meanwhile.
    static func scan(_ client: EngineClient, _ db: Database) {
        guard let start = ScanArguments.cursor(client, at: 1),
            let arguments = ScanArguments.parse(client, from: 2, allowsType: true)
        else { return }
        var collected: [KeyEntry] = []
        var cursor = start
        var iterationsLeft = arguments.maximumIterations
        while true {
            cursor = db.scan(cursor: cursor) { collected.append($0) }
            if cursor == 0 || iterationsLeft == 0 { break }
            iterationsLeft -= 1
            if collected.count >= arguments.count { break }
        }
        let frame = client.frame
        var kept: [KeyEntry] = []
        kept.reserveCapacity(collected.count)
        for entry in collected {
            let keep = entry.withKey { key -> Bool in
                if let patternIndex = arguments.patternIndex,
                    !frame.withArgument(patternIndex, { GlobMatcher.matches(pattern: $0, key) })
                {
                    return false
                }
                if let typeIndex = arguments.typeIndex {
                    let typeName = db.lookup(key, options: [.countStatistics, .noTouch])?.value.typeName ?? "none"
                    if !frame.withArgument(typeIndex, { Self.equalsIgnoringCase($0, typeName) }) { return false }
                }
                // The key may be gone already (deleted by the type lookup above): then it is
                // kept, as Redis keeps it, since `expireIfNeeded` finds nothing to expire.
                if let current = db.peek(key), db.isExpired(current) {
                    db.deleteExpired(current)
                    return false
                }
                return true
            }
            if keep { kept.append(entry) }
        }
        client.out.writeRESPArrayHeader(2)
        // Redis writes the unsigned cursor through a signed conversion.
        client.out.writeRESPBulkString(decimal: Int64(truncatingIfNeeded: cursor))
        client.out.writeRESPArrayHeader(kept.count)
        for entry in kept {
            entry.withKey { client.out.writeRESPBulkString($0) }
        }
    }

    /// Whether `bytes` equals `name` ignoring ASCII case (Redis's `strcasecmp`).
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        name.withUTF8Buffer { expected in
            guard bytes.count == expected.count else { return false }
            for index in 0..<bytes.count where ASCII.lowercased(bytes[index]) != ASCII.lowercased(expected[index]) {
                return false
            }
            return true
        }
    }

    /// RANDOMKEY: a random live key, or null when the database is empty. Expired keys met on
    /// the way are deleted (`dbRandomKey`).
    static func randomkey(_ client: EngineClient, _ db: Database) {
        guard let entry = db.randomEntry() else {
            client.replyNull()
            return
        }
        entry.withKey { client.replyBulk($0) }
    }
}
