/// Memory accounting: how each change to a database moves `KeyspaceState.memory`.
///
/// Entries and strings are counted exactly when they are added, replaced or removed. A
/// collection changes in place, under commands that reach it through a write lookup, so
/// it is counted as it stood when it was looked up (`KeyspaceState.noteWritten`), and
/// re-estimated when the command ends (`settleWrittenCollections`): the invariant is that
/// `memory.bytes` holds, for every collection in the keyspace, its `before` figure while it
/// is in `writtenCollections` and its current `estimatedMemoryUsage` otherwise.
/// `estimatedMemoryUsage` is O(1) for every type, so this costs a few loads per write.
extension KeyEntry {
    /// Where the key bytes start in the entry's allocation: object header, then the fields.
    static let elementsOffset = 16 + MemoryLayout<KeyEntryHeader>.size

    /// The bytes this entry adds to used_memory besides a collection value: its own malloc
    /// chunk (fields, key, embedded string), a `raw` string's array, and the pointer to it in
    /// the list of expiring keys.
    var accountedBytes: Int {
        var embedded = 0
        if case .embedded(let length) = value { embedded = Int(length) }
        var total = MemoryCounter.mallocChunk(Self.elementsOffset + keyLength + embedded)
        if case .raw(let bytes) = value { total += MemoryCounter.mallocChunk(Self.arrayHeaderBytes + bytes.capacity) }
        if hasExpire { total += Self.pointerBytes }
        return total
    }
}

extension KeyspaceState {
    /// Bytes the data and the clients' buffers hold (INFO `used_memory`).
    package var usedMemory: Int { memory.bytes + clientBufferBytes }

    /// Records that `collection` may be about to change: what it counts for now, to be
    /// re-estimated when the command ends. A collection already recorded keeps its figure.
    @inline(__always)
    func noteWritten(_ collection: any CollectionValue) {
        for index in writtenCollections.indices where writtenCollections[index].value === collection { return }
        // A long transaction settles as it goes, so the list stays short.
        if writtenCollections.count >= 64 { settleWrittenCollections() }
        writtenCollections.append((collection, collection.estimatedMemoryUsage))
    }

    /// Counts the change in size of every collection written since the last settlement.
    func settleWrittenCollections() {
        for (collection, before) in writtenCollections {
            memory.bytes += collection.estimatedMemoryUsage - before
        }
        writtenCollections.removeAll(keepingCapacity: true)
    }

    /// What `collection` counts for in `memory` now; it stops being tracked as written.
    func forgetWritten(_ collection: any CollectionValue) -> Int {
        for index in writtenCollections.indices where writtenCollections[index].value === collection {
            return writtenCollections.remove(at: index).before
        }
        return collection.estimatedMemoryUsage
    }

    /// used_memory recomputed from scratch by walking every key (tests compare it with the
    /// running count; nothing else should need it).
    package func recountUsedMemory() -> Int {
        settleWrittenCollections()
        var total = 0
        for database in databases {
            total += database.table.bucketBytes
            database.table.forEach { entry in
                total += entry.accountedBytes + (entry.value.collection?.estimatedMemoryUsage ?? 0)
            }
        }
        return total
    }
}

extension Database {
    /// Counts a new entry (and tracks its collection, which the command may fill next).
    @inline(__always)
    func accountAdded(_ entry: KeyEntry) {
        keyspace.memory.bytes += entry.accountedBytes
        if let collection = entry.value.collection {
            for written in keyspace.writtenCollections where written.value === collection {
                // The same value under a second key (RENAME, MOVE): the source's removal,
                // which follows, takes back what it counted.
                keyspace.memory.bytes += written.before
                return
            }
            keyspace.memory.bytes += collection.estimatedMemoryUsage
            keyspace.noteWritten(collection)
        }
    }

    /// Stops counting an entry that leaves the database.
    @inline(__always)
    func accountRemoved(_ entry: KeyEntry) {
        keyspace.memory.bytes -= entry.accountedBytes
        if let collection = entry.value.collection {
            keyspace.memory.bytes -= keyspace.forgetWritten(collection)
        }
    }

    /// A `raw` string value's array, moved out of `entry` for the caller to change in place
    /// and store back with `replaceValue` (no copy is made; the entry holds a placeholder
    /// meanwhile, and the array is not counted until it is stored back). Other strings are
    /// copied out.
    package func takeRawBytes(_ entry: KeyEntry) -> [UInt8] {
        if case .raw(let bytes) = entry.value {
            keyspace.memory.bytes -= entry.accountedBytes
            entry.value = .integer(0)
            keyspace.memory.bytes += entry.accountedBytes
            return bytes
        }
        return entry.stringBytes
    }
}
