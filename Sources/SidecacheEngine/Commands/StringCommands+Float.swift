import NIOCore
import SidecacheRESP

extension StringCommands {
    static let floatHandlers: [(String, EngineCommand)] = [("incrbyfloat", incrbyfloat)]

    /// INCRBYFLOAT key increment (Redis's `incrbyfloatCommand`).
    ///
    /// Looks the key up for writing; WRONGTYPE, then the value and the increment read as
    /// `long double` ("value is not a valid float"), then a NaN or infinite sum, are refused
    /// without a change. The result is stored as the text Redis prints (`%.17Lf` without
    /// trailing zeros) with `createStringObject`'s encoding: `embstr` up to 44 bytes, `raw`
    /// beyond, never `int`. An existing key keeps its expiry. Always one change.
    static func incrbyfloat(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            client.frame.withArgument(2) { increment in
                let entry = db.lookupWrite(key)
                if let entry, !entry.value.isString {
                    client.replyWrongType()
                    return
                }
                let sum: Result<[UInt8], StringCommandError>
                if let entry {
                    sum = entry.withStringBytes { current in
                        Result { () throws(StringCommandError) in try RedisLongDouble.incrementByFloat(current, by: increment) }
                    }
                } else {
                    sum = Result { () throws(StringCommandError) in try RedisLongDouble.incrementByFloat(nil, by: increment) }
                }
                let text: [UInt8]
                switch sum {
                case .success(let value):
                    text = value
                case .failure(let error):
                    client.replyError(error)
                    return
                }
                text.withUnsafeBytes { bytes in
                    let isShort = bytes.count <= StoredValue.embeddedLimit
                    let value: StoredValue = isShort ? .embedded(UInt32(bytes.count)) : .raw(text)
                    let embedded = isShort ? bytes : UnsafeRawBufferPointer(start: nil, count: 0)
                    if let entry {
                        db.replaceValue(of: entry, with: value, embedded: embedded)
                    } else {
                        db.add(key, value, embedded: embedded)
                    }
                    db.signalModified(key)
                    db.notify(.string, "incrbyfloat", key: key)
                    db.keyspace.statistics.changes += 1
                    client.replyBulk(bytes)
                }
            }
        }
    }
}
