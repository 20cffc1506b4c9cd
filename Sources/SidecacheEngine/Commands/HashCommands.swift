import NIOCore
import SidecacheRESP

/// The hash commands of Redis's `t_hash.c`. Lookups, replies, change counts and keyspace
/// notifications follow Redis 7.0 command by command.
package enum HashCommands {
    static let handlers: [(String, EngineCommand)] =
        [
            ("hset", hset), ("hmset", hmset), ("hsetnx", hsetnx), ("hget", hget), ("hmget", hmget),
            ("hgetall", hgetall), ("hkeys", hkeys), ("hvals", hvals), ("hdel", hdel), ("hexists", hexists),
            ("hlen", hlen), ("hstrlen", hstrlen),
        ] + incrementHandlers + randomHandlers + scanHandlers

    /// Redis's `hashTypeLookupWriteOrCreate`: the hash at `key`, or a new empty one added to
    /// the database when the key is missing; `nil` after WRONGTYPE.
    static func lookupOrCreate(_ key: UnsafeRawBufferPointer, _ client: EngineClient, _ db: Database) -> HashValue? {
        switch db.lookupWrite(key, as: \.hash, for: client) {
        case .found(let hash):
            return hash
        case .wrongType:
            return nil
        case .missing:
            let hash = HashValue()
            db.add(key, .hash(hash))
            return hash
        }
    }

    // MARK: Writing

    /// HSET key field value [field value ...]: the number of fields added.
    static func hset(_ client: EngineClient, _ db: Database) {
        setFields(client, db, command: "hset")
    }

    /// HMSET key field value [field value ...]: HSET answering OK.
    static func hmset(_ client: EngineClient, _ db: Database) {
        setFields(client, db, command: "hmset")
    }

    /// Redis's `hsetCommand`. An odd number of arguments is refused before the lookup. A
    /// missing key gets a listpack allocated once for all the pairs, filled before the key is
    /// added. Counts one change per pair, whether new or not.
    static func setFields(_ client: EngineClient, _ db: Database, command: String) {
        let frame = client.frame
        guard frame.count % 2 == 0 else {
            client.replyError("ERR wrong number of arguments for '\(command)' command")
            return
        }
        frame.withArgument(1) { key in
            let limits = db.keyspace.encodingLimits
            var longest = 0
            var total = 0
            var payload = 0
            for index in 2..<frame.count {
                longest = max(longest, frame.length(index))
                total += frame.length(index)
                payload += PackedList.entrySize(frame.length(index))
            }
            let hash: HashValue
            var isNew = false
            switch db.lookupWrite(key, as: \.hash, for: client) {
            case .found(let found): hash = found
            case .wrongType: return
            case .missing:
                let staysPacked = longest <= limits.hashMaxListpackValue && (frame.count - 2) / 2 <= limits.hashMaxListpackEntries
                hash = HashValue(reservingPayload: staysPacked ? payload : 0)
                isNew = true
            }
            hash.prepareForWrite(longest: longest, total: total, limits: limits)
            var added = 0
            for index in stride(from: 2, to: frame.count, by: 2) {
                frame.withArgument(index) { field in
                    frame.withArgument(index + 1) { value in
                        if !hash.set(field, value, limits: limits) { added += 1 }
                    }
                }
            }
            if isNew { db.add(key, .hash(hash)) }
            if command == "hset" { client.replyInteger(added) } else { client.replyOK() }
            db.signalModified(key)
            db.notify(.hash, "hset", key: key)
            db.keyspace.statistics.changes += (frame.count - 2) / 2
        }
    }

    /// HSETNX key field value: 1 when the field was set, 0 when it existed (no change).
    static func hsetnx(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            guard let hash = lookupOrCreate(key, client, db) else { return }
            frame.withArgument(2) { field in
                if hash.contains(field) {
                    client.replyInteger(0)
                    return
                }
                frame.withArgument(3) { value in
                    let limits = db.keyspace.encodingLimits
                    hash.prepareForWrite(longest: max(field.count, value.count), total: field.count + value.count, limits: limits)
                    hash.set(field, value, limits: limits)
                }
                client.replyInteger(1)
                db.signalModified(key)
                db.notify(.hash, "hset", key: key)
                db.keyspace.statistics.changes += 1
            }
        }
    }

    /// HDEL key field [field ...]: the number of fields removed. The key goes when its last
    /// field does (later fields are not looked at, as in Redis).
    static func hdel(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            let hash: HashValue
            switch db.lookupWrite(key, as: \.hash, for: client) {
            case .found(let found): hash = found
            case .wrongType: return
            case .missing:
                client.replyInteger(0)
                return
            }
            let deleted = db.removeMembers(
                of: key, frame: frame, type: .hash, event: "hdel", remove: { hash.remove($0) }, isEmpty: { hash.count == 0 }
            )
            client.replyInteger(deleted)
        }
    }

    // MARK: Reading

    /// HGET key field: the value, or null.
    static func hget(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: { client.replyNull() }) else { return }
            client.frame.withArgument(2) { field in replyValue(client, hash, field) }
        }
    }

    /// HMGET key field [field ...]: the values, null for each missing field (all null for a
    /// missing key).
    static func hmget(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            var hash: HashValue?
            if let entry = db.lookupRead(key) {
                guard let found = entry.value.hash else {
                    client.replyWrongType()
                    return
                }
                hash = found
            }
            client.out.writeRESPArrayHeader(frame.count - 2)
            for index in 2..<frame.count {
                guard let hash else {
                    client.replyNull()
                    continue
                }
                frame.withArgument(index) { field in replyValue(client, hash, field) }
            }
        }
    }

    private static func replyValue(_ client: EngineClient, _ hash: HashValue, _ field: UnsafeRawBufferPointer) {
        hash.withValue(of: field) { value in
            if let value { client.replyBulk(value) } else { client.replyNull() }
        }
    }

    /// HGETALL key: a map of fields to values (a flat array in RESP2), in the listpack's order.
    static func hgetall(_ client: EngineClient, _ db: Database) {
        replyAll(client, db, fields: true, values: true)
    }

    static func hkeys(_ client: EngineClient, _ db: Database) {
        replyAll(client, db, fields: true, values: false)
    }

    static func hvals(_ client: EngineClient, _ db: Database) {
        replyAll(client, db, fields: false, values: true)
    }

    /// Redis's `genericHgetallCommand`: a missing key is an empty map (HGETALL) or array.
    private static func replyAll(_ client: EngineClient, _ db: Database, fields: Bool, values: Bool) {
        client.frame.withArgument(1) { key in
            let isMap = fields && values
            let missing = {
                if isMap { client.out.writeRESPMapHeader(0, client.protocolVersion) } else { client.out.writeRESPArrayHeader(0) }
            }
            guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: missing) else { return }
            if isMap {
                client.out.writeRESPMapHeader(hash.count, client.protocolVersion)
            } else {
                client.out.writeRESPArrayHeader(hash.count)
            }
            hash.forEach { field, value in
                if fields { client.replyBulk(field) }
                if values { client.replyBulk(value) }
            }
        }
    }

    /// HEXISTS key field: 1 or 0.
    static func hexists(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(client.frame.withArgument(2) { hash.contains($0) } ? 1 : 0)
        }
    }

    /// HLEN key: the number of fields, 0 for a missing key.
    static func hlen(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(hash.count)
        }
    }

    /// HSTRLEN key field: the value's length, 0 for a missing field or key.
    static func hstrlen(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(client.frame.withArgument(2) { field in hash.withValue(of: field) { $0?.count ?? 0 } })
        }
    }
}
