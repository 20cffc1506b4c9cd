import NIOCore
import SidecacheRESP

/// ZRANGE and its older forms, and ZRANGESTORE (Redis's `zrangeGenericCommand`).
extension SortedSetCommands {
    static let rangeHandlers: [(String, EngineCommand)] = [
        ("zrange", { rangeGeneric($0, $1, sourceIndex: 1, store: false, kind: nil, reverse: nil) }),
        ("zrangestore", { rangeGeneric($0, $1, sourceIndex: 2, store: true, kind: nil, reverse: nil) }),
        ("zrevrange", { rangeGeneric($0, $1, sourceIndex: 1, store: false, kind: .rank, reverse: true) }),
        ("zrangebyscore", { rangeGeneric($0, $1, sourceIndex: 1, store: false, kind: .score, reverse: false) }),
        ("zrevrangebyscore", { rangeGeneric($0, $1, sourceIndex: 1, store: false, kind: .score, reverse: true) }),
        ("zrangebylex", { rangeGeneric($0, $1, sourceIndex: 1, store: false, kind: .lex, reverse: false) }),
        ("zrevrangebylex", { rangeGeneric($0, $1, sourceIndex: 1, store: false, kind: .lex, reverse: true) }),
    ]

    enum RangeKind { case rank, score, lex }

    /// A parsed range of any kind.
    private enum ParsedRange {
        case rank(start: Int64, end: Int64)
        case score(ScoreRange)
        case lex(LexRange)
    }

