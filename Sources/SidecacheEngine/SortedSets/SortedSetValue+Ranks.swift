/// Reading a sorted set by rank, and the Redis range searches that turn a score or member
/// range into ranks (`zzlFirstInRange`, `zslLastInLexRange`, ...).
extension SortedSetValue {
    /// Calls `body` with the members whose 0-based ranks are in `ranks` (which must be
    /// within the set), lowest rank first, or highest first when `reverse`.
    func forEach(ranks: Range<Int>, reverse: Bool = false, _ body: (UnsafeRawBufferPointer, Double) -> Void) {
        guard !ranks.isEmpty else { return }
        let (start, last) = reverse ? (ranks.upperBound - 1, ranks.lowerBound) : (ranks.lowerBound, ranks.upperBound - 1)
        walk(from: start, through: last, reverse: reverse) { member, score in
            body(member, score)
            return true
        }
    }

    /// Calls `body` with the member at rank `start` (0-based, within the set) and the ones
    /// after it (before it, when `reverse`), up to rank `last` or the end, while `body`
    /// returns `true`.
    func walk(
        from start: Int,
        through last: Int? = nil,
        reverse: Bool,
        _ body: (UnsafeRawBufferPointer, Double) -> Bool
    ) {
        let end = last ?? (reverse ? 0 : count - 1)
        if let skipList {
            var steps = reverse ? start - end + 1 : end - start + 1
            var candidate = skipList.node(atRank: start + 1)
            while steps > 0, let node = candidate, body(node.member, node.score) {
                candidate = reverse ? node.backward : node.forward(0)
                steps -= 1
            }
        } else if !reverse {
            packed.forEach { rank, member, score in
                if rank < start { return true }
                return rank <= end && body(member, score)
            }
        } else {
            let members = packedMembers(upTo: start + 1)
            for rank in stride(from: start, through: end, by: -1) {
                guard members.withMember(rank, body) else { return }
            }
        }
    }

    /// Copies of the members with ranks in `ranks`, ascending.
    func members(in ranks: Range<Int>) -> MemberList {
        var list = MemberList()
        forEach(ranks: ranks) { list.append($0, score: $1) }
        return list
    }

    /// Copies of the packed members with ranks below `end`, for walks towards the head.
    private func packedMembers(upTo end: Int) -> MemberList {
        var list = MemberList()
        packed.forEach { rank, member, score in
            guard rank < end else { return false }
            list.append(member, score: score)
            return true
        }
        return list
    }

    // MARK: Score ranges

    /// The rank of the first member whose score is in `range` (`zzlFirstInRange`,
    /// `zslFirstInRange`).
    func firstRank(in range: ScoreRange) -> Int? {
        if let skipList { return skipList.firstInRange(range).map { skipList.rank(of: $0) - 1 } }
        guard packedMayHold(range) else { return nil }
        var found: Int?
        packed.forEach { rank, _, score in
            guard range.isAboveMin(score) else { return true }
            if range.isBelowMax(score) { found = rank }
            return false
        }
        return found
    }

    /// The rank of the last member whose score is in `range` (`zzlLastInRange`,
    /// `zslLastInRange`).
    func lastRank(in range: ScoreRange) -> Int? {
        if let skipList { return skipList.lastInRange(range).map { skipList.rank(of: $0) - 1 } }
        guard packedMayHold(range) else { return nil }
        var last: (rank: Int, score: Double)?
        packed.forEach { rank, _, score in
            if range.isBelowMax(score) { last = (rank, score) }
            return true
        }
        guard let last, range.isAboveMin(last.score) else { return nil }
        return last.rank
    }

    /// `zzlIsInRange`: whether the range is not empty, the last score is not below it and
    /// the first not above it.
    private func packedMayHold(_ range: ScoreRange) -> Bool {
        guard !range.isEmpty, count > 0 else { return false }
        var first = 0.0
        var last = 0.0
        packed.forEach { rank, _, score in
            if rank == 0 { first = score }
            last = score
            return true
        }
        return range.isAboveMin(last) && range.isBelowMax(first)
    }

