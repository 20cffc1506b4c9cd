import NIOCore
import SidecacheRESP

/// ZPOPMIN, ZPOPMAX and ZMPOP, and the pop that BZPOPMIN, BZPOPMAX and BZMPOP reuse
/// (Redis's `genericZpopCommand`).
extension SortedSetCommands {
    static let popHandlers: [(String, EngineCommand)] = [
        ("zpopmin", { popMinMax($0, $1, end: .min) }),
        ("zpopmax", { popMinMax($0, $1, end: .max) }),
        ("zmpop", zmpop),
    ]

    /// Which end of a sorted set a pop takes from (`ZSET_MIN`, `ZSET_MAX`).
    package enum PopEnd: Sendable {
        case min, max
    }

    /// How a pop's reply is shaped (Redis's `emitkey` and `use_nested_array`).
    package enum PopReplyShape: Sendable {
        /// `[member, score, ...]`: ZPOPMIN/ZPOPMAX in RESP2 or without COUNT.
        case flat
        /// `[[member, score], ...]`: ZPOPMIN/ZPOPMAX with COUNT in RESP3.
        case pairs
        /// `[key, member, score]`: BZPOPMIN/BZPOPMAX.
        case keyThenFlat
        /// `[key, [[member, score], ...]]`: ZMPOP and BZMPOP.
        case keyThenPairs
    }

    /// Pops up to `count` (at least 1) members from `end` of `value`, the non-empty sorted
    /// set stored at `key`, and writes the reply in `shape`, lowest (or highest) first.
    /// Counts a change per member, signals the key, notifies `zpopmin`/`zpopmax`, and
    /// deletes the key (notifying `del`) once it is empty. Returns whether the key was
    /// deleted. Redis's `genericZpopCommand` after its lookup.
    @discardableResult
    package static func pop(
        _ value: SortedSetValue,
        key: UnsafeRawBufferPointer,
        from end: PopEnd,
        count: Int,
        shape: PopReplyShape,
        client: EngineClient,
        db: Database
    ) -> Bool {
        let length = value.count
        let popped = min(count, length)
        switch shape {
        case .flat:
            client.out.writeRESPArrayHeader(popped * 2)
        case .pairs:
            client.out.writeRESPArrayHeader(popped)
        case .keyThenFlat:
            client.out.writeRESPArrayHeader(popped * 2 + 1)
            client.out.writeRESPBulkString(key)
        case .keyThenPairs:
            client.out.writeRESPArrayHeader(2)
            client.out.writeRESPBulkString(key)
            client.out.writeRESPArrayHeader(popped)
        }
        let pairs = shape == .pairs || shape == .keyThenPairs
        let ranks = end == .min ? 0..<popped : (length - popped)..<length
        value.forEach(ranks: ranks, reverse: end == .max) { member, score in
            if pairs { client.out.writeRESPArrayHeader(2) }
            client.out.writeRESPBulkString(member)
            client.out.writeRESPDouble(score, client.protocolVersion)
        }
        value.removeRanks(ranks)
        db.keyspace.statistics.changes += popped
        db.notify(.sortedSet, end == .min ? "zpopmin" : "zpopmax", key: key)
        guard value.count == 0 else {
            db.signalModified(key)
            return false
        }
        db.delete(key)
        db.notify(.generic, "del", key: key)
        return true
    }

    /// ZPOPMIN/ZPOPMAX key [count]: a count must be a non-negative integer; more than one
    /// is a syntax error. A missing key or a count of 0 answers an empty array.
    static func popMinMax(_ client: EngineClient, _ db: Database, end: PopEnd) {
        let frame = client.frame
        guard frame.count <= 3 else {
            client.replySyntaxError()
            return
        }
        var count = -1
        if frame.count == 3 {
            guard let parsed = frame.integer(2), parsed >= 0 else {
                client.replyError("ERR value is out of range, must be positive")
                return
            }
            count = Int(parsed)
        }
        frame.withArgument(1) { key in
            let value: SortedSetValue
            switch db.lookupWrite(key, as: \.sortedSet, for: client) {
            case .wrongType:
                return
            case .missing:
                client.out.writeRESPArrayHeader(0)
                return
            case .found(let found):
                value = found
            }
            guard count != 0 else {
                client.out.writeRESPArrayHeader(0)
                return
            }
            let pairs = client.protocolVersion == .resp3 && count != -1
            pop(value, key: key, from: end, count: max(count, 1), shape: pairs ? .pairs : .flat, client: client, db: db)
        }
    }

    /// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first key that holds
    /// a sorted set (a key of another type stops the search with WRONGTYPE); null when none.
    static func zmpop(_ client: EngineClient, _ db: Database) {
        guard let arguments = parseMultiPop(client, numberOfKeysIndex: 1) else { return }
        let frame = client.frame
        for index in arguments.keys {
            let popped = frame.withArgument(index) { key -> Bool? in
                switch db.lookupWrite(key, as: \.sortedSet, for: client) {
                case .wrongType:
                    return nil
                case .missing:
                    return false
                case .found(let value):
                    pop(value, key: key, from: arguments.end, count: arguments.count, shape: .keyThenPairs, client: client, db: db)
                    return true
                }
            }
            guard let popped else { return }
            if popped { return }
        }
        client.replyNullArray()
    }

    /// What ZMPOP and BZMPOP ask for.
    package struct MultiPopArguments {
        /// Frame positions of the keys.
        package var keys: Range<Int>
        package var end: PopEnd
        package var count: Int
    }

    /// Parses `numkeys key [key ...] MIN|MAX [COUNT count]` with numkeys at
    /// `numberOfKeysIndex` (Redis's `zmpopGenericCommand`), or replies with its error:
    /// numkeys and COUNT must be integers of at least 1 ("numkeys should be greater than 0",
    /// "count should be greater than 0"); a missing or unknown MIN/MAX, a repeated COUNT or
    /// anything else is a syntax error.
    package static func parseMultiPop(_ client: EngineClient, numberOfKeysIndex: Int) -> MultiPopArguments? {
        let frame = client.frame
        guard let numberOfKeys = frame.integer(numberOfKeysIndex), numberOfKeys >= 1 else {
            client.replyError("ERR numkeys should be greater than 0")
            return nil
        }
        let (whereIndex, overflow) = Int64(numberOfKeysIndex + 1).addingReportingOverflow(numberOfKeys)
        guard !overflow, whereIndex < frame.count else {
            client.replySyntaxError()
            return nil
        }
        let end: PopEnd
        if frame.argument(Int(whereIndex), equalsCaseInsensitive: "min") {
            end = .min
        } else if frame.argument(Int(whereIndex), equalsCaseInsensitive: "max") {
            end = .max
        } else {
            client.replySyntaxError()
            return nil
        }
        var count = -1
        var index = Int(whereIndex) + 1
        while index < frame.count {
            guard count == -1, frame.argument(index, equalsCaseInsensitive: "count"), index + 1 < frame.count else {
                client.replySyntaxError()
                return nil
            }
            guard let parsed = frame.integer(index + 1), parsed >= 1 else {
                client.replyError("ERR count should be greater than 0")
                return nil
            }
            count = Int(parsed)
            index += 2
        }
        return MultiPopArguments(keys: (numberOfKeysIndex + 1)..<Int(whereIndex), end: end, count: max(count, 1))
    }
}
