/// ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX (Redis's `zremrangeGenericCommand`).
extension SortedSetCommands {
    static let removeRangeHandlers: [(String, EngineCommand)] = [
        ("zremrangebyrank", { removeRangeGeneric($0, $1, kind: .rank) }),
        ("zremrangebyscore", { removeRangeGeneric($0, $1, kind: .score) }),
        ("zremrangebylex", { removeRangeGeneric($0, $1, kind: .lex) }),
    ]

    /// `key min max`: parses the range (integers, scores or lex items, with the kind's
    /// error), looks the key up for writing (a missing key answers 0), removes the members
    /// in range (for scores and lex items: from the first member in range while members stay
    /// under the maximum), deletes the key once empty. Signals, notifies
    /// `zremrangeby<kind>` (and `del`) when something was removed; a change per member.
    static func removeRangeGeneric(_ client: EngineClient, _ db: Database, kind: RangeKind) {
        let frame = client.frame
        var rankRange: (start: Int64, end: Int64) = (0, 0)
        var scoreRange: ScoreRange?
        var lexRange: LexRange?
        let event: StaticString
        switch kind {
        case .rank:
            event = "zremrangebyrank"
            guard let start = client.integerArgument(2), let end = client.integerArgument(3) else { return }
            rankRange = (start, end)
        case .score:
            event = "zremrangebyscore"
            scoreRange = frame.withArgument(2) { min in frame.withArgument(3) { ScoreRange(min: min, max: $0) } }
            guard scoreRange != nil else {
                client.replyError("ERR min or max is not a float")
                return
            }
        case .lex:
            event = "zremrangebylex"
            lexRange = frame.withArgument(2) { min in frame.withArgument(3) { LexRange(min: min, max: $0) } }
            guard lexRange != nil else {
                client.replyError("ERR min or max not valid string range item")
                return
            }
        }
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
            let ranks: Range<Int>
            if let scoreRange {
                ranks = run(value, from: value.firstRank(in: scoreRange)) { scoreRange.isBelowMax($1) }
            } else if let lexRange {
                ranks = run(value, from: value.firstRank(in: lexRange)) { member, _ in lexRange.isBelowMax(member) }
            } else {
                let length = Int64(value.count)
                var (start, end) = rankRange
                if start < 0 { start = length &+ start }
                if end < 0 { end = length &+ end }
                if start < 0 { start = 0 }
                guard start <= end, start < length else {
                    client.replyInteger(0)
                    return
                }
                if end >= length { end = length - 1 }
                ranks = Int(start)..<(Int(end) + 1)
            }
            value.removeRanks(ranks)
            let keyRemoved = value.count == 0
            if keyRemoved { db.delete(key) }
            if !ranks.isEmpty {
                if !keyRemoved { db.signalModified(key) }
                db.notify(.sortedSet, event, key: key)
                if keyRemoved { db.notify(.generic, "del", key: key) }
            }
            db.keyspace.statistics.changes += ranks.count
            client.replyInteger(ranks.count)
        }
    }

    /// The ranks from `start` while members satisfy `inRange`.
    private static func run(
        _ value: SortedSetValue,
        from start: Int?,
        _ inRange: (UnsafeRawBufferPointer, Double) -> Bool
    ) -> Range<Int> {
        guard let start else { return 0..<0 }
        return start..<(start + value.runLength(from: start, inRange))
    }
}
