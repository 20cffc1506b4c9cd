import NIOCore
import SidecacheRESP

/// The list commands that work by index or by value: LRANGE, LTRIM, LINDEX, LSET, LINSERT,
/// LREM and LPOS.
extension ListCommands {
    static let positionHandlers: [(String, EngineCommand)] = [
        ("lrange", lrange), ("ltrim", ltrim), ("lindex", lindex), ("lset", lset), ("linsert", linsert),
        ("lrem", lrem), ("lpos", lpos),
    ]

    /// Redis's start/end arithmetic of LRANGE and LTRIM: negative indexes count from the tail,
    /// the start is clamped to 0 and the end to the last element. `nil` for an empty range.
    static func range(start: Int64, end: Int64, length: Int) -> (start: Int, length: Int)? {
        let length64 = Int64(length)
        var start = start < 0 ? length64 + start : start
        var end = end < 0 ? length64 + end : end
        if start < 0 { start = 0 }
        guard start <= end && start < length64 else { return nil }
        if end >= length64 { end = length64 - 1 }
        return (Int(start), Int(end - start + 1))
    }

    /// LRANGE key start stop: indexes are parsed before the key is looked up.
    static func lrange(_ client: EngineClient, _ db: Database) {
        guard let start = client.integerArgument(2), let end = client.integerArgument(3) else { return }
        client.frame.withArgument(1) { key in
            guard let list = db.lookupRead(key, as: \.list, for: client, missing: { client.out.writeRESPArrayHeader(0) })
            else { return }
            guard let (first, length) = range(start: start, end: end, length: list.count) else {
                return client.out.writeRESPArrayHeader(0)
            }
            replyRange(client, list, start: first, length: length, reverse: false)
        }
    }

    /// LTRIM key start stop: keeps the range (an empty range empties the list, which deletes
    /// the key). Always an ltrim event and a watch signal, as in Redis.
    static func ltrim(_ client: EngineClient, _ db: Database) {
        guard let start = client.integerArgument(2), let end = client.integerArgument(3) else { return }
        client.frame.withArgument(1) { key in
            guard case .found(let list) = db.lookupWrite(key, as: \.list, for: client, missing: { client.replyOK() }) else {
                return
            }
            let total = list.count
            let kept = range(start: start, end: end, length: total)
            let removedAtHead = kept?.start ?? total
            let removedAtTail = kept.map { total - $0.start - $0.length } ?? 0
            list.removeRange(start: 0, length: removedAtHead)
            list.removeRange(start: list.count - removedAtTail, length: removedAtTail)
            db.notify(.list, "ltrim", key: key)
            if list.isEmpty {
                db.delete(key)
                db.notify(.generic, "del", key: key)
            } else {
                db.signalModified(key)
            }
            db.keyspace.statistics.changes += removedAtHead + removedAtTail
            client.replyOK()
        }
    }

    /// LINDEX key index: the key is looked up before the index is parsed.
    static func lindex(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let list = db.lookupRead(key, as: \.list, for: client, missing: { client.replyNull() }) else { return }
            guard let index = client.integerArgument(2) else { return }
            guard let position = list.normalizedIndex(index) else { return client.replyNull() }
            list.withElement(at: position) { $0.write(to: &client.out) }
        }
    }

    /// LSET key index element: "no such key" for a missing key, then the index is parsed.
    static func lset(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            guard case .found(let list) = db.lookupWrite(key, as: \.list, for: client, missing: {
                client.replyError(RedisError.noSuchKey)
            }) else { return }
            guard let index = client.integerArgument(2) else { return }
            guard let position = list.normalizedIndex(index) else { return client.replyError(RedisError.outOfRange) }
            frame.withArgument(3) { list.replace(at: position, with: $0, fill: ListFill(db.keyspace.encodingLimits)) }
            client.replyOK()
            db.signalModified(key)
            db.notify(.list, "lset", key: key)
            db.keyspace.statistics.changes += 1
        }
    }

    /// LINSERT key BEFORE|AFTER pivot element: the new length, 0 for a missing key, -1 when
    /// the pivot is not there. The position word is checked before the key is looked up.
    static func linsert(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        let after: Bool
        if frame.argument(2, equalsCaseInsensitive: "after") {
            after = true
        } else if frame.argument(2, equalsCaseInsensitive: "before") {
            after = false
        } else {
            return client.replySyntaxError()
        }
        frame.withArgument(1) { key in
            guard case .found(let list) = db.lookupWrite(key, as: \.list, for: client, missing: { client.replyInteger(0) })
            else { return }
            let inserted = frame.withArgument(3) { pivot in
                frame.withArgument(4) { element in
                    list.insert(element, after: after, pivot: ListNeedle(pivot), fill: ListFill(db.keyspace.encodingLimits))
                }
            }
            guard inserted else { return client.replyInteger(-1) }
            db.signalModified(key)
            db.notify(.list, "linsert", key: key)
            db.keyspace.statistics.changes += 1
            client.replyInteger(list.count)
        }
    }

    /// LREM key count element: removes up to `count` matches from the head (a negative count:
    /// from the tail; 0: all). The count is parsed before the key is looked up. As in Redis,
    /// the most negative count cannot be negated and so removes every match.
    static func lrem(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard let count = client.integerArgument(2) else { return }
        frame.withArgument(1) { key in
            guard case .found(let list) = db.lookupWrite(key, as: \.list, for: client, missing: { client.replyInteger(0) })
            else { return }
            let limit = count == .min ? 0 : Int(count.magnitude)
            let removed = frame.withArgument(3) { list.removeAll(matching: ListNeedle($0), limit: limit, fromTail: count < 0) }
            db.keyspace.statistics.changes += removed
            if removed > 0 {
                db.signalModified(key)
                db.notify(.list, "lrem", key: key)
            }
            if list.isEmpty {
                db.delete(key)
                db.notify(.generic, "del", key: key)
            }
            client.replyInteger(removed)
        }
    }
}
