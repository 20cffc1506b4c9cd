/// The large form of a sorted set: Redis's `zskiplist` (t_zset.c) with its `dict`, in one
/// object. Nodes are ordered by `(score, member)`; each level's `span` counts the members a
/// forward pointer passes, so ranks are found in O(log n). `MemberIndex` maps members to
/// their nodes. Levels are drawn as `zslRandomLevel` does: each further level with
/// probability 1/4, at most 32.
///
/// Owns its nodes (manual memory, freed in `deinit`). Not thread-safe: the keyspace lock
/// guards it, like every value.
final class SkipList {
    /// The head sentinel, with every level; its member is empty and its score unused.
    private let header: SkipListNode
    @exclusivity(unchecked) private(set) var tail: SkipListNode?
    @exclusivity(unchecked) private(set) var count = 0
    /// Levels in use (at least 1).
    @exclusivity(unchecked) private var level = 1
    @exclusivity(unchecked) private var index = MemberIndex()
    @exclusivity(unchecked) private var randomState: UInt64
    /// Bytes of all nodes' blocks, header included (MEMORY USAGE).
    @exclusivity(unchecked) private(set) var nodeBytes: Int

    init() {
        header = SkipListNode.allocate(level: SkipListNode.maxLevel, score: 0, member: UnsafeRawBufferPointer(start: nil, count: 0))
        nodeBytes = header.allocationSize
        // Hasher's per-process random seed mixed with this list's own address.
        var seeder = Hasher()
        seeder.combine(header.raw)
        randomState = UInt64(UInt(bitPattern: seeder.finalize()))
    }

    deinit {
        var candidate = header.forward(0)
        while let node = candidate {
            candidate = node.forward(0)
            node.deallocate()
        }
        header.deallocate()
        index.deallocate()
    }

    /// The member with the lowest rank.
    var first: SkipListNode? { header.forward(0) }

    /// Buckets of the member index (MEMORY USAGE).
    var bucketCount: Int { index.bucketCount }

    /// The node holding `member`, found through the index in O(1).
    func node(for member: UnsafeRawBufferPointer) -> SkipListNode? {
        index.find(member)
    }

    // MARK: Changing

    /// Adds `member`, which must not be present, with `score` (not NaN): `zslInsert` plus
    /// `dictAdd`. Returns its node.
    @discardableResult
    func insert(_ member: UnsafeRawBufferPointer, score: Double) -> SkipListNode {
        let node = SkipListNode.allocate(level: randomLevel(), score: score, member: member)
        nodeBytes += node.allocationSize
        link(node)
        index.insert(node)
        return node
    }

    /// Removes `node` (a member of this list) and frees it.
    func remove(_ node: SkipListNode) {
        index.remove(node)
        withUpdatePath(score: node.score, member: node.member) { update in
            unlink(node, update)
        }
        nodeBytes -= node.allocationSize
        node.deallocate()
    }

    /// Gives `node` a new score (`zslUpdateScore`): in place when the order stays the same,
    /// otherwise moved to its new position (the node, and so the index entry, are kept).
    func updateScore(_ node: SkipListNode, to score: Double) {
        let backward = node.backward
        let forward = node.forward(0)
        if (backward == nil || backward!.score < score) && (forward == nil || forward!.score > score) {
            node.score = score
            return
        }
        withUpdatePath(score: node.score, member: node.member) { update in
            unlink(node, update)
        }
        node.score = score
        for level in 0..<node.level {
            node.setForward(level, nil)
            node.setSpan(level, 0)
        }
        link(node)
    }

