import NIOCore
import SidecacheRESP

/// The sorted-set commands of Redis's t_zset.c (the data structures are in SortedSets/).
/// The blocking forms (BZPOPMIN, BZPOPMAX, BZMPOP) are built on `pop(_:key:from:count:shape:client:db:)`.
package enum SortedSetCommands {
    static let handlers: [(String, EngineCommand)] =
        [
            ("zadd", zadd), ("zincrby", zincrby), ("zrem", zrem), ("zcard", zcard), ("zscore", zscore),
            ("zmscore", zmscore), ("zrank", zrank), ("zrevrank", zrevrank),
        ] + rangeHandlers + countHandlers + removeRangeHandlers + popHandlers + blockingHandlers + setOperationHandlers
        + randomHandlers + scanHandlers

    // MARK: ZADD and ZINCRBY

    static func zadd(_ client: EngineClient, _ db: Database) {
        addGeneric(client, db, conditions: [])
    }

    static func zincrby(_ client: EngineClient, _ db: Database) {
        addGeneric(client, db, conditions: .increment)
    }

    /// Redis's `zaddGenericCommand`, for ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ...
    /// and ZINCRBY key increment member (whose arguments go through the same option loop).
    ///
    /// Checks, in Redis's order: an even, non-zero number of score/member arguments (syntax
    /// error), NX with XX, NX/GT/LT together, INCR with more than one pair, every score ("not
    /// a valid float"), then the key's type. A missing key is created unless XX is given:
    /// packed, unless `zset-max-listpack-entries` is 0 or the first member is longer than
    /// `zset-max-listpack-value`. Replies with the members added (or, with CH, added or
    /// updated), or with INCR the new score (null when NX/XX/GT/LT skipped it). Signals,
    /// notifies `zadd`/`zincr` and counts a change per member added or updated.
    static func addGeneric(_ client: EngineClient, _ db: Database, conditions initial: SortedSetValue.AddConditions) {
        let frame = client.frame
        var conditions = initial
        var reportChanged = false
        var scoreIndex = 2
        while scoreIndex < frame.count {
            if frame.argument(scoreIndex, equalsCaseInsensitive: "nx") {
                conditions.insert(.onlyNew)
            } else if frame.argument(scoreIndex, equalsCaseInsensitive: "xx") {
                conditions.insert(.onlyExisting)
            } else if frame.argument(scoreIndex, equalsCaseInsensitive: "ch") {
                reportChanged = true
            } else if frame.argument(scoreIndex, equalsCaseInsensitive: "incr") {
                conditions.insert(.increment)
            } else if frame.argument(scoreIndex, equalsCaseInsensitive: "gt") {
                conditions.insert(.onlyGreater)
            } else if frame.argument(scoreIndex, equalsCaseInsensitive: "lt") {
                conditions.insert(.onlyLess)
            } else {
                break
            }
            scoreIndex += 1
        }
        let arguments = frame.count - scoreIndex
        guard arguments > 0, arguments % 2 == 0 else {
            client.replySyntaxError()
            return
        }
        let pairs = arguments / 2
        let onlyNew = conditions.contains(.onlyNew)
        if onlyNew && conditions.contains(.onlyExisting) {
            client.replyError("ERR XX and NX options at the same time are not compatible")
            return
        }
        let greater = conditions.contains(.onlyGreater)
        let less = conditions.contains(.onlyLess)
        if (greater && onlyNew) || (less && onlyNew) || (greater && less) {
            client.replyError("ERR GT, LT, and/or NX options at the same time are not compatible")
            return
        }
        let increment = conditions.contains(.increment)
        if increment && pairs > 1 {
            client.replyError("ERR INCR option supports a single increment-element pair")
            return
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: pairs) { scores in
            for pair in 0..<pairs {
                guard let score = frame.withArgument(scoreIndex + 2 * pair, SortedSetScore.parse) else {
                    client.replyError(RedisError.notFloat)
                    return
                }
                scores[pair] = score
            }
            addPairs(client, db, scores: UnsafeBufferPointer(scores), from: scoreIndex, conditions: conditions, reportChanged: reportChanged)
        }
    }

    /// ZADD after its arguments were checked: looks the key up (creating it unless XX), adds
    /// each pair, replies, and announces the change.
    private static func addPairs(
        _ client: EngineClient,
        _ db: Database,
        scores: UnsafeBufferPointer<Double>,
        from scoreIndex: Int,
        conditions: SortedSetValue.AddConditions,
        reportChanged: Bool
    ) {
        let frame = client.frame
        let increment = conditions.contains(.increment)
        frame.withArgument(1) { key in
            let value: SortedSetValue
            switch db.lookupWrite(key, as: \.sortedSet, for: client) {
            case .wrongType:
                return
            case .found(let found):
                value = found
            case .missing:
                if conditions.contains(.onlyExisting) {
                    if increment { client.replyNull() } else { client.replyInteger(0) }
                    return
                }
                let limits = db.keyspace.encodingLimits
                let firstMemberLength = frame.length(scoreIndex + 1)
                value = SortedSetValue(
                    packed: limits.zsetMaxListpackEntries != 0 && firstMemberLength <= limits.zsetMaxListpackValue)
                db.add(key, .sortedSet(value))
                db.signalKeyAsReady(key)
            }
            var added = 0
            var updated = 0
            var processed = 0
            var score = 0.0
            let limits = db.keyspace.encodingLimits
            for pair in 0..<scores.count {
                let result = frame.withArgument(scoreIndex + 2 * pair + 1) { member in
                    value.add(member, score: scores[pair], conditions: conditions, limits: limits)
                }
                switch result.outcome {
                case .notANumber:
                    client.replyError("ERR resulting score is not a number (NaN)")
                    announceAdd(db, key: key, changed: added + updated > 0, increment: increment)
                    return
                case .added: added += 1
                case .updated: updated += 1
                case .unchanged, .skipped: break
                }
                if result.outcome != .skipped { processed += 1 }
                score = result.score
            }
            db.keyspace.statistics.changes += added + updated
            if increment {
                if processed > 0 { client.out.writeRESPDouble(score, client.protocolVersion) } else { client.replyNull() }
            } else {
                client.replyInteger(reportChanged ? added + updated : added)
            }
            announceAdd(db, key: key, changed: added + updated > 0, increment: increment)
        }
    }

    private static func announceAdd(_ db: Database, key: UnsafeRawBufferPointer, changed: Bool, increment: Bool) {
        guard changed else { return }
        db.signalModified(key)
        db.notify(.sortedSet, increment ? "zincr" : "zadd", key: key)
    }

    // MARK: ZREM

    /// ZREM key member ...: removes the members present; deletes the key once empty (and
    /// stops there). Notifies `zrem` (and `del`) and counts a change per member removed.
    static func zrem(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            let value: SortedSetValue
            switch db.lookupWrite(key, as: \.sortedSet, for: client) {
            case .wrongType:
                return
            case .missing:
                client.replyInteger(0)
                return
            case .found(let found):
                value = found
            }
            let deleted = db.removeMembers(
                of: key, frame: frame, type: .sortedSet, event: "zrem", remove: { value.remove($0) }, isEmpty: { value.count == 0 }
            )
            client.replyInteger(deleted)
        }
    }

    // MARK: Reading members

    /// ZCARD key
    static func zcard(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let value = db.lookupRead(key, as: \.sortedSet, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(value.count)
        }
    }

    /// ZSCORE key member: the score, or null.
    static func zscore(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let value = db.lookupRead(key, as: \.sortedSet, for: client, missing: { client.replyNull() }) else { return }
            if let score = client.frame.withArgument(2, { value.score(of: $0) }) {
                client.out.writeRESPDouble(score, client.protocolVersion)
            } else {
                client.replyNull()
            }
        }
    }

    /// ZMSCORE key member ...: a score or null per member; a missing key reads as empty.
    static func zmscore(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            var value: SortedSetValue?
            if let entry = db.lookupRead(key) {
                guard let sortedSet = entry.value.sortedSet else {
                    client.replyWrongType()
                    return
                }
                value = sortedSet
            }
            client.out.writeRESPArrayHeader(frame.count - 2)
            for index in 2..<frame.count {
                if let score = frame.withArgument(index, { value?.score(of: $0) }) {
                    client.out.writeRESPDouble(score, client.protocolVersion)
                } else {
                    client.replyNull()
                }
            }
        }
    }

    static func zrank(_ client: EngineClient, _ db: Database) {
        rankGeneric(client, db, reverse: false)
    }

    static func zrevrank(_ client: EngineClient, _ db: Database) {
        rankGeneric(client, db, reverse: true)
    }

    /// ZRANK/ZREVRANK key member: the 0-based rank from the lowest (highest) score, or null.
    private static func rankGeneric(_ client: EngineClient, _ db: Database, reverse: Bool) {
        client.frame.withArgument(1) { key in
            guard let value = db.lookupRead(key, as: \.sortedSet, for: client, missing: { client.replyNull() }) else { return }
            guard let rank = client.frame.withArgument(2, { value.rank(of: $0) }) else {
                client.replyNull()
                return
            }
            client.replyInteger(reverse ? value.count - 1 - rank : rank)
        }
    }
}
