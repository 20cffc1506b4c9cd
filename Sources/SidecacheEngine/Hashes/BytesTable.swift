#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A chained hash table of byte-string keys, each with a byte-string value (empty for a set
/// member): the `hashtable` encoding of large hashes and sets (Redis's `dict`).
///
/// Entries live densely in one array, so that a uniformly random entry is one draw (Redis's
/// `dictGetFairRandomKey`) and iteration walks memory in order. Removing an entry moves the
/// last one into its place. Each entry records its hash, so resizing the bucket array
/// relinks entries without hashing a byte. Buckets hold the position of the first entry of
/// their chain; a SCAN cursor walks buckets in Redis's reverse-binary order, so an entry
/// present for a whole iteration is returned at least once however the table is resized.
final class BytesTable {
    struct Entry {
        var hash: UInt32
        /// The next entry of the same bucket, or -1.
        var next: Int32
        var keyLength: Int32
        /// The key, then the value.
        var bytes: [UInt8]
    }

    /// Redis's `DICT_HT_INITIAL_SIZE`.
    static let minimumBuckets = 4

    private(set) var entries: [Entry] = []
    private var buckets: [Int32]
    /// What the entries' byte arrays hold (`entryCost` of each), kept as entries come and go so
    /// that `estimatedMemoryUsage` costs O(1): memory accounting re-estimates a hash or set
    /// after every write to it.
    private var entryBytes = 0

    /// An empty table sized for `capacity` entries.
    init(capacity: Int = 0) {
        buckets = Array(repeating: -1, count: Self.bucketCount(for: capacity))
        entries.reserveCapacity(capacity)
    }

    private init(entries: [Entry], buckets: [Int32], entryBytes: Int) {
        self.entries = entries
        self.buckets = buckets
        self.entryBytes = entryBytes
    }

    var count: Int { entries.count }

    /// Bytes this table holds: bucket and entry arrays (by capacity) and each entry's bytes. O(1).
    var estimatedMemoryUsage: Int {
        2 * KeyEntry.arrayHeaderBytes + buckets.capacity * 4 + entries.capacity * MemoryLayout<Entry>.stride + entryBytes
    }

    /// What one entry's byte array adds to `estimatedMemoryUsage`.
    @inline(__always)
    private static func entryCost(_ bytes: [UInt8]) -> Int {
        KeyEntry.arrayHeaderBytes + (bytes.capacity + 15) & ~15
    }

    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        return UInt32(truncatingIfNeeded: hasher.finalize())
    }

    /// The position of the entry for `key`, or `nil`.
    func find(_ key: UnsafeRawBufferPointer) -> Int? {
        find(key, hash: Self.hash(key))
    }

    private func find(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Int? {
        var position = buckets[Int(hash) & (buckets.count - 1)]
        while position >= 0 {
            let matches = entries[Int(position)].hash == hash && Int(entries[Int(position)].keyLength) == key.count
            if matches && (key.count == 0 || entries[Int(position)].bytes.withUnsafeBytes { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 }) {
                return Int(position)
            }
            position = entries[Int(position)].next
        }
        return nil
    }

    /// Calls `body` with the key and value of the entry at `position`.
    @inline(__always)
    func withEntry<R>(at position: Int, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> R) -> R {
        let keyLength = Int(entries[position].keyLength)
        return entries[position].bytes.withUnsafeBytes { bytes in
            body(UnsafeRawBufferPointer(rebasing: bytes[..<keyLength]), UnsafeRawBufferPointer(rebasing: bytes[keyLength...]))
        }
    }

    /// Sets `key` to `value`; returns whether the key was new.
    @discardableResult
    func set(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Bool {
        let hash = Self.hash(key)
        if let position = find(key, hash: hash) {
            entryBytes -= Self.entryCost(entries[position].bytes)
            entries[position].bytes = Self.bytes(key, value)
            entryBytes += Self.entryCost(entries[position].bytes)
            return false
        }
        insertNew(key, value, hash: hash)
        return true
    }

    /// Adds `key` (with `value`), which must not be in the table.
    func insertNew(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        insertNew(key, value, hash: Self.hash(key))
    }

    private func insertNew(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, hash: UInt32) {
        if entries.count >= buckets.count { resize(buckets: buckets.count * 2) }
        let bucket = Int(hash) & (buckets.count - 1)
        let bytes = Self.bytes(key, value)
        entryBytes += Self.entryCost(bytes)
        entries.append(Entry(hash: hash, next: buckets[bucket], keyLength: Int32(key.count), bytes: bytes))
        buckets[bucket] = Int32(entries.count - 1)
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    func remove(_ key: UnsafeRawBufferPointer) -> Bool {
        guard let position = find(key) else { return false }
        remove(at: position)
        return true
    }

    /// Removes the entry at `position`; the last entry takes its position. Shrinks the bucket
    /// array when it is less than 10% full, as Redis's `htNeedsResize`.
    func remove(at position: Int) {
        entryBytes -= Self.entryCost(entries[position].bytes)
        relink(position, to: entries[position].next)
        let last = entries.count - 1
        if position != last {
            relink(last, to: Int32(position))
            entries.swapAt(position, last)
        }
        entries.removeLast()
        if buckets.count > Self.minimumBuckets && entries.count * 10 < buckets.count {
            resize(buckets: Self.bucketCount(for: entries.count))
            var compacted: [Entry] = []
            compacted.reserveCapacity(entries.count)
            compacted.append(contentsOf: entries)
            entries = compacted
        }
    }

    /// An independent copy.
    func copy() -> BytesTable {
        BytesTable(entries: entries, buckets: buckets, entryBytes: entryBytes)
    }

    /// One SCAN step from `cursor` (Redis's `dictScan`): calls `body` with the entries of the
    /// bucket the cursor names and returns the next cursor, 0 at the end.
    func scan(cursor: UInt64, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void) -> UInt64 {
        guard !entries.isEmpty else { return 0 }
        let mask = UInt64(buckets.count - 1)
        var position = buckets[Int(cursor & mask)]
        while position >= 0 {
            withEntry(at: Int(position), body)
            position = entries[Int(position)].next
        }
        var reversed = (cursor | ~mask).bitReversed
        reversed &+= 1
        return reversed.bitReversed
    }

    // MARK: Private

    private static func bytes(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: key.count + value.count) { buffer, initialized in
            if key.count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: key) }
            if value.count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[key.count...]).copyMemory(from: value)
            }
            initialized = key.count + value.count
        }
    }

    /// The smallest power of two at least `count` and at least `minimumBuckets`.
    private static func bucketCount(for count: Int) -> Int {
        var size = minimumBuckets
        while size < count { size *= 2 }
        return size
    }

    /// Points whatever links to the entry at `position` (its bucket or the entry before it in
    /// the chain) at `replacement` instead.
    private func relink(_ position: Int, to replacement: Int32) {
        let bucket = Int(entries[position].hash) & (buckets.count - 1)
        if buckets[bucket] == Int32(position) {
            buckets[bucket] = replacement
            return
        }
        var previous = Int(buckets[bucket])
        while entries[previous].next != Int32(position) { previous = Int(entries[previous].next) }
        entries[previous].next = replacement
    }

    private func resize(buckets size: Int) {
        buckets = Array(repeating: -1, count: size)
        let mask = size - 1
        for position in entries.indices {
            let bucket = Int(entries[position].hash) & mask
            entries[position].next = buckets[bucket]
            buckets[bucket] = Int32(position)
        }
    }
}
