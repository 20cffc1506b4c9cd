extension Database {
    /// The entry for `key` as it sits in the table (Redis's bare `dictFind`): no expiry check,
    /// no access-time update, no statistics. MEMORY USAGE and SCAN's expiry filter use it.
    package func peek(_ key: UnsafeRawBufferPointer) -> KeyEntry? {
        table.find(key, hash: Self.hash(key))
    }

    /// Adds `key`, which must not exist here, holding `entry`'s value and expiry; `entry` may
    /// belong to this or another database of the keyspace and is left as it is. With `deep`,
    /// a `raw` value gets its own array and a collection its own copy (COPY); without, the array is shared, which suits a
    /// move whose source is removed next (RENAME, MOVE). With `keepAccessClock` the new entry
    /// keeps the source's access clock (the same value object in Redis); otherwise it is
    /// stamped now. Does not signal watchers and does not count a change.
    @discardableResult
    package func addCopy(of entry: KeyEntry, as key: UnsafeRawBufferPointer, deep: Bool, keepAccessClock: Bool) -> KeyEntry {
        let copy: KeyEntry
        switch entry.value {
        case .embedded:
            copy = entry.withEmbeddedValue { add(key, entry.value, embedded: $0) }
        case .raw(let bytes):
            copy = add(key, .raw(deep ? bytes.withUnsafeBufferPointer { Array($0) } : bytes))
        case .integer:
            copy = add(key, entry.value)
        case .list(let list):
            copy = add(key, deep ? .list(list.copy()) : entry.value)
        case .hash(let hash):
            copy = add(key, deep ? .hash(hash.copy()) : entry.value)
        case .set(let set):
            copy = add(key, deep ? .set(set.copy()) : entry.value)
        case .sortedSet(let sortedSet):
            copy = add(key, deep ? .sortedSet(sortedSet.copy()) : entry.value)
        case .bloom(let bloom):
            copy = add(key, deep ? .bloom(bloom.copy()) : entry.value)
        }
        if let expireAt = entry.expireAt { setExpire(copy, at: expireAt) }
        if keepAccessClock { copy.accessClock = entry.accessClock }
        return copy
    }
}
