/// A list (the data half of Redis's `t_list.c` and `quicklist.c`): a sequence of nodes, each
/// a run of listpack-encoded entries (`ListNode`), so that an element costs what it costs in
/// redis-server's listpacks (two bytes of framing for a short string, two or three bytes in
/// all for a small integer).
///
/// Head and tail operations touch one end node: pushes and pops are O(1) in the list length
/// (and O(node) in bytes moved, at most a few KiB, as in Redis). Positional operations walk
/// the nodes from the nearer end, then the entries of one node.
///
/// Node 0 is stored inline, so a small list is two allocations: this object and its entries.
/// The node size bound is the `list-max-listpack-size` in force when an element is added.
/// OBJECT ENCODING answers `quicklist`, as redis-server 7.0 does for every list.
package final class ListValue: CollectionValue, @unchecked Sendable {
    /// Node 0 (empty only when the list is).
    private var first = ListNode()
    /// Nodes 1 and later.
    private var others: ContiguousArray<ListNode> = []
    /// Number of elements.
    package private(set) var count = 0
    /// The nodes' `estimatedMemoryUsage`, summed as nodes change, so that the list's estimate
    /// costs O(1): memory accounting re-estimates a list after every write to it.
    private var nodeMemory = 0

    package init() {}

    package init(restoring elements: [[UInt8]], limits: EncodingLimits) {
        let fill = ListFill(limits)
        for element in elements {
            element.withUnsafeBytes { push($0, atHead: false, fill: fill) }
        }
    }

    deinit {
        first.release()
        for node in others { node.release() }
    }

    package var isEmpty: Bool { count == 0 }

    // MARK: CollectionValue

    package var encodingName: StaticString { "quicklist" }

    /// The object (48 bytes, a 64-byte malloc chunk), the array of nodes beyond the first,
    /// and each node's entries.
    package var estimatedMemoryUsage: Int {
        var total = 64 + nodeMemory
        if others.capacity > 0 { total += (32 + others.capacity * MemoryLayout<ListNode>.stride + 8 + 15) & ~15 }
        return total
    }

    /// The nodes' estimates added up one by one (tests check `nodeMemory` against it).
    var nodeMemoryRecount: Int {
        others.reduce(first.estimatedMemoryUsage) { $0 + $1.estimatedMemoryUsage }
    }

    package var dumpValue: DumpValue? { .list(elements) }

    package func copy() -> Self {
        let duplicate = Self()
        duplicate.first = first.copy()
        duplicate.others = ContiguousArray(others.map { $0.copy() })
        duplicate.count = count
        duplicate.nodeMemory = duplicate.nodeMemoryRecount
        return duplicate
    }

    /// Every element, head to tail.
    package var elements: [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(count)
        forEach(from: 0, reverse: false) { element in
            result.append(element.bytes)
            return true
        }
        return result
    }

    /// Elements per node, head to tail (tests of the node layout).
    package var nodeEntryCounts: [Int] {
        (0..<nodeCount).map { node($0).entries }
    }

    // MARK: Nodes

    var nodeCount: Int { first.isEmpty ? 0 : 1 + others.count }

    @inline(__always)
    func node(_ index: Int) -> ListNode {
        index == 0 ? first : others[index - 1]
    }

    /// Runs `body` on node `index` in place, keeping `nodeMemory` up to date.
    @inline(__always)
    private func withNode<R>(_ index: Int, _ body: (inout ListNode) -> R) -> R {
        let before = node(index).estimatedMemoryUsage
        defer { nodeMemory += node(index).estimatedMemoryUsage - before }
        return index == 0 ? body(&first) : body(&others[index - 1])
    }

    private func insertNode(_ node: ListNode, at index: Int) {
        nodeMemory += node.estimatedMemoryUsage
        if index == 0 {
            if !first.isEmpty { others.insert(first, at: 0) }
            first = node
        } else {
            others.insert(node, at: index - 1)
        }
    }

    /// Drops node `index` (its storage is not freed: the caller frees or moves it).
    private func removeNode(at index: Int) {
        nodeMemory -= node(index).estimatedMemoryUsage
        if index == 0 {
            first = others.isEmpty ? ListNode() : others.removeFirst()
        } else {
            others.remove(at: index - 1)
        }
    }

    /// A node holding only `element`.
    private func singleNode(_ element: UnsafeRawBufferPointer, _ encoding: ListEntryCodec.Encoding) -> ListNode {
        var node = ListNode()
        node.insert(element, encoding, at: 0, growthLimit: encoding.size)
        return node
    }

    // MARK: Positions

    /// Where an element lives: its node and the byte offset of its entry.
    struct Position {
        var node: Int
        var offset: Int
    }

    /// The node holding element `index` (0 ≤ index < count) and the index inside it, walking
    /// the nodes from the nearer end.
    private func locateNode(_ index: Int) -> (node: Int, local: Int) {
        if index < count / 2 {
            var remaining = index
            var current = 0
            while remaining >= node(current).entries {
                remaining -= node(current).entries
                current += 1
            }
            return (current, remaining)
        }
        var remaining = count - 1 - index
        var current = nodeCount - 1
        while remaining >= node(current).entries {
            remaining -= node(current).entries
            current -= 1
        }
        return (current, node(current).entries - 1 - remaining)
    }

    func position(of index: Int) -> Position {
        let (current, local) = locateNode(index)
        return Position(node: current, offset: node(current).offset(ofEntry: local))
    }

    /// Redis's list index (negative counts from the tail) as a position from the head, or
    /// `nil` when out of range.
    package func normalizedIndex(_ index: Int64) -> Int? {
        let resolved = index < 0 ? Int64(count) + index : index
        return resolved >= 0 && resolved < Int64(count) ? Int(resolved) : nil
    }

    // MARK: Reading

    /// Calls `body` with element `index` (0 ≤ index < count), valid only inside `body`.
    package func withElement<R>(at index: Int, _ body: (ListElement) throws -> R) rethrows -> R {
        let place = position(of: index)
        return try body(node(place.node).read(at: place.offset).element)
    }

    /// Calls `body` with the elements from `index` toward the tail (or toward the head when
    /// `reverse`) until it returns `false` or the list ends. The list must not change meanwhile.
    package func forEach(from index: Int, reverse: Bool, _ body: (ListElement) throws -> Bool) rethrows {
        guard index >= 0 && index < count else { return }
        var place = position(of: index)
        if !reverse {
            while place.node < nodeCount {
                let current = node(place.node)
                while place.offset < current.bytes {
                    let (element, size) = current.read(at: place.offset)
                    guard try body(element) else { return }
                    place.offset += size
                }
                place = Position(node: place.node + 1, offset: 0)
            }
            return
        }
        while true {
            let current = node(place.node)
            while true {
                guard try body(current.read(at: place.offset).element) else { return }
                if place.offset == 0 { break }
                place.offset = current.offset(before: place.offset)
            }
            guard place.node > 0 else { return }
            place.node -= 1
            place.offset = node(place.node).offset(before: node(place.node).bytes)
        }
    }

    // MARK: Adding

    /// LPUSH/RPUSH of one element (`quicklistPush`): into the end node when the fill rules
    /// allow it, else into a new node.
    package func push(_ element: UnsafeRawBufferPointer, atHead: Bool, fill: ListFill) {
        let encoding = ListEntryCodec.Encoding(element)
        defer { count += 1 }
        let nodes = nodeCount
        if nodes == 0 {
            first = singleNode(element, encoding)
            nodeMemory += first.estimatedMemoryUsage
            return
        }
        let end = atHead ? 0 : nodes - 1
        guard fill.allowsInsert(into: node(end), elementLength: element.count) else {
            insertNode(singleNode(element, encoding), at: atHead ? 0 : nodes)
            return
        }
        withNode(end) { $0.insert(element, encoding, at: atHead ? 0 : $0.bytes, growthLimit: fill.nodeByteLimit) }
    }

    /// Inserts `element` at `place` (an entry boundary of an existing node; `offset` may be the
    /// node's end), as `_quicklistInsert` does: in the node when it has room, else at the near
    /// end of a neighbour with room, else in a new node, splitting a full node in two when
    /// the place is in its middle and merging neighbours that then fit together.
    private func insert(_ element: UnsafeRawBufferPointer, at place: Position, fill: ListFill) {
        let encoding = ListEntryCodec.Encoding(element)
        let length = element.count
        count += 1
        let target = node(place.node)
        if fill.allowsInsert(into: target, elementLength: length) {
            withNode(place.node) { $0.insert(element, encoding, at: place.offset, growthLimit: fill.nodeByteLimit) }
            return
        }
        let atTail = place.offset == target.bytes
        let atHead = place.offset == 0
        if atTail && place.node + 1 < nodeCount && fill.allowsInsert(into: node(place.node + 1), elementLength: length) {
            withNode(place.node + 1) { $0.insert(element, encoding, at: 0, growthLimit: fill.nodeByteLimit) }
            return
        }
        if atHead && place.node > 0 && fill.allowsInsert(into: node(place.node - 1), elementLength: length) {
            withNode(place.node - 1) { $0.insert(element, encoding, at: $0.bytes, growthLimit: fill.nodeByteLimit) }
            return
        }
        if atTail || atHead {
            insertNode(singleNode(element, encoding), at: atTail ? place.node + 1 : place.node)
            return
        }
        let right = withNode(place.node) { $0.split(at: place.offset) }
        insertNode(right, at: place.node + 1)
        if fill.allowsInsert(into: node(place.node), elementLength: length) {
            withNode(place.node) { $0.insert(element, encoding, at: $0.bytes, growthLimit: fill.nodeByteLimit) }
        } else if fill.allowsInsert(into: node(place.node + 1), elementLength: length) {
            withNode(place.node + 1) { $0.insert(element, encoding, at: 0, growthLimit: fill.nodeByteLimit) }
        } else {
            insertNode(singleNode(element, encoding), at: place.node + 1)
        }
        mergeNeighbours(around: place.node + 1, fill: fill)
        mergeNeighbours(around: place.node, fill: fill)
    }

    /// Merges node `index` into its predecessor, then its successor into it, where the fill
    /// rules allow (`_quicklistMergeNodes`).
    private func mergeNeighbours(around index: Int, fill: ListFill) {
        var index = index
        guard index < nodeCount else { return }
        if index > 0 && fill.allowsMerge(node(index - 1), node(index)) {
            let absorbed = node(index)
            removeNode(at: index)
            index -= 1
            withNode(index) { $0.absorb(absorbed) }
        }
        if index + 1 < nodeCount && fill.allowsMerge(node(index), node(index + 1)) {
            let absorbed = node(index + 1)
            removeNode(at: index + 1)
            withNode(index) { $0.absorb(absorbed) }
        }
    }

    /// LINSERT: inserts `element` before or after the first element equal to `pivot`;
    /// returns whether the pivot was found.
    package func insert(_ element: UnsafeRawBufferPointer, after: Bool, pivot: ListNeedle, fill: ListFill) -> Bool {
        for index in 0..<nodeCount {
            let current = node(index)
            var offset = 0
            while offset < current.bytes {
                let (entry, size) = current.read(at: offset)
                if entry.equals(pivot) {
                    insert(element, at: Position(node: index, offset: after ? offset + size : offset), fill: fill)
                    return true
                }
                offset += size
            }
        }
        return false
    }

    /// LSET: replaces element `index` (0 ≤ index < count). In place when the node keeps to
    /// the fill rules (or holds only this element), else as a removal and an insertion.
    package func replace(at index: Int, with element: UnsafeRawBufferPointer, fill: ListFill) {
        let place = position(of: index)
        let target = node(place.node)
        let oldSize = target.read(at: place.offset).size
        let encoding = ListEntryCodec.Encoding(element)
        let fitsInPlace =
            target.entries == 1 || fill.allows(size: target.listpackSize - oldSize + encoding.size, entries: target.entries)
        if fitsInPlace {
            withNode(place.node) { node in
                node.remove(at: place.offset, size: oldSize, entries: 1)
                node.insert(element, encoding, at: place.offset, growthLimit: fill.nodeByteLimit)
            }
            return
        }
        withNode(place.node) { $0.remove(at: place.offset, size: oldSize, entries: 1) }
        count -= 1
        insert(element, at: place, fill: fill)
    }

    // MARK: Removing

    /// Removes `length` elements from `start` on (0 ≤ start, start + length ≤ count):
    /// `quicklistDelRange`. Nodes left empty are freed.
    package func removeRange(start: Int, length: Int) {
        guard length > 0 else { return }
        var (current, local) = locateNode(start)
        var remaining = length
        count -= length
        while remaining > 0 {
            let target = node(current)
            if local == 0 && remaining >= target.entries {
                remaining -= target.entries
                removeNode(at: current)
                target.release()
                continue
            }
            let removed = min(remaining, target.entries - local)
            let offset = target.offset(ofEntry: local)
            var end = offset
            for _ in 0..<removed { end += target.read(at: end).size }
            withNode(current) { $0.remove(at: offset, size: end - offset, entries: removed) }
            remaining -= removed
            current += 1
            local = 0
        }
    }

    /// LREM: removes elements equal to `needle`, head to tail (or tail to head), at most
    /// `limit` of them (0: all). Returns how many went.
    package func removeAll(matching needle: ListNeedle, limit: Int, fromTail: Bool) -> Int {
        var removed = 0
        if !fromTail {
            var place = Position(node: 0, offset: 0)
            while place.node < nodeCount {
                let current = node(place.node)
                guard place.offset < current.bytes else {
                    place = Position(node: place.node + 1, offset: 0)
                    continue
                }
                let (entry, size) = current.read(at: place.offset)
                guard entry.equals(needle) else {
                    place.offset += size
                    continue
                }
                if removeEntry(at: place, size: size) { place.offset = 0 }
                removed += 1
                if removed == limit { break }
            }
            return removed
        }
        var index = nodeCount - 1
        var end = index >= 0 ? node(index).bytes : 0
        while index >= 0 {
            guard end > 0 else {
                index -= 1
                if index >= 0 { end = node(index).bytes }
                continue
            }
            let current = node(index)
            let offset = current.offset(before: end)
            let (entry, size) = current.read(at: offset)
            end = offset
            guard entry.equals(needle) else { continue }
            removeEntry(at: Position(node: index, offset: offset), size: size)
            removed += 1
            if removed == limit { break }
        }
        return removed
    }

    /// Removes one entry; a node left empty is dropped (the next node takes its index) and
    /// `true` returned.
    @discardableResult
    private func removeEntry(at place: Position, size: Int) -> Bool {
        count -= 1
        withNode(place.node) { $0.remove(at: place.offset, size: size, entries: 1) }
        guard node(place.node).isEmpty else { return false }
        removeNode(at: place.node)
        return true
    }
}
