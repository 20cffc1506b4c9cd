/// The most accessed keys, whatever the eviction policy: a Space-Saving top-K (Metwally et
/// al.) fed with a random sample of key accesses.
///
/// Every lookup that touches a key (reads and writes; not OBJECT, TYPE or other
/// introspection) decrements a countdown; when it reaches zero the access is recorded and a
/// new countdown is drawn with a mean of `sampleInterval`. A recorded key already tracked
/// gains one; an untracked key takes the place of the least counted one and inherits its
/// count plus one (so a count overestimates by at most the inherited `error`). The slots sit
/// in a min-heap by count, so both cost O(log K); finding a key scans K 32-bit hashes. Every
/// 65,536 recorded accesses the counts are halved, so that keys that were hot long ago fade.
///
/// Cost per access: one decrement and a branch; the rest is paid by one access in
/// `sampleInterval`. Not thread-safe: the keyspace lock guards it.
struct HotKeyTracker {
    struct Slot {
        var hash: UInt32
        var database: Int
        var key: [UInt8]
        var count: UInt64
        var error: UInt64
    }

    static let capacity = 64
    static let agingPeriod = 1 << 16

    /// Accesses per recorded one, on average; 1 records every access (tests).
    var sampleInterval: UInt32 = 16
    private(set) var slots: [Slot] = []
    /// `slots[i].hash` mixed with the database, scanned to find a key.
    private var fingerprints: [UInt32] = []
    /// Slot indexes as a min-heap by count.
    private var heap: [Int] = []
    /// Where each slot sits in `heap`.
    private var heapPosition: [Int] = []
    private var recordedSinceAging = 0

    init() {
        slots.reserveCapacity(Self.capacity)
        fingerprints.reserveCapacity(Self.capacity)
        heap.reserveCapacity(Self.capacity)
        heapPosition.reserveCapacity(Self.capacity)
    }

    /// The countdown to the next recorded access, drawn from 1 ..< 2·interval.
    func nextCountdown<G: RandomNumberGenerator>(using generator: inout G) -> UInt32 {
        sampleInterval <= 1 ? 1 : UInt32.random(in: 1..<(2 * sampleInterval), using: &generator)
    }

    private static func fingerprint(_ hash: UInt32, _ database: Int) -> UInt32 {
        hash ^ (UInt32(truncatingIfNeeded: database) &* 0x9E37_79B9)
    }

    /// Counts one access to `key` (hash `hash`) in `database`.
    mutating func record(_ key: UnsafeRawBufferPointer, hash: UInt32, database: Int) {
        let fingerprint = Self.fingerprint(hash, database)
        for index in fingerprints.indices where fingerprints[index] == fingerprint {
            guard slots[index].database == database, slots[index].key.elementsEqual(key) else { continue }
            slots[index].count += 1
            siftDown(heapPosition[index])
            return age()
        }
        if slots.count < Self.capacity {
            slots.append(Slot(hash: hash, database: database, key: Array(key), count: 1, error: 0))
            fingerprints.append(fingerprint)
            heap.append(slots.count - 1)
            heapPosition.append(heap.count - 1)
            siftUp(heap.count - 1)
            return age()
        }
        let victim = heap[0]
        let floor = slots[victim].count
        // The slot's own array is reused: no allocation once keys fit the slots' capacity.
        slots[victim].key.removeAll(keepingCapacity: true)
        slots[victim].key.append(contentsOf: key)
        slots[victim].hash = hash
        slots[victim].database = database
        slots[victim].count = floor + 1
        slots[victim].error = floor
        fingerprints[victim] = fingerprint
        siftDown(0)
        age()
    }

    private mutating func age() {
        recordedSinceAging += 1
        guard recordedSinceAging >= Self.agingPeriod else { return }
        recordedSinceAging = 0
        // Halving keeps the heap order (a <= b implies a/2 <= b/2).
        for index in slots.indices {
            slots[index].count /= 2
            slots[index].error /= 2
        }
    }

    /// The tracked keys, most counted first: at most `limit`.
    func top(_ limit: Int) -> [Slot] {
        Array(slots.sorted { $0.count > $1.count }.prefix(limit))
    }

    mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        fingerprints.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        heapPosition.removeAll(keepingCapacity: true)
        recordedSinceAging = 0
    }

    // MARK: Heap

    private mutating func swapHeap(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        heapPosition[heap[a]] = a
        heapPosition[heap[b]] = b
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard slots[heap[child]].count < slots[heap[parent]].count else { return }
            swapHeap(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            if left < heap.count && slots[heap[left]].count < slots[heap[smallest]].count { smallest = left }
            if left + 1 < heap.count && slots[heap[left + 1]].count < slots[heap[smallest]].count { smallest = left + 1 }
            guard smallest != parent else { return }
            swapHeap(parent, smallest)
            parent = smallest
        }
    }
}

/// One of the most accessed keys (`Keyspace.hotKeys`).
public struct HotKey: Sendable, Equatable {
    public var database: Int
    public var key: [UInt8]
    /// Estimated accesses: recorded accesses times the sampling interval, halved every
    /// 65,536 recorded accesses.
    public var accesses: Int
    /// How much of `accesses` may belong to keys this one replaced in the tracker.
    public var maximumOvercount: Int
}

extension KeyspaceState {
    /// Records the access that ran the hot-key countdown out, and draws the next countdown.
    @inline(never)
    func recordHotKey(_ entry: KeyEntry, database: Int) {
        hotKeyCountdown = hotKeys.nextCountdown(using: &random)
        entry.withKey { hotKeys.record($0, hash: entry.hash, database: database) }
    }
}

extension Keyspace {
    /// The most accessed keys since start (or `resetHotKeys`), most accessed first; at most
    /// `limit` (64 are tracked). Works under every eviction policy.
    public func hotKeys(limit: Int = 10) -> [HotKey] {
        withState { state in
            let interval = Int(state.hotKeys.sampleInterval)
            return state.hotKeys.top(limit).map {
                HotKey(database: $0.database, key: $0.key, accesses: Int($0.count) * interval,
                    maximumOvercount: Int($0.error) * interval)
            }
        }
    }

    /// Forgets the hot keys counted so far.
    public func resetHotKeys() {
        withState { $0.hotKeys.removeAll() }
    }
}
