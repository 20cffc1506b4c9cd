/// Building whole sorted sets (RESTORE, COPY, the STORE commands) and handing them out
/// whole (DUMP, MEMORY USAGE).
extension SortedSetValue {
    /// RESTORE's value: `elements` ascending by score then member (as the DUMP decoder
    /// yields them), encoded as `limits` choose.
    package convenience init(restoring elements: [DumpValue.ScoredMember], limits: EncodingLimits) {
        self.init(
            sortedMembers: elements.count, limits: limits, longestMember: elements.lazy.map(\.member.count).max() ?? 0,
            totalLength: elements.reduce(0) { $0 + $1.member.count }
        ) { add in
            for element in elements { element.member.withUnsafeBytes { add($0, element.score) } }
        }
    }

    /// A set of the members of `members`, which are ascending and unique (the STORE commands).
    convenience init(sorted members: MemberList, limits: EncodingLimits) {
        self.init(
            sortedMembers: members.count, limits: limits, longestMember: members.longest, totalLength: members.bytes.count
        ) { add in
            for index in 0..<members.count { members.withMember(index, add) }
        }
    }

    /// A set of `count` members that `produce` passes to its argument in ascending order,
    /// in the form Redis gives a set it builds whole (`zsetConvertToListpackIfNeeded`): packed
    /// when the members fit `zset-max-listpack-entries`, none is longer than
    /// `zset-max-listpack-value` (`longestMember`) and together (`totalLength`) they stay
    /// under the 1 GiB a listpack may hold. A member equal to the one before it is skipped.
    convenience init(
        sortedMembers count: Int,
        limits: EncodingLimits,
        longestMember: Int,
        totalLength: Int,
        _ produce: ((UnsafeRawBufferPointer, Double) -> Void) -> Void
    ) {
        if count <= limits.zsetMaxListpackEntries && longestMember <= limits.zsetMaxListpackValue
            && totalLength < Self.packedByteLimit
        {
            var builder = PackedSortedSet.Builder()
            var previous: [UInt8]?
            produce { member, score in
                if let previous, previous.withUnsafeBytes({ SortedSetOrder.equal($0, member) }) { return }
                builder.append(member, score: score)
                previous = Array(member)
            }
            self.init(packed: builder.finish())
        } else {
            let list = SkipList()
            produce { member, score in
                if list.node(for: member) == nil { list.insert(member, score: score) }
            }
            self.init(skipList: list)
        }
    }

    /// An independent copy in the same encoding (COPY; Redis's `zsetDup`).
    package func copy() -> Self {
        if let skipList {
            let list = SkipList()
            // From the tail: each insertion lands at the head, in O(1).
            var candidate = skipList.tail
            while let node = candidate {
                list.insert(node.member, score: node.score)
                candidate = node.backward
            }
            return Self(skipList: list)
        }
        return Self(packed: packed.copy())
    }

    /// The members, ascending (DUMP).
    package var dumpValue: DumpValue? {
        var members: [DumpValue.ScoredMember] = []
        members.reserveCapacity(count)
        forEach(ranks: 0..<count) { member, score in
            members.append(DumpValue.ScoredMember(member: Array(member), score: score))
        }
        return .sortedSet(members)
    }

    /// Bytes held in our layout (MEMORY USAGE), computed rather than asked of the allocator
    /// so that equal sets answer alike: this object, and the packed block or the skip list
    /// with its nodes and buckets, each block rounded to glibc's 16-byte chunks with their
    /// 8-byte headers.
    package var estimatedMemoryUsage: Int {
        func chunk(_ bytes: Int) -> Int { max(32, (bytes + 8 + 15) & ~15) }
        let object = chunk(40)
        guard let skipList else { return object + (packed.byteCount > 0 ? chunk(packed.byteCount) : 0) }
        // Nodes average 8 bytes of rounding on top of their header, as the header node does not.
        let nodes = skipList.nodeBytes + (skipList.count + 1) * 16
        return object + chunk(64) + nodes + chunk(skipList.bucketCount * 8)
    }
}
