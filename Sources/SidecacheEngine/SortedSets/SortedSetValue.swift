/// A sorted set (the data half of Redis's t_zset.c): members ordered by score, then by
/// member bytes, each member once.
///
/// Small sets are a `PackedSortedSet` (OBJECT ENCODING `listpack`): one block, linear
/// operations. A set that outgrows `zset-max-listpack-entries` members or gets a member
/// longer than `zset-max-listpack-value` bytes becomes a `SkipList` (`skiplist`) for good,
/// as in Redis: only commands that build a new set (the STORE forms, RESTORE) choose the
/// packed form again.
///
/// Mutated in place under the keyspace lock; member bytes handed to callbacks are valid
/// only during the callback.
package final class SortedSetValue: CollectionValue, @unchecked Sendable {
    /// The members while small; empty once `skipList` is set.
    @exclusivity(unchecked) private(set) var packed = PackedSortedSet()
    /// The members once large.
    @exclusivity(unchecked) private(set) var skipList: SkipList?

    /// An empty set in the packed form, or (`packed: false`) as a skip list.
    init(packed: Bool = true) {
        if !packed { skipList = SkipList() }
    }

    init(packed: PackedSortedSet) {
        self.packed = packed
    }

    init(skipList: SkipList) {
        self.skipList = skipList
    }

    deinit {
        packed.deallocate()
    }

    /// The number of members (ZCARD).
    var count: Int { skipList?.count ?? packed.count }

    var isPacked: Bool { skipList == nil }

    package var encodingName: StaticString { skipList == nil ? "listpack" : "skiplist" }

    // MARK: Members

    /// The score of `member`, or `nil` when absent (`zsetScore`).
    func score(of member: UnsafeRawBufferPointer) -> Double? {
        if let skipList { return skipList.node(for: member)?.score }
        return packed.find(member)?.score
    }

    /// The 0-based rank of `member` counted from the lowest score, or `nil` (`zsetRank`).
    func rank(of member: UnsafeRawBufferPointer) -> Int? {
        if let skipList {
            guard let node = skipList.node(for: member) else { return nil }
            return skipList.rank(of: node) - 1
        }
        return packed.find(member)?.rank
    }

    /// ZADD's conditions (Redis's `ZADD_IN_*`).
    struct AddConditions: OptionSet {
        let rawValue: UInt8
        /// INCR: add `score` to the current score (0 for a new member).
        static let increment = AddConditions(rawValue: 1)
        /// NX: only add new members.
        static let onlyNew = AddConditions(rawValue: 2)
        /// XX: only update existing members.
        static let onlyExisting = AddConditions(rawValue: 4)
        /// GT: update only to a greater score.
        static let onlyGreater = AddConditions(rawValue: 8)
        /// LT: update only to a lower score.
        static let onlyLess = AddConditions(rawValue: 16)
    }

    /// What `add` did (Redis's `ZADD_OUT_*`).
    enum AddOutcome {
        case added
        case updated
        /// Processed, but the score stayed the same.
        case unchanged
        /// Not processed because of NX, XX, GT or LT (`ZADD_OUT_NOP`).
        case skipped
        /// The score, or the incremented score, is NaN; nothing changed.
        case notANumber
    }

    /// Adds `member` or updates its score under `conditions` (Redis's `zsetAdd`). Returns
    /// what happened and the member's score afterwards (meaningful when added, updated or
    /// unchanged). Adding a member that the packed form cannot hold under `limits` (one
    /// member too many, or too long) turns the set into a skip list first.
    func add(
        _ member: UnsafeRawBufferPointer,
        score: Double,
        conditions: AddConditions,
        limits: EncodingLimits
    ) -> (outcome: AddOutcome, score: Double) {
        if score.isNaN { return (.notANumber, score) }
        if skipList == nil {
            let (found, insertion) = packed.locate(member, score: score)
            if let (rank, current) = found {
                guard let updated = Self.updatedScore(current, score, conditions) else { return (.skipped, current) }
                if updated.isNaN { return (.notANumber, updated) }
                guard updated != current else { return (.unchanged, updated) }
                // The new place among the other members: known from the walk unless INCR
                // changed the score it was computed for.
                var position = insertion
                if conditions.contains(.increment) {
                    position = packed.insertionRank(member, score: updated)
                }
                if position > rank { position -= 1 }
                if position == rank {
                    packed.splice(removing: rank..<(rank + 1), inserting: (member, updated))
                } else {
                    packed.splice(removing: rank..<(rank + 1), inserting: nil)
                    packed.splice(removing: position..<position, inserting: (member, updated))
                }
                return (.updated, updated)
            }
            if conditions.contains(.onlyExisting) { return (.skipped, score) }
            if fitsPacked(adding: member, limits: limits) {
                packed.splice(removing: insertion..<insertion, inserting: (member, score))
                return (.added, score)
            }
            convertToSkipList()
        }
        let skipList = skipList!
        if let node = skipList.node(for: member) {
            let current = node.score
            guard let updated = Self.updatedScore(current, score, conditions) else { return (.skipped, current) }
            if updated.isNaN { return (.notANumber, updated) }
            guard updated != current else { return (.unchanged, updated) }
            skipList.updateScore(node, to: updated)
            return (.updated, updated)
        }
        if conditions.contains(.onlyExisting) { return (.skipped, score) }
        skipList.insert(member, score: score)
        return (.added, score)
    }

    /// The score an existing member would get, or `nil` when NX, GT or LT forbid the change.
    /// NaN when the increment produces it (checked before GT/LT, as Redis does).
    private static func updatedScore(_ current: Double, _ score: Double, _ conditions: AddConditions) -> Double? {
        if conditions.contains(.onlyNew) { return nil }
        let updated = conditions.contains(.increment) ? score + current : score
        if updated.isNaN { return updated }
        if conditions.contains(.onlyLess) && updated >= current { return nil }
        if conditions.contains(.onlyGreater) && updated <= current { return nil }
        return updated
    }

    /// Whether one more member, `member`, keeps the packed form within `limits`.
    private func fitsPacked(adding member: UnsafeRawBufferPointer, limits: EncodingLimits) -> Bool {
        packed.count + 1 <= limits.zsetMaxListpackEntries && member.count <= limits.zsetMaxListpackValue
            && packed.byteCount + member.count < Self.packedByteLimit
    }

    /// Redis keeps a listpack under 1 GiB (`lpSafeToAdd`).
    static let packedByteLimit = 1 << 30

    /// Removes `member`; returns whether it was present (`zsetDel`).
    @discardableResult
    func remove(_ member: UnsafeRawBufferPointer) -> Bool {
        if let skipList {
            guard let node = skipList.node(for: member) else { return false }
            skipList.remove(node)
            return true
        }
        guard let (rank, _) = packed.find(member) else { return false }
        packed.splice(removing: rank..<(rank + 1), inserting: nil)
        return true
    }

    /// Removes the members with 0-based ranks in `ranks` (which must be within the set).
    func removeRanks(_ ranks: Range<Int>) {
        guard !ranks.isEmpty else { return }
        if let skipList {
            skipList.removeRange(start: ranks.lowerBound + 1, end: ranks.upperBound)
        } else {
            packed.splice(removing: ranks, inserting: nil)
        }
    }

    /// Turns the packed form into a skip list (`zsetConvert` to `OBJ_ENCODING_SKIPLIST`).
    func convertToSkipList() {
        guard skipList == nil else { return }
        let list = SkipList()
        packed.forEach { _, member, score in
            list.insert(member, score: score)
            return true
        }
        packed.deallocate()
        skipList = list
    }
}
