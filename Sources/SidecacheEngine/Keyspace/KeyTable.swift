/// A chained hash table of `KeyEntry`s with incremental rehashing: Redis's `dict`.
///
/// Growing or shrinking allocates a second bucket array and moves one bucket per operation
/// (and more from the periodic cron), so no single command pays for rehashing millions of
/// keys. The bucket arrays have power-of-two sizes, which is what lets `scan` promise
/// Redis's SCAN guarantee: a full iteration returns every key that was present for its
/// whole duration, even across resizes.
///
/// Ownership is manual, as in C: the table holds one retain on each entry it links
/// (`insert` takes it, `remove` hands it back), and buckets and chains are `Unmanaged`, so
/// lookups walk chains without any reference counting.
///
/// Not thread-safe: the keyspace lock guards it.
final class KeyTable {
    typealias Link = Unmanaged<KeyEntry>

    private struct Buckets {
        var slots: UnsafeMutablePointer<Link?>?
        var size = 0
        var used = 0
        var mask: Int { size &- 1 }

        /// Zeroed with `calloc`: an empty slot is all zero bits, and a large array then costs
        /// no up-front memset (the kernel hands out zero pages as they are touched), so growing
        /// to millions of buckets does not pause the server.
        static func allocate(size: Int) -> Buckets {
            guard let raw = calloc(size, MemoryLayout<Link?>.stride) else {
                fatalError("out of memory allocating \(size) hash buckets")
            }
            return Buckets(slots: raw.bindMemory(to: Link?.self, capacity: size), size: size, used: 0)
        }

        func deallocate() {
            free(slots)
        }

        /// The entry for `key` in this array's chain for `hash`, unretained.
        @inline(__always)
        func find(_ key: UnsafeRawBufferPointer, hash: UInt32) -> Link? {
            var link = slots![Int(hash) & mask]
            while let candidate = link {
                let found = candidate._withUnsafeGuaranteedRef { $0.hash == hash && $0.hasKey(key) }
                if found { return candidate }
                link = candidate._withUnsafeGuaranteedRef { $0.next }
            }
            return nil
        }
    }

    static let initialSize = 4
    /// Redis shrinks a table once it is less than 10% full.
    static let minimumFillPercent = 10

    @exclusivity(unchecked) private var primary = Buckets()
    @exclusivity(unchecked) private var secondary = Buckets()
    /// The next bucket of `primary` to move into `secondary`; -1 when not rehashing.
    @exclusivity(unchecked) private var rehashIndex = -1
    /// Where the bucket arrays' bytes are counted (used_memory).
    private let memory: MemoryCounter

    init(memory: MemoryCounter = MemoryCounter()) {
        self.memory = memory
    }

    /// What a bucket array of `size` slots costs; zero for none.
    private static func bucketBytes(_ size: Int) -> Int {
        size == 0 ? 0 : MemoryCounter.mallocChunk(size * MemoryLayout<Link?>.stride)
    }

    /// Bytes of the bucket arrays, as counted in `memory`.
    var bucketBytes: Int { Self.bucketBytes(primary.size) + Self.bucketBytes(secondary.size) }

    var count: Int { primary.used + secondary.used }
    var isRehashing: Bool { rehashIndex != -1 }
    /// Buckets across both arrays (INFO, MEMORY STATS).
    var bucketCount: Int { primary.size + secondary.size }

    deinit {
        removeAll()
    }

    // MARK: Lookup and change

    /// The entry for `key`, or `nil`. Moves one bucket if a rehash is under way.
    @inline(__always)
    func find(_ key: UnsafeRawBufferPointer, hash: UInt32) -> KeyEntry? {
        guard count > 0 else { return nil }
        if isRehashing {
            rehash(steps: 1)
            if isRehashing, let link = secondary.find(key, hash: hash) { return link.takeUnretainedValue() }
        }
        return primary.find(key, hash: hash)?.takeUnretainedValue()
    }

    /// Adds `entry`, whose key must not be in the table.
    func insert(_ entry: KeyEntry) {
        if isRehashing { rehash(steps: 1) }
        expandIfNeeded()
        let link = Link.passRetained(entry)
        let index = Int(entry.hash)
        if isRehashing {
            entry.next = secondary.slots![index & secondary.mask]
            secondary.slots![index & secondary.mask] = link
            secondary.used += 1
        } else {
            entry.next = primary.slots![index & primary.mask]
            primary.slots![index & primary.mask] = link
            primary.used += 1
        }
    }

    /// Removes and returns the entry for `key`.
    @discardableResult
    func remove(_ key: UnsafeRawBufferPointer, hash: UInt32) -> KeyEntry? {
        guard count > 0 else { return nil }
        if isRehashing { rehash(steps: 1) }
        if let entry = Self.unlink(from: &primary, key, hash: hash) { return entry }
        guard isRehashing else { return nil }
        return Self.unlink(from: &secondary, key, hash: hash)
    }

