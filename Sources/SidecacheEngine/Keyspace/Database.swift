/// One numbered database: Redis's `redisDb` and the key-level half of `db.c`.
///
/// Every access goes through the lookups below, which have Redis's side effects: a key
/// whose expiry has passed is deleted on the spot (lazy expiry), a found key's access clock
/// is updated, and read lookups count keyspace hits and misses. Writers call
/// `signalModified` (or use the helpers that do) so that WATCH sees every change.
///
/// Not thread-safe: only code holding the keyspace lock (a `KeyspaceState`) may touch it.
package final class Database {
    package let index: Int
    /// The keyspace this database belongs to: the clock, statistics and sibling databases.
    package unowned let keyspace: KeyspaceState
    @exclusivity(unchecked) private(set) var table: KeyTable
    @exclusivity(unchecked) var expiring = ExpiringKeys()
    /// Clients watching each key (WATCH); empty for almost every database.
    @exclusivity(unchecked) var watchers: [KeyBytes: [WatchState]] = [:]
    /// Estimated average time to live of keys with an expiry, in milliseconds (INFO keyspace).
    @exclusivity(unchecked) package internal(set) var averageTTL = 0

    init(index: Int, keyspace: KeyspaceState) {
        self.index = index
        self.keyspace = keyspace
        self.table = KeyTable(memory: keyspace.memory)
    }

    package var count: Int { table.count }
    package var expiringCount: Int { expiring.count }

    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hasher = Hasher()
        hasher.combine(bytes: key)
        return UInt32(truncatingIfNeeded: hasher.finalize())
    }

    // MARK: Lookup

    /// What a lookup does besides finding the key.
    package struct LookupOptions: OptionSet, Sendable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Count a keyspace hit or miss (read commands).
        package static let countStatistics = LookupOptions(rawValue: 1)
        /// Leave the access clock alone (OBJECT, TTL-style introspection, TOUCH's own rules).
        package static let noTouch = LookupOptions(rawValue: 2)
        /// Do not delete an expired key; report it as absent (KEYS, SCAN filtering).
        package static let noExpire = LookupOptions(rawValue: 4)
        /// No `keymiss` event for a counted miss (OBJECT, as Redis's `LOOKUP_NONOTIFY`).
        package static let noNotify = LookupOptions(rawValue: 8)
    }

    /// The live entry for `key`, or `nil`. Deletes the key if it has expired (counted in
    /// `expired_keys`, an `expired` event, watchers notified) unless `.noExpire`; updates the
    /// access clock unless `.noTouch`; counts a hit or miss with `.countStatistics` (a miss is
    /// also a `keymiss` event, as Redis's read lookups send, unless `.noNotify`). A touch is
    /// also a sample for the hot-key tracker (`HotKeyTracker`). A lookup
    /// without `.countStatistics` may be a write's: a collection it finds is noted for memory
    /// accounting (`KeyspaceState.noteWritten`).
    @inline(__always)
    package func lookup(_ key: UnsafeRawBufferPointer, options: LookupOptions = []) -> KeyEntry? {
        lookup(key, hash: Self.hash(key), options: options)
    }

    /// `lookup` with the key's hash already computed.
    @inline(__always)
    func lookup(_ key: UnsafeRawBufferPointer, hash: UInt32, options: LookupOptions) -> KeyEntry? {
        var entry = table.find(key, hash: hash)
        if let found = entry, found.hasExpire, found.fields.pointee.expireAt < keyspace.now {
            if !options.contains(.noExpire) { deleteExpired(found) }
            entry = nil
        }
        if let entry {
            if !options.contains(.noTouch) {
                entry.accessClock = keyspace.usesLFU ? keyspace.lfuTouched(entry.accessClock) : keyspace.accessClock
                keyspace.hotKeyCountdown &-= 1
                if keyspace.hotKeyCountdown == 0 { keyspace.recordHotKey(entry, database: index) }
            }
            if options.contains(.countStatistics) {
                keyspace.statistics.keyspaceHits += 1
            } else if let collection = entry.value.collection {
                keyspace.noteWritten(collection)
            }
        } else if options.contains(.countStatistics) {
            keyspace.statistics.keyspaceMisses += 1
            if !options.contains(.noNotify) { notify(.keyMiss, "keymiss", key: key) }
        }
        return entry
    }

    /// Lookup for a read command: counts hits and misses (`lookupKeyRead`).
    @inline(__always)
    package func lookupRead(_ key: UnsafeRawBufferPointer) -> KeyEntry? {
        lookup(key, options: .countStatistics)
    }

    /// Lookup for a write command (`lookupKeyWrite`).
    @inline(__always)
    package func lookupWrite(_ key: UnsafeRawBufferPointer) -> KeyEntry? {
        lookup(key)
    }

    /// Whether `entry`'s expiry has passed (it may not have been deleted yet). As in Redis's
    /// `keyIsExpired`, a key lives through the millisecond of its expiry time.
    package func isExpired(_ entry: KeyEntry) -> Bool {
        entry.hasExpire && entry.fields.pointee.expireAt < keyspace.now
    }

    // MARK: Writing

    /// Stores `value` under `key`, replacing any value and, unless `keepTTL`, its expiry
    /// (Redis's `setKey`). An existing key counts as accessed (Redis's `lookupKeyWrite`, then
    /// a new object under LRU or the old LFU counter). Signals the change to watchers.
    /// Returns the key's entry.
    @discardableResult
    package func set(
        _ key: UnsafeRawBufferPointer,
        _ value: StoredValue,
        embedded: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        keepTTL: Bool = false
    ) -> KeyEntry {
        let hash = Self.hash(key)
        let existing = lookup(key, hash: hash, options: [])
        let entry: KeyEntry
        if let existing {
            entry = replaceValue(of: existing, with: value, embedded: embedded)
            if !keepTTL { removeExpire(entry) }
        } else {
            entry = add(key, hash: hash, value, embedded: embedded)
        }
        signalModified(key)
        return entry
    }

    /// Adds a key that must not exist (Redis's `dbAdd`). Does not signal watchers; a list or
    /// sorted set is signalled to clients blocked on the key.
    @discardableResult
    package func add(
        _ key: UnsafeRawBufferPointer,
        _ value: StoredValue,
        embedded: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) -> KeyEntry {
        add(key, hash: Self.hash(key), value, embedded: embedded)
    }

    private func add(
        _ key: UnsafeRawBufferPointer,
        hash: UInt32,
        _ value: StoredValue,
        embedded: UnsafeRawBufferPointer
    ) -> KeyEntry {
        let entry = KeyEntry.make(
            key: key,
            hash: hash,
            value: value,
            embedded: embedded,
            accessClock: keyspace.newEntryAccessClock
        )
        table.insert(entry)
        accountAdded(entry)
        switch value {
        case .list, .sortedSet: signalKeyAsReady(key)
        default: break
        }
        notify(.new, "new", key: key)
        return entry
    }

    /// Gives `entry` a new value, keeping its expiry (Redis's `dbOverwrite`). Returns the
    /// entry now holding the key: a new allocation when the value moves into or out of the
    /// entry's embedded bytes. Does not signal watchers.
    @discardableResult
    package func replaceValue(
        of entry: KeyEntry,
        with value: StoredValue,
        embedded: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) -> KeyEntry {
        accountRemoved(entry)
        if case .embedded = value {
        } else if case .embedded = entry.value {
        } else {
            entry.value = value
            accountAdded(entry)
            return entry
        }
        let replacement = entry.withKey { key in
            KeyEntry.make(key: key, hash: entry.hash, value: value, embedded: embedded, accessClock: entry.accessClock)
        }
        table.replace(entry, with: replacement)
        if entry.hasExpire { expiring.replace(entry, with: replacement) }
        accountAdded(replacement)
        return replacement
    }

    /// Deletes `key`; returns whether it existed (expired keys count as absent). Signals watchers.
    @discardableResult
    package func delete(_ key: UnsafeRawBufferPointer) -> Bool {
        guard let entry = lookup(key, options: .noTouch) else { return false }
        remove(entry)
        signalModified(key)
        return true
    }

    /// Removes `entry` from the database without signalling (callers signal).
    package func remove(_ entry: KeyEntry) {
        accountRemoved(entry)
        if entry.hasExpire { expiring.remove(entry) }
        _ = entry.withKey { table.remove($0, hash: entry.hash) }
    }

    /// Deletes an entry whose time has passed: counted, an `expired` event, and watchers
    /// notified (Redis's `deleteExpiredKeyAndPropagate`).
    func deleteExpired(_ entry: KeyEntry) {
        remove(entry)
        keyspace.statistics.expiredKeys += 1
        entry.withKey { key in
            notify(.expired, "expired", key: key)
            signalModified(key)
        }
    }

    // MARK: Expiry

    /// Sets `entry`'s expiry to `when` (Unix milliseconds).
    package func setExpire(_ entry: KeyEntry, at when: Int64) {
        if entry.hasExpire {
            entry.fields.pointee.expireAt = when
        } else {
            expiring.add(entry, at: when)
            keyspace.memory.bytes += KeyEntry.pointerBytes
        }
    }

    /// EXPIRE's and GETEX's change of a live key's expiry: a time already past deletes the
    /// key (Redis's `checkAlreadyExpired`; a `del` event), any other sets it (an `expire`
    /// event). Signals watchers and counts the change.
    package func expire(_ entry: KeyEntry, key: UnsafeRawBufferPointer, at when: Int64) {
        if isPast(when) {
            delete(key)
            notify(.generic, "del", key: key)
        } else {
            setExpire(entry, at: when)
            signalModified(key)
            notify(.generic, "expire", key: key)
        }
        keyspace.statistics.changes += 1
    }

    /// Whether an expiry at `when` deletes the key at once (Redis's `checkAlreadyExpired`).
    package func isPast(_ when: Int64) -> Bool {
        when <= keyspace.now
    }

    /// Removes `entry`'s expiry; returns whether it had one.
    @discardableResult
    package func removeExpire(_ entry: KeyEntry) -> Bool {
        guard entry.hasExpire else { return false }
        expiring.remove(entry)
        keyspace.memory.bytes -= KeyEntry.pointerBytes
        return true
    }

    // MARK: Whole database

    /// Deletes every key (FLUSHDB). Watchers of keys that existed are notified.
    /// Returns the number of keys removed.
    @discardableResult
    package func removeAll() -> Int {
        let removed = count
        touchAllWatchers(replacedWith: nil)
        table.forEach(accountRemoved)
        table.removeAll()
        expiring.removeAll()
        averageTTL = 0
        return removed
    }

    /// Calls `body` with every live key's entry (expired keys are skipped, not deleted).
    /// `body` must not change the database.
    package func forEachLiveEntry(_ body: (KeyEntry) -> Void) {
        let now = keyspace.now
        table.forEach { entry in
            if entry.hasExpire && entry.fields.pointee.expireAt < now { return }
            body(entry)
        }
    }

    /// One SCAN step: see `KeyTable.scan`.
    package func scan(cursor: UInt64, _ body: (KeyEntry) -> Void) -> UInt64 {
        table.scan(cursor: cursor, body)
    }

    /// A random live key's entry (RANDOMKEY), or `nil` when none is left: draws until it
    /// meets a live key, deleting each expired key it meets, as Redis's `dbRandomKey` does on
    /// a primary. Every draw that fails deletes a key, so the loop ends. (Redis's bound of
    /// 100 draws applies only to replicas, which may not delete expired keys.)
    package func randomEntry() -> KeyEntry? {
        while let entry = table.randomEntry(using: &keyspace.random) {
            guard isExpired(entry) else { return entry }
            deleteExpired(entry)
        }
        return nil
    }

    /// Swaps the contents of two databases (SWAPDB). Watchers stay with the database number.
    func swapContents(with other: Database) {
        swap(&table, &other.table)
        swap(&expiring, &other.expiring)
        swap(&averageTTL, &other.averageTTL)
    }
}