    /// Redis's `zrangeGenericCommand`: `<source> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES]
    /// [LIMIT offset count]` from `sourceIndex` on. `kind` and `reverse` are fixed by the
    /// older commands (whose BYSCORE/BYLEX/REV options are then syntax errors); `store`
    /// writes the range to the key at argument 1 (ZRANGESTORE, where WITHSCORES is an error).
    ///
    /// Options are read first (any order; BYSCORE, BYLEX and REV at most once, LIMIT's
    /// numbers as integers), then LIMIT with a rank range and WITHSCORES with BYLEX are
    /// refused, then the range is parsed (min and max swapped for reversed score and lex
    /// ranges), then the source is looked up for reading.
    static func rangeGeneric(
        _ client: EngineClient,
        _ db: Database,
        sourceIndex: Int,
        store: Bool,
        kind fixedKind: RangeKind?,
        reverse fixedReverse: Bool?
    ) {
        let frame = client.frame
        var kind = fixedKind
        var reverse = fixedReverse
        var withScores = false
        var offset: Int64 = 0
        var limit: Int64 = -1
        var index = sourceIndex + 3
        while index < frame.count {
            let left = frame.count - index - 1
            if !store && frame.argument(index, equalsCaseInsensitive: "withscores") {
                withScores = true
            } else if frame.argument(index, equalsCaseInsensitive: "limit") && left >= 2 {
                guard let parsedOffset = client.integerArgument(index + 1), let parsedLimit = client.integerArgument(index + 2)
                else { return }
                (offset, limit) = (parsedOffset, parsedLimit)
                index += 2
            } else if reverse == nil && frame.argument(index, equalsCaseInsensitive: "rev") {
                reverse = true
            } else if kind == nil && frame.argument(index, equalsCaseInsensitive: "bylex") {
                kind = .lex
            } else if kind == nil && frame.argument(index, equalsCaseInsensitive: "byscore") {
                kind = .score
            } else {
                client.replySyntaxError()
                return
            }
            index += 1
        }
        let rangeKind = kind ?? .rank
        let isReverse = reverse ?? false
        if limit != -1 && rangeKind == .rank {
            client.replyError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
            return
        }
        if withScores && rangeKind == .lex {
            client.replyError("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
            return
        }
        var minIndex = sourceIndex + 1
        var maxIndex = sourceIndex + 2
        if isReverse && rangeKind != .rank { swap(&minIndex, &maxIndex) }
        let range: ParsedRange
        switch rangeKind {
        case .rank:
            guard let start = client.integerArgument(minIndex), let end = client.integerArgument(maxIndex) else { return }
            range = .rank(start: start, end: end)
        case .score:
            guard let parsed = frame.withArgument(minIndex, { min in frame.withArgument(maxIndex) { ScoreRange(min: min, max: $0) } })
            else {
                client.replyError("ERR min or max is not a float")
                return
            }
            range = .score(parsed)
        case .lex:
            guard let parsed = frame.withArgument(minIndex, { min in frame.withArgument(maxIndex) { LexRange(min: min, max: $0) } })
            else {
                client.replyError("ERR min or max not valid string range item")
                return
            }
            range = .lex(parsed)
        }
        frame.withArgument(sourceIndex) { source in
            let value = db.lookupRead(source, as: \.sortedSet, for: client) {
                if store { storeRange(client, db, nil) } else { client.out.writeRESPArrayHeader(0) }
            }
            guard let value else { return }
            let selected = selectRanks(value, range, reverse: isReverse, offset: offset, limit: limit)
            if store {
                storeRange(client, db, selected.isEmpty ? nil : (value, selected))
            } else {
                replyRange(client, value, selected, reverse: isReverse, withScores: withScores)
            }
        }
    }

    /// The ranks a range selects, as Redis walks it: a rank range clipped to the set; a
    /// score or lex range from its first member (its last, reversed), `offset` members
    /// skipped without looking at them, then members while they are in range, at most
    /// `limit` (negative: no limit). A negative offset selects nothing.
    private static func selectRanks(
        _ value: SortedSetValue,
        _ range: ParsedRange,
        reverse: Bool,
        offset: Int64,
        limit: Int64
    ) -> Range<Int> {
        let length = value.count
        let start: Int?
        let inRange: (UnsafeRawBufferPointer, Double) -> Bool
        switch range {
        case .rank(var first, var last):
            let count = Int64(length)
            if first < 0 { first = count &+ first }
            if last < 0 { last = count &+ last }
            if first < 0 { first = 0 }
            guard first <= last, first < count else { return 0..<0 }
            if last >= count { last = count - 1 }
            return reverse ? (length - 1 - Int(last))..<(length - Int(first)) : Int(first)..<(Int(last) + 1)
        case .score(let scores):
            start = reverse ? value.lastRank(in: scores) : value.firstRank(in: scores)
            inRange = reverse ? { scores.isAboveMin($1) } : { scores.isBelowMax($1) }
        case .lex(let members):
            start = reverse ? value.lastRank(in: members) : value.firstRank(in: members)
            inRange = reverse ? { member, _ in members.isAboveMin(member) } : { member, _ in members.isBelowMax(member) }
        }
        guard let start, offset >= 0, offset < Int64(length) else { return 0..<0 }
        let first = reverse ? start - Int(offset) : start + Int(offset)
        guard first >= 0, first < length else { return 0..<0 }
        var selected = 0
        value.walk(from: first, reverse: reverse) { member, score in
            guard limit < 0 || selected < limit, inRange(member, score) else { return false }
            selected += 1
            return true
        }
        return reverse ? (first - selected + 1)..<(first + 1) : first..<(first + selected)
    }

    /// Writes the members at `ranks` (highest first when `reverse`), with their scores in
    /// RESP3 as `[member, score]` pairs and in RESP2 flat.
    private static func replyRange(
        _ client: EngineClient,
        _ value: SortedSetValue,
        _ ranks: Range<Int>,
        reverse: Bool,
        withScores: Bool
    ) {
        let pairs = withScores && client.protocolVersion == .resp3
        client.out.writeRESPArrayHeader(withScores && !pairs ? ranks.count * 2 : ranks.count)
        value.forEach(ranks: ranks, reverse: reverse) { member, score in
            if pairs { client.out.writeRESPArrayHeader(2) }
            client.out.writeRESPBulkString(member)
            if withScores { client.out.writeRESPDouble(score, client.protocolVersion) }
        }
    }

    /// ZRANGESTORE's result (`zrangeResultFinalizeStore`): the members at the ranks of
    /// `selection` stored at the destination (argument 1) as a new set, replacing any value
    /// and its TTL, or, when nothing was selected, the destination deleted. Replies with the
    /// number of members stored.
    private static func storeRange(_ client: EngineClient, _ db: Database, _ selection: (SortedSetValue, Range<Int>)?) {
        client.frame.withArgument(1) { destination in
            guard let (source, ranks) = selection else {
                client.replyInteger(0)
                if db.delete(destination) {
                    db.notify(.generic, "del", key: destination)
                    db.keyspace.statistics.changes += 1
                }
                return
            }
            let result = SortedSetValue(sorted: source.members(in: ranks), limits: db.keyspace.encodingLimits)
            db.set(destination, .sortedSet(result))
            db.signalKeyAsReady(destination)
            client.replyInteger(result.count)
            db.notify(.sortedSet, "zrangestore", key: destination)
            db.keyspace.statistics.changes += 1
        }
    }
}