    /// Puts `replacement` (same key) where `entry` is, keeping its place in the chain.
    func replace(_ entry: KeyEntry, with replacement: KeyEntry) {
        replacement.next = entry.next
        entry.next = nil
        let old = Link.passUnretained(entry)
        let new = Link.passRetained(replacement)
        let found = Self.relink(in: primary, old: old, new: new) || Self.relink(in: secondary, old: old, new: new)
        precondition(found, "replacing an entry that is not in the table")
        old.release()
    }

    /// Drops every entry; keeps nothing allocated.
    func removeAll() {
        for buckets in [primary, secondary] where buckets.slots != nil {
            for index in 0..<buckets.size {
                var link = buckets.slots![index]
                while let current = link {
                    link = current._withUnsafeGuaranteedRef { entry in
                        defer { entry.next = nil }
                        return entry.next
                    }
                    current.release()
                }
            }
        }
        memory.bytes -= bucketBytes
        primary.deallocate()
        secondary.deallocate()
        primary = Buckets()
        secondary = Buckets()
        rehashIndex = -1
    }

    private static func unlink(from buckets: inout Buckets, _ key: UnsafeRawBufferPointer, hash: UInt32) -> KeyEntry? {
        guard let slots = buckets.slots else { return nil }
        let index = Int(hash) & buckets.mask
        var previous: Link? = nil
        var link = slots[index]
        while let candidate = link {
            let entry = candidate.takeUnretainedValue()
            if entry.hash == hash && entry.hasKey(key) {
                if let previous {
                    previous._withUnsafeGuaranteedRef { $0.next = entry.next }
                } else {
                    slots[index] = entry.next
                }
                entry.next = nil
                buckets.used -= 1
                return candidate.takeRetainedValue()
            }
            previous = candidate
            link = entry.next
        }
        return nil
    }

    private static func relink(in buckets: Buckets, old: Link, new: Link) -> Bool {
        guard let slots = buckets.slots else { return false }
        let index = Int(new._withUnsafeGuaranteedRef { $0.hash }) & buckets.mask
        if slots[index]?.toOpaque() == old.toOpaque() {
            slots[index] = new
            return true
        }
        var link = slots[index]
        while let candidate = link {
            let done = candidate._withUnsafeGuaranteedRef { entry -> Bool in
                guard entry.next?.toOpaque() == old.toOpaque() else { return false }
                entry.next = new
                return true
            }
            if done { return true }
            link = candidate._withUnsafeGuaranteedRef { $0.next }
        }
        return false
    }

    // MARK: Resizing

    private func expandIfNeeded() {
        guard !isRehashing else { return }
        if primary.size == 0 {
            primary = .allocate(size: Self.initialSize)
            memory.bytes += Self.bucketBytes(Self.initialSize)
        } else if primary.used >= primary.size {
            startRehash(toSize: Self.powerOfTwo(atLeast: primary.used + 1))
        }
    }

    /// Shrinks a table that is less than 10% full (called from the cron, as Redis does).
    func shrinkIfNeeded() {
        guard !isRehashing, primary.size > Self.initialSize,
            primary.used * 100 / primary.size < Self.minimumFillPercent
        else { return }
        startRehash(toSize: Self.powerOfTwo(atLeast: max(primary.used, Self.initialSize)))
    }

    private func startRehash(toSize size: Int) {
        guard size != primary.size else { return }
        secondary = .allocate(size: size)
        memory.bytes += Self.bucketBytes(size)
        rehashIndex = 0
    }

    /// Moves up to `steps` buckets into the new array, visiting at most ten empty buckets per
    /// step. Returns whether a rehash is still under way.
    @discardableResult
    func rehash(steps: Int) -> Bool {
        guard isRehashing else { return false }
        var remaining = steps
        var emptyVisits = steps * 10
        let slots = primary.slots!
        let target = secondary.slots!
        let targetMask = secondary.mask
        while remaining > 0 && primary.used > 0 {
            remaining -= 1
            while slots[rehashIndex] == nil {
                rehashIndex += 1
                emptyVisits -= 1
                if emptyVisits == 0 { return true }
            }
            var link = slots[rehashIndex]
            slots[rehashIndex] = nil
            var moved = 0
            while let current = link {
                current._withUnsafeGuaranteedRef { entry in
                    link = entry.next
                    let index = Int(entry.hash) & targetMask
                    entry.next = target[index]
                    target[index] = current
                }
                moved += 1
            }
            primary.used -= moved
            secondary.used += moved
            rehashIndex += 1
        }
        guard primary.used == 0 else { return true }
        memory.bytes -= Self.bucketBytes(primary.size)
        primary.deallocate()
        primary = secondary
        secondary = Buckets()
        rehashIndex = -1
        return false
    }

    private static func powerOfTwo(atLeast value: Int) -> Int {
        var size = initialSize
        while size < value { size <<= 1 }
        return size
    }

    // MARK: Iteration

    /// Calls `body` with every entry. `body` must not change the table.
    func forEach(_ body: (KeyEntry) -> Void) {
        for buckets in [primary, secondary] where buckets.slots != nil {
            for index in 0..<buckets.size { Self.emit(buckets, index, body) }
        }
    }

