import NIOCore
import SidecacheRESP

/// DUMP and RESTORE (Redis's `cluster.c` migration half): a key's value in Redis's own
/// serialization, so payloads move between sidecache and redis-server in both directions.
package enum DumpCommands {
    static let handlers: [(String, EngineCommand)] = [("dump", dump), ("restore", restore)]

    /// The serialized form of a stored value; `nil` for a type Redis has no format for.
    package static func dumpValue(of entry: KeyEntry) -> DumpValue? {
        if let collection = entry.value.collection { return collection.dumpValue }
        return .string(entry.stringBytes)
    }

    static func dump(_ client: EngineClient, _ db: Database) {
        guard let entry = client.frame.withArgument(1, { db.lookupRead($0) }) else {
            client.replyNull()
            return
        }
        guard let value = dumpValue(of: entry) else {
            return client.replyError("ERR DUMP is not supported for keys of type \(entry.value.typeName)")
        }
        client.out.writeRESPBulkString(DumpPayload.encode(value))
    }

    /// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency],
    /// with Redis's `restoreCommand` order of checks.
    static func restore(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        var replace = false
        var absoluteTTL = false
        var idleSeconds: Int64 = -1
        var frequency: Int64 = -1
        var index = 4
        while index < frame.count {
            let hasValue = index + 1 < frame.count
            if frame.argument(index, equalsCaseInsensitive: "replace") {
                replace = true
            } else if frame.argument(index, equalsCaseInsensitive: "absttl") {
                absoluteTTL = true
            } else if frame.argument(index, equalsCaseInsensitive: "idletime") && hasValue && frequency == -1 {
                guard let value = client.integerArgument(index + 1) else { return }
                guard value >= 0 else { return client.replyError("ERR Invalid IDLETIME value, must be >= 0") }
                idleSeconds = value
                index += 1
            } else if frame.argument(index, equalsCaseInsensitive: "freq") && hasValue && idleSeconds == -1 {
                guard let value = client.integerArgument(index + 1) else { return }
                guard value >= 0 && value <= 255 else {
                    return client.replyError("ERR Invalid FREQ value, must be >= 0 and <= 255")
                }
                frequency = value
                index += 1
            } else {
                return client.replySyntaxError()
            }
            index += 1
        }
        frame.withArgument(1) { key in
            if !replace && db.lookupWrite(key) != nil {
                return client.replyError("BUSYKEY Target key name already exists.")
            }
            guard var ttl = client.integerArgument(2) else { return }
            guard ttl >= 0 else { return client.replyError("ERR Invalid TTL value, must be >= 0") }
            let decoded = frame.withArgument(3) { payload in
                Result { () throws(DumpPayloadError) in try DumpPayload.decode(payload) }
            }
            let value: DumpValue
            switch decoded {
            case .success(let decodedValue): value = decodedValue
            case .failure(let error): return client.replyError(error.redisMessage)
            }
            let deleted = replace && db.delete(key)
            if ttl != 0 && !absoluteTTL { ttl = ttl &+ db.keyspace.now }
            if ttl != 0 && ttl <= db.keyspace.now {
                if deleted {
                    db.notify(.generic, "del", key: key)
                    db.keyspace.statistics.changes += 1
                }
                return client.replyOK()
            }
            let entry = db.addRestored(key, value)
            if ttl != 0 { db.setExpire(entry, at: ttl) }
            // Redis's objectSetLRUOrLFU: FREQ under an LFU policy, IDLETIME under any other.
            if db.keyspace.usesLFU {
                if frequency >= 0 { entry.accessClock = (db.keyspace.lfuMinutes << 8) | UInt32(frequency) }
            } else if idleSeconds >= 0 {
                let clock = Int64(db.keyspace.accessClock)
                var idleClock = clock - idleSeconds
                if idleClock < 0 { idleClock = (clock + Int64(KeyspaceState.accessClockMax) / 2) % Int64(KeyspaceState.accessClockMax) }
                entry.accessClock = UInt32(idleClock)
            }
            db.signalModified(key)
            db.notify(.generic, "restore", key: key)
            db.keyspace.statistics.changes += 1
            client.replyOK()
        }
    }
}
