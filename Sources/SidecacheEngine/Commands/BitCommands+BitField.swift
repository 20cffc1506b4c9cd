import NIOCore
import SidecacheRESP

extension BitCommands {
    /// BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value |
    /// INCRBY type offset increment ...]
    static func bitfield(_ client: EngineClient, _ db: Database) {
        bitfieldGeneric(client, db, readOnly: false)
    }

    /// BITFIELD_RO key [GET type offset ...]
    static func bitfieldReadOnly(_ client: EngineClient, _ db: Database) {
        bitfieldGeneric(client, db, readOnly: true)
    }

    /// Redis's `bitfieldGeneric`: every subcommand is parsed (and BITFIELD_RO's refusal of
    /// writes checked) before the key is looked up.
    ///
    /// GET-only lists look the key up for reading (a missing key reads zeros) and change
    /// nothing. Lists with a write look it up for writing, create it or grow it to the last
    /// byte any write touches and store it as `raw` even when every write fails under
    /// OVERFLOW FAIL, as Redis does; watchers are signalled, and the change counter moves by
    /// the number of writes that changed a field or ran on a grown value, only when that is
    /// not zero. Replies with one integer per GET/SET/INCRBY, null for a FAIL overflow.
    static func bitfieldGeneric(_ client: EngineClient, _ db: Database, readOnly: Bool) {
        let frame = client.frame
        guard
            let operations = client.parsing({ () throws(StringCommandError) in
                try BitField.parse(arguments(frame, from: 2), readOnly: readOnly, maxBulkLength: db.keyspace.maxStringLength)
            })
        else { return }
        frame.withArgument(1) { key in
            guard BitField.writes(operations) else {
                let entry = db.lookupRead(key)
                if let entry, !entry.value.isString {
                    client.replyWrongType()
                    return
                }
                let results = entry?.withStringBytes { BitField.read(operations, from: $0) } ?? BitField.read(operations, from: nil)
                client.out.writeRESPArrayHeader(results.count)
                for result in results { client.out.writeRESPInteger(Int(result)) }
                return
            }
            let entry = db.lookupWrite(key)
            if let entry, !entry.value.isString {
                client.replyWrongType()
                return
            }
            var bytes = entry.map(db.takeRawBytes) ?? []
            let outcome = BitField.execute(operations, on: &bytes)
            storeRaw(bytes, at: key, replacing: entry, db)
            if outcome.modified {
                db.signalModified(key)
                db.keyspace.statistics.changes += outcome.changes
            }
            client.out.writeRESPArrayHeader(outcome.results.count)
            for result in outcome.results {
                if let result {
                    client.out.writeRESPInteger(Int(result))
                } else {
                    client.replyNull()
                }
            }
            // Redis notifies after the reply here.
            if outcome.modified { db.notify(.string, "setbit", key: key) }
        }
    }
}