    /// One SCAN step from `cursor` (Redis's `dictScan`, reverse-binary cursor): calls `body`
    /// with the entries of the bucket(s) the cursor names and returns the next cursor, 0 at
    /// the end. `body` must not change the table.
    func scan(cursor: UInt64, _ body: (KeyEntry) -> Void) -> UInt64 {
        guard count > 0 else { return 0 }
        var cursor = cursor
        if !isRehashing {
            let mask = UInt64(primary.mask)
            Self.emit(primary, Int(cursor & mask), body)
            cursor |= ~mask
            cursor = Self.advance(cursor)
            return cursor
        }
        // Visit the bucket of the smaller array, then every bucket of the larger one that
        // expands it (the cursor's low bits are shared).
        let (small, large) = primary.size <= secondary.size ? (primary, secondary) : (secondary, primary)
        let smallMask = UInt64(small.mask)
        let largeMask = UInt64(large.mask)
        Self.emit(small, Int(cursor & smallMask), body)
        repeat {
            Self.emit(large, Int(cursor & largeMask), body)
            cursor |= ~largeMask
            cursor = Self.advance(cursor)
        } while cursor & (smallMask ^ largeMask) != 0
        return cursor
    }

    private static func emit(_ buckets: Buckets, _ index: Int, _ body: (KeyEntry) -> Void) {
        var link = buckets.slots![index]
        while let current = link {
            let entry = current.takeUnretainedValue()
            link = entry.next
            body(entry)
        }
    }

    /// Increments the reversed cursor.
    private static func advance(_ cursor: UInt64) -> UInt64 {
        var reversed = cursor.bitReversed
        reversed &+= 1
        return reversed.bitReversed
    }

    /// Calls `body` with up to `count` entries from a random place (Redis's `dictGetSomeKeys`,
    /// eviction sampling): whole chains of consecutive buckets from a random bucket, jumping
    /// elsewhere after a run of empty ones, at most `10 * count` buckets visited. Unlike
    /// repeated `randomEntry` draws, every key is equally likely to be met whatever the
    /// length of its chain. `body` must not change the table.
    func sample<G: RandomNumberGenerator>(count wanted: Int, using generator: inout G, _ body: (KeyEntry) -> Void) {
        guard count > 0, wanted > 0 else { return }
        let largest = max(primary.size, secondary.size)
        let mask = largest - 1
        var index = Int.random(in: 0..<largest, using: &generator)
        var emitted = 0
        var emptyRun = 0
        /// Emits the chain of `buckets[index]`; returns whether it had any entry.
        func emitChain(_ buckets: Buckets) -> Bool {
            guard buckets.slots != nil, index < buckets.size else { return false }
            var link = buckets.slots![index]
            let found = link != nil
            while let current = link, emitted < wanted {
                let entry = current.takeUnretainedValue()
                link = entry.next
                body(entry)
                emitted += 1
            }
            return found
        }
        for _ in 0..<(wanted * 10) {
            // Buckets of the primary array below the rehash index have moved out.
            var empty = !isRehashing || index >= rehashIndex ? !emitChain(primary) : true
            if isRehashing && emitChain(secondary) { empty = false }
            if emitted == wanted { return }
            if empty {
                emptyRun += 1
                if emptyRun >= 5 && emptyRun > wanted {
                    index = Int.random(in: 0..<largest, using: &generator)
                    emptyRun = 0
                    continue
                }
            } else {
                emptyRun = 0
            }
            index = (index + 1) & mask
        }
    }

    /// A random entry (RANDOMKEY, eviction sampling), or `nil` when empty: a random non-empty
    /// bucket, then a random element of its chain.
    func randomEntry<G: RandomNumberGenerator>(using generator: inout G) -> KeyEntry? {
        guard count > 0 else { return nil }
        if isRehashing { rehash(steps: 1) }
        var head: Link?
        repeat {
            if isRehashing {
                // Buckets below rehashIndex in the primary array are empty.
                let total = primary.size + secondary.size - rehashIndex
                let pick = rehashIndex + Int.random(in: 0..<total, using: &generator)
                head = pick >= primary.size ? secondary.slots![pick - primary.size] : primary.slots![pick]
            } else {
                head = primary.slots![Int.random(in: 0..<primary.size, using: &generator)]
            }
        } while head == nil
        var length = 0
        var link = head
        while let current = link {
            length += 1
            link = current.takeUnretainedValue().next
        }
        var chosen = head!.takeUnretainedValue()
        for _ in 0..<Int.random(in: 0..<length, using: &generator) { chosen = chosen.next!.takeUnretainedValue() }
        return chosen
    }
}

extension UInt64 {
    /// The bits in reverse order (Redis's `rev`).
    var bitReversed: UInt64 {
        var value = self
        value = ((value >> 1) & 0x5555_5555_5555_5555) | ((value & 0x5555_5555_5555_5555) << 1)
        value = ((value >> 2) & 0x3333_3333_3333_3333) | ((value & 0x3333_3333_3333_3333) << 2)
        value = ((value >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((value & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return value.byteSwapped
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
