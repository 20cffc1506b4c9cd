/// The entries of one database that have an expiry, in a dense list: Redis's `expires` dict
/// reduced to what its users need. Adding and removing are O(1) (the entry remembers its
/// slot; removal moves the last entry into the hole), and the active expiry cycle samples it
/// uniformly by index. Storage grows in fixed chunks, so growth never copies the whole list.
///
/// Not thread-safe: the keyspace lock guards it.
struct ExpiringKeys {
    private static let chunkShift = 12
    private static let chunkSize = 1 << chunkShift

    private var chunks: [ContiguousArray<KeyEntry>] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    subscript(slot: Int) -> KeyEntry {
        chunks[slot >> Self.chunkShift][slot & (Self.chunkSize - 1)]
    }

    /// Records `entry` (which must not have a slot yet) at `expireAt`.
    mutating func add(_ entry: KeyEntry, at expireAt: Int64) {
        let slot = count
        if slot >> Self.chunkShift == chunks.count {
            var chunk = ContiguousArray<KeyEntry>()
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[slot >> Self.chunkShift].append(entry)
        count += 1
        entry.fields.pointee.expireSlot = UInt32(slot)
        entry.fields.pointee.expireAt = expireAt
    }

    /// Forgets `entry`'s expiry (the entry must have one).
    mutating func remove(_ entry: KeyEntry) {
        let slot = Int(entry.fields.pointee.expireSlot)
        let lastSlot = count - 1
        let last = self[lastSlot]
        if slot != lastSlot {
            chunks[slot >> Self.chunkShift][slot & (Self.chunkSize - 1)] = last
            last.fields.pointee.expireSlot = UInt32(slot)
        }
        chunks[lastSlot >> Self.chunkShift].removeLast()
        if chunks[lastSlot >> Self.chunkShift].isEmpty { chunks.removeLast() }
        count -= 1
        entry.fields.pointee.expireSlot = KeyEntry.noExpireSlot
    }

    /// Puts `replacement` in `entry`'s slot (same key, new allocation).
    mutating func replace(_ entry: KeyEntry, with replacement: KeyEntry) {
        let slot = Int(entry.fields.pointee.expireSlot)
        chunks[slot >> Self.chunkShift][slot & (Self.chunkSize - 1)] = replacement
        replacement.fields.pointee.expireSlot = UInt32(slot)
        replacement.fields.pointee.expireAt = entry.fields.pointee.expireAt
        entry.fields.pointee.expireSlot = KeyEntry.noExpireSlot
    }

    mutating func removeAll() {
        chunks = []
        count = 0
    }
}
