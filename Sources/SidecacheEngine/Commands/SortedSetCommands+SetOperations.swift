import NIOCore
import SidecacheRESP

/// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's
/// `zunionInterDiffGenericCommand`). Sets take part as sorted sets whose scores are all 1.
extension SortedSetCommands {
    static let setOperationHandlers: [(String, EngineCommand)] = [
        ("zunion", { setOperation($0, $1, .union, name: "zunion", numberOfKeysIndex: 1) }),
        ("zinter", { setOperation($0, $1, .intersection, name: "zinter", numberOfKeysIndex: 1) }),
        ("zdiff", { setOperation($0, $1, .difference, name: "zdiff", numberOfKeysIndex: 1) }),
        ("zunionstore", { setOperation($0, $1, .union, name: "zunionstore", numberOfKeysIndex: 2, store: true) }),
        ("zinterstore", { setOperation($0, $1, .intersection, name: "zinterstore", numberOfKeysIndex: 2, store: true) }),
        ("zdiffstore", { setOperation($0, $1, .difference, name: "zdiffstore", numberOfKeysIndex: 2, store: true) }),
        ("zintercard", { setOperation($0, $1, .intersection, name: "zintercard", numberOfKeysIndex: 1, cardinalityOnly: true) }),
    ]

    enum SetOperation { case union, intersection, difference }

    /// AGGREGATE SUM|MIN|MAX
    enum Aggregate { case sum, min, max }

    /// The options after the keys.
    private struct SetOperationOptions {
        var weights: [Double]
        var aggregate = Aggregate.sum
        var withScores = false
        /// ZINTERCARD's LIMIT: stop counting there (0: no limit).
        var limit: Int64 = 0
    }

    /// Redis's `zunionInterDiffGenericCommand`. In Redis's order: numkeys must be an integer,
    /// at least 1 ("at least 1 input key is needed for '<name>' command") and not more than
    /// the arguments left (syntax error); every input key is looked up for reading (counted
    /// as a hit or miss; a key that is neither a sorted set nor a set stops with WRONGTYPE);
    /// then the options: WEIGHTS (one float per key) and AGGREGATE but for ZDIFF and
    /// ZINTERCARD, WITHSCORES without a destination, LIMIT (ZINTERCARD only).
    ///
    /// Inputs are combined from the smallest, as Redis does (which fixes the order in which
    /// SUM adds); a weighted score that is NaN (0 × inf) counts as 0, and so does a sum of
    /// inf and -inf. The STORE forms replace the destination (its TTL too) with the result,
    /// packed when it fits the listpack limits, or delete it when the result is empty.
    static func setOperation(
        _ client: EngineClient,
        _ db: Database,
        _ operation: SetOperation,
        name: String,
        numberOfKeysIndex: Int,
        store: Bool = false,
        cardinalityOnly: Bool = false
    ) {
        let frame = client.frame
        guard let numberOfKeys = client.integerArgument(numberOfKeysIndex) else { return }
        guard numberOfKeys >= 1 else {
            client.replyError("ERR at least 1 input key is needed for '\(name)' command")
            return
        }
        guard numberOfKeys <= Int64(frame.count - numberOfKeysIndex - 1) else {
            client.replySyntaxError()
            return
        }
        let keyCount = Int(numberOfKeys)
        var operands: [SetOperand] = []
        operands.reserveCapacity(keyCount)
        for index in (numberOfKeysIndex + 1)..<(numberOfKeysIndex + 1 + keyCount) {
            guard let operand = frame.withArgument(index, { key -> SetOperand? in
                guard let entry = db.lookupRead(key) else { return .missing }
                switch entry.value {
                case .sortedSet(let value): return .sortedSet(value)
                case .set(let value): return .set(SetOperandMembers(value))
                default: return nil
                }
            }) else {
                client.replyWrongType()
                return
            }
            operands.append(operand)
        }
        guard
            let options = parseSetOperationOptions(
                client, from: numberOfKeysIndex + 1 + keyCount, keyCount: keyCount, operation: operation,
                store: store, cardinalityOnly: cardinalityOnly)
        else { return }
        var inputs = Array(zip(operands, options.weights))
        if operation != .difference {
            // Smallest first, equal sizes in argument order (the stable sort glibc's qsort does).
            inputs = inputs.enumerated().sorted { ($0.element.0.count, $0.offset) < ($1.element.0.count, $1.offset) }.map(\.element)
        }
        if cardinalityOnly {
            client.replyInteger(intersectionCount(inputs, limit: options.limit))
            return
        }
        let result: ScoredMembers
        switch operation {
        case .union: result = union(inputs, options.aggregate)
        case .intersection: result = intersection(inputs, options.aggregate)
        case .difference: result = difference(inputs.map(\.0))
        }
        if store {
            storeSetOperation(client, db, result, event: operation)
        } else {
            replySetOperation(client, result, withScores: options.withScores)
        }
    }