    /// Removes the members with ranks `start...end` (1-based, inclusive), as
    /// `zslDeleteRangeByRank`. Returns how many were removed.
    @discardableResult
    func removeRange(start: Int, end: Int) -> Int {
        withUnsafeTemporaryAllocation(of: SkipListNode.self, capacity: SkipListNode.maxLevel) { update in
            var traversed = 0
            var x = header
            for i in stride(from: level - 1, through: 0, by: -1) {
                while let next = x.forward(i), traversed + x.span(i) < start {
                    traversed += x.span(i)
                    x = next
                }
                update[i] = x
            }
            traversed += 1
            var removed = 0
            var candidate = x.forward(0)
            while let node = candidate, traversed <= end {
                candidate = node.forward(0)
                unlink(node, update.baseAddress!)
                index.remove(node)
                nodeBytes -= node.allocationSize
                node.deallocate()
                removed += 1
                traversed += 1
            }
            return removed
        }
    }

    // MARK: Ranks

    /// The 1-based rank of `node` (`zslGetRank`).
    func rank(of node: SkipListNode) -> Int {
        let score = node.score
        let member = node.member
        var rank = 0
        var x = header
        for i in stride(from: level - 1, through: 0, by: -1) {
            while let next = x.forward(i),
                next.score < score || (next.score == score && SortedSetOrder.compare(next.member, member) <= 0)
            {
                rank += x.span(i)
                x = next
            }
            if x == node { return rank }
        }
        return rank
    }

    /// The node with 1-based rank `rank` (`zslGetElementByRank`), or `nil` out of range.
    func node(atRank rank: Int) -> SkipListNode? {
        var traversed = 0
        var x = header
        for i in stride(from: level - 1, through: 0, by: -1) {
            while let next = x.forward(i), traversed + x.span(i) <= rank {
                traversed += x.span(i)
                x = next
            }
            if traversed == rank { return x == header ? nil : x }
        }
        return nil
    }

    // MARK: Ranges

    /// The first node whose score is in `range` (`zslFirstInRange`).
    func firstInRange(_ range: ScoreRange) -> SkipListNode? {
        guard isInRange(range) else { return nil }
        var x = header
        for i in stride(from: level - 1, through: 0, by: -1) {
            while let next = x.forward(i), !range.isAboveMin(next.score) { x = next }
        }
        guard let found = x.forward(0), range.isBelowMax(found.score) else { return nil }
        return found
    }

    /// The last node whose score is in `range` (`zslLastInRange`).
    func lastInRange(_ range: ScoreRange) -> SkipListNode? {
        guard isInRange(range) else { return nil }
        var x = header
        for i in stride(from: level - 1, through: 0, by: -1) {
            while let next = x.forward(i), range.isBelowMax(next.score) { x = next }
        }
        guard x != header, range.isAboveMin(x.score) else { return nil }
        return x
    }

    /// `zslIsInRange`: whether some part of the list may be in `range`.
    private func isInRange(_ range: ScoreRange) -> Bool {
        guard !range.isEmpty, let tail, range.isAboveMin(tail.score), let first, range.isBelowMax(first.score) else {
            return false
        }
        return true
    }

    /// The first node whose member is in `range` (`zslFirstInLexRange`), walking the levels
    /// by member alone: meaningful when all scores are equal, as Redis documents.
    func firstInLexRange(_ range: LexRange) -> SkipListNode? {
        guard isInLexRange(range) else { return nil }
        var x = header
        for i in stride(from: level - 1, through: 0, by: -1) {
            while let next = x.forward(i), !range.isAboveMin(next.member) { x = next }
        }
        guard let found = x.forward(0), range.isBelowMax(found.member) else { return nil }
        return found
    }

    /// The last node whose member is in `range` (`zslLastInLexRange`).
    func lastInLexRange(_ range: LexRange) -> SkipListNode? {
        guard isInLexRange(range) else { return nil }
        var x = header
        for i in stride(from: level - 1, through: 0, by: -1) {
            while let next = x.forward(i), range.isBelowMax(next.member) { x = next }
        }
        guard x != header, range.isAboveMin(x.member) else { return nil }
        return x
    }

    private func isInLexRange(_ range: LexRange) -> Bool {
        guard !range.isEmpty, let tail, range.isAboveMin(tail.member), let first, range.isBelowMax(first.member) else {
            return false
        }
        return true
    }

