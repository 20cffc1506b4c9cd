import NIOCore
import SidecacheRESP

/// The expiry commands of Redis's `expire.c`.
package enum ExpireCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("expire", expire), ("pexpire", pexpire), ("expireat", expireat), ("pexpireat", pexpireat),
        ("ttl", ttl), ("pttl", pttl), ("expiretime", expiretime), ("pexpiretime", pexpiretime),
        ("persist", persist), ("touch", touch),
    ]

    static func expire(_ client: EngineClient, _ db: Database) {
        expireGeneric(client, db, base: db.keyspace.now, seconds: true, command: "expire")
    }

    static func pexpire(_ client: EngineClient, _ db: Database) {
        expireGeneric(client, db, base: db.keyspace.now, seconds: false, command: "pexpire")
    }

    static func expireat(_ client: EngineClient, _ db: Database) {
        expireGeneric(client, db, base: 0, seconds: true, command: "expireat")
    }

    static func pexpireat(_ client: EngineClient, _ db: Database) {
        expireGeneric(client, db, base: 0, seconds: false, command: "pexpireat")
    }

    private struct Conditions: OptionSet {
        let rawValue: UInt8
        static let nx = Conditions(rawValue: 1)
        static let xx = Conditions(rawValue: 2)
        static let gt = Conditions(rawValue: 4)
        static let lt = Conditions(rawValue: 8)
    }

    /// Redis's `parseExtendedExpireArgumentsOrReply`: NX, XX, GT, LT from argument 3 on.
    private static func parseConditions(_ client: EngineClient) -> Conditions? {
        var conditions: Conditions = []
        let frame = client.frame
        for index in 3..<max(frame.count, 3) {
            if frame.argument(index, equalsCaseInsensitive: "nx") {
                conditions.insert(.nx)
            } else if frame.argument(index, equalsCaseInsensitive: "xx") {
                conditions.insert(.xx)
            } else if frame.argument(index, equalsCaseInsensitive: "gt") {
                conditions.insert(.gt)
            } else if frame.argument(index, equalsCaseInsensitive: "lt") {
                conditions.insert(.lt)
            } else {
                // Redis formats the option with `%s`: its bytes as they are, up to a NUL.
                let option = frame.bytes(index).prefix { $0 != 0 }
                client.replyError(bytes: Array("ERR Unsupported option ".utf8) + option)
                return nil
            }
        }
        if conditions.contains(.nx) && !conditions.isDisjoint(with: [.xx, .gt, .lt]) {
            client.replyError("ERR NX and XX, GT or LT options at the same time are not compatible")
            return nil
        }
        if conditions.contains([.gt, .lt]) {
            client.replyError("ERR GT and LT options at the same time are not compatible")
            return nil
        }
        return conditions
    }

    /// Redis's `expireGenericCommand`: `base` is added to the argument (now, or 0 for the
    /// *AT forms); a time already past deletes the key.
    private static func expireGeneric(_ client: EngineClient, _ db: Database, base: Int64, seconds: Bool, command: String) {
        guard let conditions = parseConditions(client), var when = client.integerArgument(2) else { return }
        if seconds {
            guard when <= Int64.max / 1000 && when >= Int64.min / 1000 else {
                client.replyError(RedisError.invalidExpireTime(command))
                return
            }
            when *= 1000
        }
        guard when <= Int64.max - base else {
            client.replyError(RedisError.invalidExpireTime(command))
            return
        }
        when += base
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupWrite(key) else {
                client.replyInteger(0)
                return
            }
            let current = entry.expireAt
            if conditions.contains(.nx) && current != nil
                || conditions.contains(.xx) && current == nil
                || conditions.contains(.gt) && (current.map { when <= $0 } ?? true)
                || conditions.contains(.lt) && (current.map { when >= $0 } ?? false)
            {
                client.replyInteger(0)
                return
            }
            // Redis answers after the `del` event of a time already past, before the `expire` event.
            if db.isPast(when) {
                db.expire(entry, key: key, at: when)
                client.replyInteger(1)
            } else {
                client.replyInteger(1)
                db.expire(entry, key: key, at: when)
            }
        }
    }

    static func ttl(_ client: EngineClient, _ db: Database) { ttlGeneric(client, db, milliseconds: false, absolute: false) }
    static func pttl(_ client: EngineClient, _ db: Database) { ttlGeneric(client, db, milliseconds: true, absolute: false) }

    static func expiretime(_ client: EngineClient, _ db: Database) {
        ttlGeneric(client, db, milliseconds: false, absolute: true)
    }

    static func pexpiretime(_ client: EngineClient, _ db: Database) {
        ttlGeneric(client, db, milliseconds: true, absolute: true)
    }

    /// Redis's `ttlGenericCommand`: -2 for a missing key, -1 for no expiry.
    private static func ttlGeneric(_ client: EngineClient, _ db: Database, milliseconds: Bool, absolute: Bool) {
        client.frame.withArgument(1) { key in
            guard let entry = db.lookup(key, options: [.countStatistics, .noTouch]) else {
                client.replyInteger(-2)
                return
            }
            guard let expireAt = entry.expireAt else {
                client.replyInteger(-1)
                return
            }
            let value = max(absolute ? expireAt : expireAt - db.keyspace.now, 0)
            // Rounded to the nearest second as `(value + 500) / 1000`, without overflowing for
            // times up to `Int64.max` (EXPIRETIME after PXAT 9223372036854775807).
            client.replyInteger(Int(milliseconds ? value : value / 1000 + (value % 1000 + 500) / 1000))
        }
    }

    static func persist(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupWrite(key), db.removeExpire(entry) else {
                client.replyInteger(0)
                return
            }
            db.signalModified(key)
            db.notify(.generic, "persist", key: key)
            db.keyspace.statistics.changes += 1
            client.replyInteger(1)
        }
    }

    /// TOUCH key [key ...]: how many exist; updates their access time.
    static func touch(_ client: EngineClient, _ db: Database) {
        var touched = 0
        for index in 1..<client.frame.count where client.frame.withArgument(index, { db.lookupRead($0) }) != nil {
            touched += 1
        }
        client.replyInteger(touched)
    }
}