    /// The number of members whose score is in `range` (ZCOUNT).
    func count(in range: ScoreRange) -> Int {
        guard let first = firstRank(in: range), let last = lastRank(in: range) else { return 0 }
        return last - first + 1
    }

    // MARK: Member ranges

    /// The rank of the first member in the lexicographic `range`, looking at members only
    /// (`zzlFirstInLexRange`, `zslFirstInLexRange`). Redis defines lexicographic ranges for
    /// sets whose scores are all equal; on others this answers as Redis's listpack walk does.
    func firstRank(in range: LexRange) -> Int? {
        if let skipList { return skipList.firstInLexRange(range).map { skipList.rank(of: $0) - 1 } }
        guard packedMayHold(range) else { return nil }
        var found: Int?
        packed.forEach { rank, member, _ in
            guard range.isAboveMin(member) else { return true }
            if range.isBelowMax(member) { found = rank }
            return false
        }
        return found
    }

    /// The rank of the last member in the lexicographic `range` (`zzlLastInLexRange`,
    /// `zslLastInLexRange`): the highest-ranked member not above the maximum, if it is not
    /// below the minimum.
    func lastRank(in range: LexRange) -> Int? {
        if let skipList { return skipList.lastInLexRange(range).map { skipList.rank(of: $0) - 1 } }
        guard packedMayHold(range) else { return nil }
        var last: Int?
        var lastIsAboveMin = false
        packed.forEach { rank, member, _ in
            if range.isBelowMax(member) {
                last = rank
                lastIsAboveMin = range.isAboveMin(member)
            }
            return true
        }
        return lastIsAboveMin ? last : nil
    }

    /// `zzlIsInLexRange`
    private func packedMayHold(_ range: LexRange) -> Bool {
        guard !range.isEmpty, count > 0 else { return false }
        var firstIsBelowMax = false
        var lastIsAboveMin = false
        packed.forEach { rank, member, _ in
            if rank == 0 { firstIsBelowMax = range.isBelowMax(member) }
            if rank == count - 1 { lastIsAboveMin = range.isAboveMin(member) }
            return true
        }
        return firstIsBelowMax && lastIsAboveMin
    }

    /// The number of members in the lexicographic `range` (ZLEXCOUNT): on a packed set, the
    /// run from the first member in range while members stay below the maximum; on a skip
    /// list, the ranks between the first and the last member in range.
    func count(in range: LexRange) -> Int {
        guard let first = firstRank(in: range) else { return 0 }
        if skipList != nil {
            guard let last = lastRank(in: range) else { return 0 }
            return max(0, last - first + 1)
        }
        return runLength(from: first) { member, _ in range.isBelowMax(member) }
    }

    /// How many members from rank `start` on satisfy `inRange` before the first that does
    /// not (Redis's range loops: ZREMRANGEBYSCORE and ZREMRANGEBYLEX delete this run).
    func runLength(from start: Int, _ inRange: (UnsafeRawBufferPointer, Double) -> Bool) -> Int {
        var length = 0
        walk(from: start, reverse: false) { member, score in
            guard inRange(member, score) else { return false }
            length += 1
            return true
        }
        return length
    }
}

/// Members copied out of a sorted set, in one byte array.
struct MemberList {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    private(set) var scores: [Double] = []
    /// The length of the longest member.
    private(set) var longest = 0

    var count: Int { ends.count }

    mutating func append(_ member: UnsafeRawBufferPointer, score: Double) {
        longest = max(longest, member.count)
        bytes.append(contentsOf: member)
        ends.append(bytes.count)
        scores.append(score)
    }

    /// Calls `body` with member `index` and its score.
    func withMember<R>(_ index: Int, _ body: (UnsafeRawBufferPointer, Double) -> R) -> R {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[start..<ends[index]]), scores[index])
        }
    }
}