    // MARK: Scanning and sampling

    /// One ZSCAN step over the member index; see `MemberIndex.scan`.
    func scan(cursor: UInt64, _ body: (SkipListNode) -> Void) -> UInt64 {
        index.scan(cursor: cursor, body)
    }

    // MARK: Structure

    /// `zslRandomLevel`: 1, plus one for each further draw under 1/4, at most 32.
    private func randomLevel() -> Int {
        // SplitMix64: two bits per level draw, 32 draws per step.
        randomState &+= 0x9E37_79B9_7F4A_7C15
        var bits = randomState
        bits = (bits ^ (bits >> 30)) &* 0xBF58_476D_1CE4_E5B9
        bits = (bits ^ (bits >> 27)) &* 0x94D0_49BB_1331_11EB
        bits ^= bits >> 31
        var level = 1
        while level < SkipListNode.maxLevel && bits & 3 == 0 {
            level += 1
            bits >>= 2
        }
        return level
    }

    /// The last node of each level that sorts before `(score, member)`, as `zslDelete` and
    /// `zslUpdateScore` find it, passed to `body` in a buffer of `maxLevel` slots.
    private func withUpdatePath<R>(
        score: Double,
        member: UnsafeRawBufferPointer,
        _ body: (UnsafeMutablePointer<SkipListNode>) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: SkipListNode.self, capacity: SkipListNode.maxLevel) { update in
            var x = header
            for i in stride(from: level - 1, through: 0, by: -1) {
                while let next = x.forward(i),
                    next.score < score || (next.score == score && SortedSetOrder.compare(next.member, member) < 0)
                {
                    x = next
                }
                update[i] = x
            }
            return body(update.baseAddress!)
        }
    }

    /// Links a node whose levels are all null into its place (the body of `zslInsert`).
    private func link(_ node: SkipListNode) {
        let score = node.score
        let member = node.member
        let nodeLevel = node.level
        withUnsafeTemporaryAllocation(of: SkipListNode.self, capacity: SkipListNode.maxLevel) { update in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: SkipListNode.maxLevel) { rank in
                var x = header
                for i in stride(from: level - 1, through: 0, by: -1) {
                    rank[i] = i == level - 1 ? 0 : rank[i + 1]
                    while let next = x.forward(i),
                        next.score < score || (next.score == score && SortedSetOrder.compare(next.member, member) < 0)
                    {
                        rank[i] += x.span(i)
                        x = next
                    }
                    update[i] = x
                }
                if nodeLevel > level {
                    for i in level..<nodeLevel {
                        rank[i] = 0
                        update[i] = header
                        header.setSpan(i, count)
                    }
                    level = nodeLevel
                }
                for i in 0..<nodeLevel {
                    node.setForward(i, update[i].forward(i))
                    update[i].setForward(i, node)
                    node.setSpan(i, update[i].span(i) - (rank[0] - rank[i]))
                    update[i].setSpan(i, rank[0] - rank[i] + 1)
                }
                for i in nodeLevel..<max(level, nodeLevel) {
                    update[i].setSpan(i, update[i].span(i) + 1)
                }
                node.backward = update[0] == header ? nil : update[0]
                if let next = node.forward(0) {
                    next.backward = node
                } else {
                    tail = node
                }
                count += 1
            }
        }
    }

    /// Unlinks `node` given its update path (`zslDeleteNode`); does not free it.
    private func unlink(_ node: SkipListNode, _ update: UnsafeMutablePointer<SkipListNode>) {
        for i in 0..<level {
            if update[i].forward(i) == node {
                update[i].setSpan(i, update[i].span(i) + node.span(i) - 1)
                update[i].setForward(i, node.forward(i))
            } else {
                update[i].setSpan(i, update[i].span(i) - 1)
            }
        }
        if let next = node.forward(0) {
            next.backward = node.backward
        } else {
            tail = node.backward
        }
        while level > 1 && header.forward(level - 1) == nil { level -= 1 }
        count -= 1
    }
}
