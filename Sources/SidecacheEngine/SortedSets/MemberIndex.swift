#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The member → node half of a large sorted set (the `dict` of Redis's `zset`): a chained
/// hash table whose chains run through the nodes themselves (`SkipListNode.hashNext`), so
/// it costs one bucket pointer per member and no allocation per member.
///
/// Bucket arrays have power-of-two sizes and are resized at once (Redis's rules: grow when
/// full, shrink below 10% fill), so ZSCAN's reverse-binary cursor (`dictScan`) returns
/// every member present for a whole iteration. Owned by one `SkipList`, which frees the
/// nodes; `deallocate()` frees only the buckets.
struct MemberIndex {
    private var buckets: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    private(set) var bucketCount = 0
    private(set) var count = 0

    static let initialSize = 4

    @inline(__always)
    static func hash(_ member: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: member)
        return hasher.finalize()
    }

    mutating func deallocate() {
        free(buckets)
        buckets = nil
        bucketCount = 0
        count = 0
    }

    /// The node holding `member`, if any.
    func find(_ member: UnsafeRawBufferPointer) -> SkipListNode? {
        guard let buckets else { return nil }
        var candidate = SkipListNode(buckets[Self.hash(member) & (bucketCount - 1)])
        while let node = candidate {
            if SortedSetOrder.equal(node.member, member) { return node }
            candidate = node.hashNext
        }
        return nil
    }

    /// Adds `node`, whose member must not be indexed yet.
    mutating func insert(_ node: SkipListNode) {
        if count >= bucketCount { resize(to: max(Self.initialSize, bucketCount * 2)) }
        let slot = Self.hash(node.member) & (bucketCount - 1)
        node.hashNext = SkipListNode(buckets![slot])
        buckets![slot] = node.raw
        count += 1
    }

    /// Unlinks `node`, which must be indexed; shrinks the table once it is under 10% full.
    mutating func remove(_ node: SkipListNode) {
        guard let buckets else { return }
        let slot = Self.hash(node.member) & (bucketCount - 1)
        if buckets[slot] == node.raw {
            buckets[slot] = node.hashNext?.raw
        } else {
            var previous = SkipListNode(buckets[slot])
            while let current = previous, let next = current.hashNext {
                if next == node {
                    current.hashNext = node.hashNext
                    break
                }
                previous = next
            }
        }
        node.hashNext = nil
        count -= 1
        if bucketCount > Self.initialSize && count * 10 < bucketCount {
            resize(to: Self.powerOfTwo(atLeast: max(count, Self.initialSize)))
        }
    }

    private mutating func resize(to size: Int) {
        guard let raw = calloc(size, MemoryLayout<UnsafeMutableRawPointer?>.stride) else {
            fatalError("out of memory allocating \(size) sorted-set buckets")
        }
        let fresh = raw.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: size)
        if let buckets {
            for slot in 0..<bucketCount {
                var candidate = SkipListNode(buckets[slot])
                while let node = candidate {
                    candidate = node.hashNext
                    let target = Self.hash(node.member) & (size - 1)
                    node.hashNext = SkipListNode(fresh[target])
                    fresh[target] = node.raw
                }
            }
            free(buckets)
        }
        buckets = fresh
        bucketCount = size
    }

    private static func powerOfTwo(atLeast value: Int) -> Int {
        var size = initialSize
        while size < value { size *= 2 }
        return size
    }

    /// One step of Redis's `dictScan`: calls `body` with every node of the bucket `cursor`
    /// names, and returns the next cursor (0 when the iteration is complete).
    func scan(cursor: UInt64, _ body: (SkipListNode) -> Void) -> UInt64 {
        guard let buckets, bucketCount > 0 else { return 0 }
        let mask = UInt64(bucketCount - 1)
        var candidate = SkipListNode(buckets[Int(cursor & mask)])
        while let node = candidate {
            candidate = node.hashNext
            body(node)
        }
        var next = cursor | ~mask
        next = next.bitReversed &+ 1
        return next.bitReversed
    }
}