    private static func parseSetOperationOptions(
        _ client: EngineClient,
        from first: Int,
        keyCount: Int,
        operation: SetOperation,
        store: Bool,
        cardinalityOnly: Bool
    ) -> SetOperationOptions? {
        let frame = client.frame
        var options = SetOperationOptions(weights: Array(repeating: 1, count: keyCount))
        let weighted = operation != .difference && !cardinalityOnly
        var index = first
        while index < frame.count {
            let remaining = frame.count - index
            if weighted && remaining >= keyCount + 1 && frame.argument(index, equalsCaseInsensitive: "weights") {
                for key in 0..<keyCount {
                    guard let weight = frame.withArgument(index + 1 + key, SortedSetScore.parse) else {
                        client.replyError("ERR weight value is not a float")
                        return nil
                    }
                    options.weights[key] = weight
                }
                index += keyCount + 1
            } else if weighted && remaining >= 2 && frame.argument(index, equalsCaseInsensitive: "aggregate") {
                if frame.argument(index + 1, equalsCaseInsensitive: "sum") {
                    options.aggregate = .sum
                } else if frame.argument(index + 1, equalsCaseInsensitive: "min") {
                    options.aggregate = .min
                } else if frame.argument(index + 1, equalsCaseInsensitive: "max") {
                    options.aggregate = .max
                } else {
                    client.replySyntaxError()
                    return nil
                }
                index += 2
            } else if !store && !cardinalityOnly && frame.argument(index, equalsCaseInsensitive: "withscores") {
                options.withScores = true
                index += 1
            } else if cardinalityOnly && remaining >= 2 && frame.argument(index, equalsCaseInsensitive: "limit") {
                guard let limit = frame.integer(index + 1), limit >= 0 else {
                    client.replyError("ERR LIMIT can't be negative")
                    return nil
                }
                options.limit = limit
                index += 2
            } else {
                client.replySyntaxError()
                return nil
            }
        }
        return options
    }

    /// `zunionInterAggregate`
    @inline(__always)
    static func aggregate(_ target: inout Double, _ value: Double, _ mode: Aggregate) {
        switch mode {
        case .sum:
            target += value
            if target.isNaN { target = 0 }
        case .min:
            target = value < target ? value : target
        case .max:
            target = value > target ? value : target
        }
    }

    /// Every member of every input, its weighted scores aggregated in input order.
    private static func union(_ inputs: [(SetOperand, Double)], _ mode: Aggregate) -> ScoredMembers {
        var scores: [[UInt8]: Double] = [:]
        var order: [[UInt8]] = []
        for (operand, weight) in inputs {
            operand.forEach { member, score in
                var weighted = weight * score
                if weighted.isNaN { weighted = 0 }
                let key = Array(member)
                if let existing = scores[key] {
                    var aggregated = existing
                    aggregate(&aggregated, weighted, mode)
                    scores[key] = aggregated
                } else {
                    scores[key] = weighted
                    order.append(key)
                }
            }
        }
        var result = ScoredMembers()
        for member in order { member.withUnsafeBytes { result.append($0, score: scores[member]!) } }
        return result
    }

