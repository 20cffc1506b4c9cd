#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One node of a list (Redis's `quicklistNode` with its listpack): a malloc'd run of
/// `ListEntryCodec` entries, head to tail, with no listpack header or terminator, after the
/// allocation's capacity (4 bytes). Sixteen bytes; the owner calls `release`. An empty node
/// has no storage.
struct ListNode {
    /// Bytes a listpack adds around the entries (header and terminator): Redis's node sizes,
    /// which the fill rules read, include them.
    static let listpackOverhead = 7
    /// The capacity stored at the start of the allocation.
    private static let headerSize = 4

    /// The allocation: capacity (UInt32), then the entries.
    private var storage: UnsafeMutableRawPointer?
    private(set) var byteCount: UInt32 = 0
    private(set) var count: UInt32 = 0

    init() {}

    var bytes: Int { Int(byteCount) }
    var entries: Int { Int(count) }
    var isEmpty: Bool { count == 0 }

    /// The size Redis's node would have (`node->sz`).
    var listpackSize: Int { bytes + Self.listpackOverhead }

    /// Entry bytes the allocation can hold.
    var capacity: Int { storage.map { Int($0.loadUnaligned(as: UInt32.self)) } ?? 0 }

    /// The first entry.
    @inline(__always)
    var base: UnsafeMutableRawPointer { storage! + Self.headerSize }

    /// What MEMORY USAGE counts for this node: its allocation in a malloc chunk (8 bytes of
    /// header, 16-byte granularity).
    var estimatedMemoryUsage: Int { storage == nil ? 0 : (Self.headerSize + capacity + 8 + 15) & ~15 }

    // MARK: Reading

    @inline(__always)
    func read(at offset: Int) -> (element: ListElement, size: Int) {
        ListEntryCodec.read(UnsafeRawPointer(base) + offset)
    }

    /// The offset of the entry that ends at `end` (`end` > 0).
    @inline(__always)
    func offset(before end: Int) -> Int {
        end - ListEntryCodec.sizeOfEntry(endingAt: UnsafeRawPointer(base) + end)
    }

    /// The offset of the `index`th entry, walked from the nearer end.
    func offset(ofEntry index: Int) -> Int {
        if index <= entries / 2 {
            var offset = 0
            for _ in 0..<index { offset += read(at: offset).size }
            return offset
        }
        var offset = bytes
        for _ in index..<entries { offset = self.offset(before: offset) }
        return offset
    }

    // MARK: Writing

    /// Inserts `element` (encoded as `encoding`) at byte `offset`, an entry boundary. Grows the
    /// allocation by half again (up to `growthLimit` bytes) so that a run of pushes reallocates
    /// rarely, or exactly when that would exceed the limit.
    mutating func insert(_ element: UnsafeRawBufferPointer, _ encoding: ListEntryCodec.Encoding, at offset: Int, growthLimit: Int) {
        let size = encoding.size
        reserve(bytes + size, growthLimit: growthLimit)
        let base = self.base
        if offset < bytes { memmove(base + offset + size, base + offset, bytes - offset) }
        ListEntryCodec.write(element, encoding, to: base + offset)
        byteCount += UInt32(size)
        count += 1
    }

    /// Removes `entries` entries taking `size` bytes from `offset` on.
    mutating func remove(at offset: Int, size: Int, entries removed: Int) {
        guard removed > 0 else { return }
        let base = self.base
        let tail = bytes - offset - size
        if tail > 0 { memmove(base + offset, base + offset + size, tail) }
        byteCount -= UInt32(size)
        count -= UInt32(removed)
        if count == 0 {
            free(storage)
            storage = nil
            byteCount = 0
        } else {
            shrinkIfSparse()
        }
    }

    /// Moves the entries from byte `offset` on into a new node, keeping those before it.
    mutating func split(at offset: Int) -> ListNode {
        var right = ListNode()
        let moved = bytes - offset
        guard moved > 0 else { return right }
        var movedEntries = 0
        var cursor = offset
        while cursor < bytes {
            cursor += read(at: cursor).size
            movedEntries += 1
        }
        right.reserve(moved, growthLimit: moved)
        right.base.copyMemory(from: base + offset, byteCount: moved)
        right.byteCount = UInt32(moved)
        right.count = UInt32(movedEntries)
        remove(at: offset, size: moved, entries: movedEntries)
        return right
    }

    /// Appends the entries of `other` and frees it.
    mutating func absorb(_ other: ListNode) {
        guard !other.isEmpty else { return }
        reserve(bytes + other.bytes, growthLimit: bytes + other.bytes)
        (base + bytes).copyMemory(from: other.base, byteCount: other.bytes)
        byteCount += other.byteCount
        count += other.count
        other.release()
    }

    /// An independent copy of the entries.
    func copy() -> ListNode {
        var duplicate = ListNode()
        guard !isEmpty else { return duplicate }
        duplicate.reserve(bytes, growthLimit: bytes)
        duplicate.base.copyMemory(from: base, byteCount: bytes)
        duplicate.byteCount = byteCount
        duplicate.count = count
        return duplicate
    }

    /// Frees the storage (the node must not be used afterwards).
    func release() {
        free(storage)
    }

    private mutating func reserve(_ needed: Int, growthLimit: Int) {
        let available = capacity
        guard needed > available else { return }
        var target = needed
        if needed > 256 { target = max(needed, min(available + available / 2, growthLimit)) }
        resize(to: target)
    }

    /// Gives memory back once less than half of the allocation is in use.
    private mutating func shrinkIfSparse() {
        let available = capacity
        guard available > 128 && available > 2 * bytes else { return }
        resize(to: bytes)
    }

    /// Reallocates for `capacity` entry bytes, rounded up to what fills glibc's 16-byte chunk.
    private mutating func resize(to capacity: Int) {
        let size = ((Self.headerSize + capacity + 8 + 15) & ~15) - 8
        guard let resized = realloc(storage, size) else { fatalError("out of memory resizing a list node to \(size) bytes") }
        resized.storeBytes(of: UInt32(truncatingIfNeeded: size - Self.headerSize), as: UInt32.self)
        storage = resized
    }
}
