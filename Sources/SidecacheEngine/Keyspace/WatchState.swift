/// One client's WATCH state (Redis's `multi.c` watched keys).
///
/// Written by other clients' commands (a change to a watched key marks it dirty), so it is
/// guarded by the keyspace lock like the databases that point to it.
package final class WatchState: @unchecked Sendable {
    /// Set when a watched key changed: the next EXEC answers with a null reply.
    package var dirty = false
    /// The keys watched, by database index, with whether each was already logically
    /// expired when watched (an expiry that has not been deleted yet).
    package private(set) var keys: [(database: Int, key: KeyBytes, wasExpired: Bool)] = []

    package init() {}

    package var isWatching: Bool { !keys.isEmpty }

    fileprivate func record(database: Int, key: KeyBytes, wasExpired: Bool) {
        keys.append((database, key, wasExpired))
    }

    fileprivate func clear() {
        keys.removeAll()
        dirty = false
    }
}

extension Database {
    /// WATCH `key` for `watcher`. Watching the same key twice is a no-op.
    package func watch(_ key: UnsafeRawBufferPointer, by watcher: WatchState) {
        let keyBytes = KeyBytes(bytes: Array(key))
        if watcher.keys.contains(where: { $0.database == index && $0.key == keyBytes }) { return }
        let wasExpired = lookup(key, options: [.noTouch, .noExpire]) == nil && table.find(key, hash: Self.hash(key)) != nil
        watchers[keyBytes, default: []].append(watcher)
        watcher.record(database: index, key: keyBytes, wasExpired: wasExpired)
    }

    /// Marks every client watching `key` dirty (Redis's `signalModifiedKey`/`touchWatchedKey`).
    @inline(__always)
    package func signalModified(_ key: UnsafeRawBufferPointer) {
        guard !watchers.isEmpty else { return }
        guard let clients = watchers[KeyBytes(bytes: Array(key))] else { return }
        for client in clients { client.dirty = true }
    }

    /// FLUSHDB/FLUSHALL/SWAPDB: marks dirty every client watching a key that exists in this
    /// database or in `other`.
    func touchAllWatchers(existingIn other: Database) {
        guard !watchers.isEmpty else { return }
        for (key, clients) in watchers {
            let exists = key.bytes.withUnsafeBytes { bytes in
                table.find(bytes, hash: Self.hash(bytes)) != nil || other.table.find(bytes, hash: Self.hash(bytes)) != nil
            }
            if exists { for client in clients { client.dirty = true } }
        }
    }

    /// Whether a key `watcher` watches here has expired since it was watched (EXEC checks
    /// this as well as `dirty`).
    func hasWatchedKeyExpired(for watcher: WatchState) -> Bool {
        watcher.keys.contains { watched in
            guard watched.database == index, !watched.wasExpired else { return false }
            return watched.key.bytes.withUnsafeBytes { bytes in
                guard let entry = table.find(bytes, hash: Self.hash(bytes)) else { return false }
                return isExpired(entry)
            }
        }
    }
}

extension KeyspaceState {
    /// UNWATCH, and what EXEC, DISCARD and a closing connection do.
    package func unwatchAll(_ watcher: WatchState) {
        for watched in watcher.keys {
            let database = databases[watched.database]
            guard var clients = database.watchers[watched.key] else { continue }
            clients.removeAll { $0 === watcher }
            database.watchers[watched.key] = clients.isEmpty ? nil : clients
        }
        watcher.clear()
    }

    /// Whether EXEC must fail for `watcher`: a watched key changed or expired.
    package func isWatchBroken(_ watcher: WatchState) -> Bool {
        watcher.dirty || databases.contains { $0.hasWatchedKeyExpired(for: watcher) }
    }
}