    /// The members of the smallest input found in every other one.
    private static func intersection(_ inputs: [(SetOperand, Double)], _ mode: Aggregate) -> ScoredMembers {
        var result = ScoredMembers()
        forEachCommonMember(inputs, mode) { member, score in
            result.append(member, score: score)
            return true
        }
        return result
    }

    /// ZINTERCARD: how many members every input shares, counting stopped at `limit` (> 0).
    private static func intersectionCount(_ inputs: [(SetOperand, Double)], limit: Int64) -> Int {
        var count = 0
        forEachCommonMember(inputs, .sum) { _, _ in
            count += 1
            return limit == 0 || count < limit
        }
        return count
    }

    /// Calls `body` with each member of the first input present in all the others, with
    /// its aggregated weighted score, until `body` returns `false`.
    private static func forEachCommonMember(
        _ inputs: [(SetOperand, Double)],
        _ mode: Aggregate,
        _ body: (UnsafeRawBufferPointer, Double) -> Bool
    ) {
        guard let (first, firstWeight) = inputs.first, first.count > 0 else { return }
        var going = true
        first.forEach { member, score in
            guard going else { return }
            var total = firstWeight * score
            if total.isNaN { total = 0 }
            for (operand, weight) in inputs.dropFirst() {
                guard let found = operand.score(of: member) else { return }
                aggregate(&total, found * weight, mode)
            }
            going = body(member, total)
        }
    }

    /// The members of the first input found in no other, with their own scores.
    private static func difference(_ operands: [SetOperand]) -> ScoredMembers {
        var result = ScoredMembers()
        guard let first = operands.first else { return result }
        first.forEach { member, score in
            if operands.dropFirst().allSatisfy({ $0.score(of: member) == nil }) { result.append(member, score: score) }
        }
        return result
    }

    /// The result in Redis's order, with `[member, score]` pairs in RESP3 when WITHSCORES.
    private static func replySetOperation(_ client: EngineClient, _ result: ScoredMembers, withScores: Bool) {
        let pairs = withScores && client.protocolVersion == .resp3
        client.out.writeRESPArrayHeader(withScores && !pairs ? result.count * 2 : result.count)
        result.forEachSorted { member, score in
            if pairs { client.out.writeRESPArrayHeader(2) }
            client.out.writeRESPBulkString(member)
            if withScores { client.out.writeRESPDouble(score, client.protocolVersion) }
        }
    }

    /// Stores the result at argument 1, or deletes that key when the result is empty.
    private static func storeSetOperation(_ client: EngineClient, _ db: Database, _ result: ScoredMembers, event operation: SetOperation) {
        client.frame.withArgument(1) { destination in
            guard result.count > 0 else {
                client.replyInteger(0)
                if db.delete(destination) {
                    db.notify(.generic, "del", key: destination)
                    db.keyspace.statistics.changes += 1
                }
                return
            }
            let value = SortedSetValue(
                sortedMembers: result.count, limits: db.keyspace.encodingLimits, longestMember: result.members.longest,
                totalLength: result.members.bytes.count, result.forEachSorted)
            db.set(destination, .sortedSet(value))
            db.signalKeyAsReady(destination)
            client.replyInteger(value.count)
            let event: StaticString =
                switch operation {
                case .union: "zunionstore"
                case .intersection: "zinterstore"
                case .difference: "zdiffstore"
                }
            db.notify(.sortedSet, event, key: destination)
            db.keyspace.statistics.changes += 1
        }
    }
}

/// Members with scores gathered in any order, handed out in sorted-set order.
struct ScoredMembers {
    private(set) var members = MemberList()

    var count: Int { members.count }

    mutating func append(_ member: UnsafeRawBufferPointer, score: Double) {
        members.append(member, score: score)
    }

    /// Calls `body` with every member, ascending by score, then by member bytes.
    func forEachSorted(_ body: (UnsafeRawBufferPointer, Double) -> Void) {
        let order = (0..<members.count).sorted { a, b in
            members.withMember(a) { memberA, scoreA in
                members.withMember(b) { memberB, scoreB in SortedSetOrder.precedes(scoreA, memberA, scoreB, memberB) }
            }
        }
        for index in order { members.withMember(index, body) }
    }
}
