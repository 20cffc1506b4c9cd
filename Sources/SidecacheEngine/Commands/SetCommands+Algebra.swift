import NIOCore
import SidecacheRESP

extension SetCommands {
    static let algebraHandlers: [(String, EngineCommand)] = [
        ("sinter", sinter), ("sintercard", sintercard), ("sinterstore", sinterstore),
        ("sunion", sunion), ("sunionstore", sunionstore), ("sdiff", sdiff), ("sdiffstore", sdiffstore),
    ]

    static func sinter(_ client: EngineClient, _ db: Database) {
        intersect(client, db, keys: 1..<client.frame.count, destination: nil, cardinalityOnly: false, limit: 0)
    }

    static func sinterstore(_ client: EngineClient, _ db: Database) {
        intersect(client, db, keys: 2..<client.frame.count, destination: 1, cardinalityOnly: false, limit: 0)
    }

    /// SINTERCARD numkeys key [key ...] [LIMIT limit] (Redis's `sinterCardCommand`).
    static func sintercard(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard let keyCount = frame.integer(1), keyCount > 0 else {
            client.replyError("ERR numkeys should be greater than 0")
            return
        }
        guard keyCount <= frame.count - 2 else {
            client.replyError("ERR Number of keys can't be greater than number of args")
            return
        }
        let firstOption = 2 + Int(keyCount)
        var limit = 0
        var index = firstOption
        while index < frame.count {
            guard frame.argument(index, equalsCaseInsensitive: "limit"), index + 1 < frame.count else {
                client.replySyntaxError()
                return
            }
            guard let value = frame.integer(index + 1), value >= 0 else {
                client.replyError("ERR LIMIT can't be negative")
                return
            }
            limit = Int(value)
            index += 2
        }
        intersect(client, db, keys: 2..<firstOption, destination: nil, cardinalityOnly: true, limit: limit)
    }

    /// The sets at the frame positions `keys`, looked up for reading in order: `nil` for a
    /// missing key, stopping (`nil` result, WRONGTYPE answered) at the first key of another type.
    private static func lookupSets(_ client: EngineClient, _ db: Database, keys: Range<Int>) -> [SetValue?]? {
        var sets: [SetValue?] = []
        sets.reserveCapacity(keys.count)
        for index in keys {
            let entry = client.frame.withArgument(index) { db.lookupRead($0) }
            guard let entry else {
                sets.append(nil)
                continue
            }
            guard let set = entry.value.set else {
                client.replyWrongType()
                return nil
            }
            sets.append(set)
        }
        return sets
    }

    /// Redis's `sinterGenericCommand` for SINTER, SINTERSTORE (`destination` is the frame
    /// position of the key to store into) and SINTERCARD (`cardinalityOnly`, stopping at
    /// `limit` when it is not 0). A missing key makes the result empty at once. Otherwise the
    /// smallest set is walked in its order and each member tested against the others.
    private static func intersect(
        _ client: EngineClient,
        _ db: Database,
        keys: Range<Int>,
        destination: Int?,
        cardinalityOnly: Bool,
        limit: Int
    ) {
        guard let found = lookupSets(client, db, keys: keys) else { return }
        let sets = found.compactMap { $0 }
        if sets.count < found.count {
            if let destination {
                removeDestination(client, db, destination)
                client.replyInteger(0)
            } else if cardinalityOnly {
                client.replyInteger(0)
            } else {
                client.out.writeRESPSetHeader(0, client.protocolVersion)
            }
            return
        }
        let ordered = sets.enumerated().sorted { ($0.element.count, $0.offset) < ($1.element.count, $1.offset) }.map(\.element)
        let smallest = ordered[0]
        let others = ordered.dropFirst().filter { $0 !== smallest }
        let limits = db.keyspace.encodingLimits
        var cardinality = 0
        var members: [[UInt8]] = []
        let result = destination.map { _ in SetValue() }
        var done = false
        smallest.forEach { member in
            guard !done, others.allSatisfy({ $0.contains(member) }) else { return }
            cardinality += 1
            if cardinalityOnly {
                done = limit > 0 && cardinality >= limit
            } else if let result {
                _ = result.add(member, limits: limits)
            } else {
                members.append(Array(member))
            }
        }
        if cardinalityOnly {
            client.replyInteger(cardinality)
        } else if let destination, let result {
            store(client, db, result, at: destination, event: "sinterstore")
        } else {
            client.out.writeRESPSetHeader(members.count, client.protocolVersion)
            for member in members { client.out.writeRESPBulkString(member) }
        }
    }

    static func sunion(_ client: EngineClient, _ db: Database) {
        combine(client, db, keys: 1..<client.frame.count, destination: nil, difference: false)
    }

    static func sunionstore(_ client: EngineClient, _ db: Database) {
        combine(client, db, keys: 2..<client.frame.count, destination: 1, difference: false)
    }

    static func sdiff(_ client: EngineClient, _ db: Database) {
        combine(client, db, keys: 1..<client.frame.count, destination: nil, difference: true)
    }

    static func sdiffstore(_ client: EngineClient, _ db: Database) {
        combine(client, db, keys: 2..<client.frame.count, destination: 1, difference: true)
    }

    /// Redis's `sunionDiffGenericCommand` for SUNION, SDIFF and their STORE forms: the
    /// result is built as a set (so it answers in that set's order: ascending while it is an
    /// intset) and either answered as a RESP3 set or stored at `destination`. Missing keys are
    /// empty sets.
    private static func combine(_ client: EngineClient, _ db: Database, keys: Range<Int>, destination: Int?, difference: Bool) {
        guard let sets = lookupSets(client, db, keys: keys) else { return }
        let limits = db.keyspace.encodingLimits
        let result = SetValue()
        if difference {
            if let first = sets[0] {
                let others = sets.dropFirst().compactMap { $0 }
                first.forEach { member in
                    // A source that is the first set itself removes everything.
                    if others.contains(where: { $0 === first || $0.contains(member) }) { return }
                    _ = result.add(member, limits: limits)
                }
            }
        } else {
            for set in sets {
                set?.forEach { _ = result.add($0, limits: limits) }
            }
        }
        if let destination {
            store(client, db, result, at: destination, event: difference ? "sdiffstore" : "sunionstore")
        } else {
            replyMembers(client, result)
        }
    }

    /// The STORE forms' ending: a non-empty `result` replaces the destination (its TTL too)
    /// and is counted as one change; an empty one deletes the destination, a change only if
    /// it existed. Answers the result's size.
    private static func store(_ client: EngineClient, _ db: Database, _ result: SetValue, at destination: Int, event: StaticString) {
        client.frame.withArgument(destination) { key in
            guard result.count > 0 else {
                client.replyInteger(0)
                removeDestination(client, db, destination)
                return
            }
            db.set(key, .set(result))
            client.replyInteger(result.count)
            db.notify(.set, event, key: key)
            db.keyspace.statistics.changes += 1
        }
    }

    private static func removeDestination(_ client: EngineClient, _ db: Database, _ destination: Int) {
        client.frame.withArgument(destination) { key in
            guard db.delete(key) else { return }
            db.notify(.generic, "del", key: key)
            db.keyspace.statistics.changes += 1
        }
    }
}
