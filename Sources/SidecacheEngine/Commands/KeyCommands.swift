import NIOCore
import SidecacheRESP

/// The generic key commands of Redis's `db.c`.
package enum KeyCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("del", del), ("unlink", del), ("exists", exists), ("type", type), ("dbsize", dbsize),
        ("flushdb", flushdb), ("flushall", flushall),
    ]

    /// DEL and UNLINK (values are freed at once either way: no background thread to hand
    /// them to, and freeing is cheap next to the lookup).
    static func del(_ client: EngineClient, _ db: Database) {
        var deleted = 0
        for index in 1..<client.frame.count {
            client.frame.withArgument(index) { key in
                guard db.delete(key) else { return }
                db.notify(.generic, "del", key: key)
                deleted += 1
            }
        }
        db.keyspace.statistics.changes += deleted
        client.replyInteger(deleted)
    }

    /// EXISTS key [key ...]: a key named twice counts twice.
    static func exists(_ client: EngineClient, _ db: Database) {
        var found = 0
        for index in 1..<client.frame.count
        where client.frame.withArgument(index, { db.lookup($0, options: [.countStatistics, .noTouch]) }) != nil {
            found += 1
        }
        client.replyInteger(found)
    }

    static func type(_ client: EngineClient, _ db: Database) {
        let entry = client.frame.withArgument(1) { db.lookup($0, options: [.countStatistics, .noTouch]) }
        client.out.writeRESPSimpleString(entry?.value.typeName ?? "none")
    }

    static func dbsize(_ client: EngineClient, _ db: Database) {
        client.replyInteger(db.count)
    }

    /// Parses FLUSHDB/FLUSHALL's optional ASYNC|SYNC; `false` after a syntax error.
    private static func parseFlushMode(_ client: EngineClient) -> Bool {
        let frame = client.frame
        if frame.count == 1 { return true }
        if frame.count == 2
            && (frame.argument(1, equalsCaseInsensitive: "async") || frame.argument(1, equalsCaseInsensitive: "sync"))
        {
            return true
        }
        client.replySyntaxError()
        return false
    }

    static func flushdb(_ client: EngineClient, _ db: Database) {
        guard parseFlushMode(client) else { return }
        db.keyspace.statistics.changes += db.removeAll()
        client.replyOK()
    }

    static func flushall(_ client: EngineClient, _ db: Database) {
        guard parseFlushMode(client) else { return }
        var removed = 0
        for database in db.keyspace.databases { removed += database.removeAll() }
        // redis-server 7.0 (without save points) counts the keys removed, as FLUSHDB does.
        db.keyspace.statistics.changes += removed
        client.replyOK()
    }
}
