import NIOCore
import SidecacheRESP

extension HashCommands {
    static let incrementHandlers: [(String, EngineCommand)] = [("hincrby", hincrby), ("hincrbyfloat", hincrbyfloat)]

    /// HINCRBY key field increment (Redis's `hincrbyCommand`).
    ///
    /// The increment is read first ("not an integer"), then the key is looked up and created
    /// when missing. A field that is not an integer in Redis's strict form is refused ("hash
    /// value is not an integer"), so is a sum past 64 bits; neither changes the hash. The
    /// result is stored as decimal text (a listpack becomes a table if the text is longer than
    /// `hash-max-listpack-value`) and answered as an integer.
    static func hincrby(_ client: EngineClient, _ db: Database) {
        guard let increment = client.integerArgument(3) else { return }
        let frame = client.frame
        frame.withArgument(1) { key in
            guard let hash = lookupOrCreate(key, client, db) else { return }
            frame.withArgument(2) { field in
                let current: Int64? = hash.withValue(of: field) { value in
                    guard let value else { return 0 }
                    return RedisInteger.parse(value)
                }
                guard let current else {
                    client.replyError("ERR hash value is not an integer")
                    return
                }
                let (sum, overflow) = current.addingReportingOverflow(increment)
                guard !overflow else {
                    client.replyError(RedisError.overflow)
                    return
                }
                RedisInteger.withDecimalDigits(of: sum) { _ = hash.set(field, $0, limits: db.keyspace.encodingLimits) }
                client.out.writeRESPInteger(Int(sum))
                db.signalModified(key)
                db.notify(.hash, "hincrby", key: key)
                db.keyspace.statistics.changes += 1
            }
        }
    }

    /// HINCRBYFLOAT key field increment (Redis 7.0.15's `hincrbyfloatCommand`).
    ///
    /// The increment is read as a `long double` ("value is not a valid float") and must be
    /// finite ("value is NaN or Infinity"), both before the key is looked up (and created when
    /// missing). A field that is not a number is refused ("hash value is not a float"), so is
    /// a sum that is not finite. The sum is stored and answered as `ld2string` writes it in
    /// human mode (`RedisLongDouble.format`).
    static func hincrbyfloat(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard let increment = frame.withArgument(3, { RedisLongDouble.parse($0) }) else {
            client.replyError(RedisError.notFloat)
            return
        }
        guard increment.isFinite else {
            client.replyError("ERR value is NaN or Infinity")
            return
        }
        frame.withArgument(1) { key in
            guard let hash = lookupOrCreate(key, client, db) else { return }
            frame.withArgument(2) { field in
                let current: RedisLongDouble.Value? = hash.withValue(of: field) { value in
                    guard let value else { return 0 }
                    return RedisLongDouble.parse(value)
                }
                guard let current else {
                    client.replyError("ERR hash value is not a float")
                    return
                }
                let sum = current + increment
                guard sum.isFinite else {
                    client.replyError("ERR increment would produce NaN or Infinity")
                    return
                }
                let text = RedisLongDouble.format(sum)
                text.withUnsafeBytes { bytes in
                    hash.set(field, bytes, limits: db.keyspace.encodingLimits)
                    client.replyBulk(bytes)
                }
                db.signalModified(key)
                db.notify(.hash, "hincrbyfloat", key: key)
                db.keyspace.statistics.changes += 1
            }
        }
    }
}
