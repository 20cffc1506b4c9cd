import NIOCore
import SidecacheRESP

/// The commands of Redis's `db.c` that give a value another name or database: RENAME,
/// RENAMENX, COPY, MOVE and SWAPDB.
package enum RenameCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("rename", rename), ("renamenx", renamenx), ("copy", copy), ("move", move), ("swapdb", swapdb),
    ]

    static let sameObject = "ERR source and destination objects are the same"

    static func rename(_ client: EngineClient, _ db: Database) { renameGeneric(client, db, onlyIfAbsent: false) }
    static func renamenx(_ client: EngineClient, _ db: Database) { renameGeneric(client, db, onlyIfAbsent: true) }

    /// Redis's `renameGenericCommand`. A missing source is "ERR no such key", even when both
    /// names are the same; the same existing name is a no-op (OK, or 0 for RENAMENX). Any
    /// destination value is replaced (RENAME) or kept with reply 0 (RENAMENX). The value
    /// keeps its expiry and access clock; watchers of both names are signalled.
    private static func renameGeneric(_ client: EngineClient, _ db: Database, onlyIfAbsent: Bool) {
        client.frame.withArgument(1) { source in
            client.frame.withArgument(2) { destination in
                guard let entry = db.lookupWrite(source) else {
                    client.replyError(RedisError.noSuchKey)
                    return
                }
                if source.elementsEqual(destination) {
                    if onlyIfAbsent { client.replyInteger(0) } else { client.replyOK() }
                    return
                }
                if let existing = db.lookupWrite(destination) {
                    if onlyIfAbsent {
                        client.replyInteger(0)
                        return
                    }
                    db.remove(existing)
                }
                db.addCopy(of: entry, as: destination, deep: false, keepAccessClock: true)
                db.remove(entry)
                db.signalModified(source)
                db.signalModified(destination)
                db.notify(.generic, "rename_from", key: source)
                db.notify(.generic, "rename_to", key: destination)
                db.keyspace.statistics.changes += 1
                if onlyIfAbsent { client.replyInteger(1) } else { client.replyOK() }
            }
        }
    }

    /// Redis's `getIntFromObjectOrReply`: the argument at `index` as a 32-bit integer, or
    /// `nil` after replying `message` (when given) or Redis's own texts for a non-integer
    /// and for a value outside the 32-bit range.
    static func int32Argument(_ client: EngineClient, _ index: Int, message: String? = nil) -> Int? {
        guard let value = client.frame.integer(index) else {
            client.replyError(message ?? RedisError.notInteger)
            return nil
        }
        guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else {
            client.replyError(message ?? "ERR value is out of range, value must between -2147483648 and 2147483647")
            return nil
        }
        return Int(value)
    }

    /// A database number argument (MOVE, COPY ... DB): `nil` after replying the integer
    /// errors or "ERR DB index is out of range".
    private static func databaseArgument(_ client: EngineClient, _ db: Database, _ index: Int) -> Database? {
        guard let number = int32Argument(client, index) else { return nil }
        guard number >= 0 && number < db.keyspace.databases.count else {
            client.replyError(RedisError.databaseOutOfRange)
            return nil
        }
        return db.keyspace.database(number)
    }

    /// COPY source destination [DB destination-db] [REPLACE]: Redis's `copyCommand`. Options
    /// are read in order (an error stops at the first bad one); the same key in the same
    /// database is an error even when it does not exist. The source is read as a read
    /// command reads it (hit or miss counted, access time updated). The copy has its own
    /// bytes, the source's expiry and a fresh access time. Replies 1, or 0 when the source is
    /// missing or the destination exists without REPLACE.
    static func copy(_ client: EngineClient, _ db: Database) {
        var target = db
        var replace = false
        var index = 3
        let frame = client.frame
        while index < frame.count {
            if frame.argument(index, equalsCaseInsensitive: "replace") {
                replace = true
            } else if frame.argument(index, equalsCaseInsensitive: "db") && index + 1 < frame.count {
                guard let chosen = databaseArgument(client, db, index + 1) else { return }
                target = chosen
                index += 1
            } else {
                client.replySyntaxError()
                return
            }
            index += 1
        }
        frame.withArgument(1) { source in
            frame.withArgument(2) { destination in
                if target === db && source.elementsEqual(destination) {
                    client.replyError(sameObject)
                    return
                }
                guard let entry = db.lookupRead(source) else {
                    client.replyInteger(0)
                    return
                }
                if let existing = target.lookupWrite(destination) {
                    guard replace else {
                        client.replyInteger(0)
                        return
                    }
                    target.remove(existing)
                }
                target.addCopy(of: entry, as: destination, deep: true, keepAccessClock: false)
                target.signalModified(destination)
                target.notify(.generic, "copy_to", key: destination)
                db.keyspace.statistics.changes += 1
                client.replyInteger(1)
            }
        }
    }

    /// MOVE key db: Redis's `moveCommand`. The database number is checked first (integer,
    /// range, then not the current one); replies 0 when the key is missing here or exists
    /// there, else moves the value with its expiry and access clock and replies 1. Watchers
    /// of the key in both databases are signalled.
    static func move(_ client: EngineClient, _ db: Database) {
        guard let target = databaseArgument(client, db, 2) else { return }
        guard target !== db else {
            client.replyError(sameObject)
            return
        }
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupWrite(key), target.lookupWrite(key) == nil else {
                client.replyInteger(0)
                return
            }
            target.addCopy(of: entry, as: key, deep: false, keepAccessClock: true)
            db.remove(entry)
            db.signalModified(key)
            target.signalModified(key)
            db.notify(.generic, "move_from", key: key)
            target.notify(.generic, "move_to", key: key)
            db.keyspace.statistics.changes += 1
            client.replyInteger(1)
        }
    }

    /// SWAPDB index1 index2: Redis's `swapdbCommand`. Each index must be a 32-bit integer
    /// ("ERR invalid first/second DB index") and a database ("ERR DB index is out of
    /// range"). Clients keep their selected numbers and so see the other contents; watchers
    /// of keys existing in either database are signalled. Swapping a database with itself
    /// is OK and still counts as a change, as in Redis.
    static func swapdb(_ client: EngineClient, _ db: Database) {
        guard let first = int32Argument(client, 1, message: "ERR invalid first DB index"),
            let second = int32Argument(client, 2, message: "ERR invalid second DB index")
        else { return }
        let range = 0..<db.keyspace.databases.count
        guard range.contains(first) && range.contains(second) else {
            client.replyError(RedisError.databaseOutOfRange)
            return
        }
        db.keyspace.swapDatabases(first, second)
        db.keyspace.statistics.changes += 1
        client.replyOK()
    }
}
