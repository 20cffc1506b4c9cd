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

    /// The position of the watch on `key` in `database`, if any.
    fileprivate func position(database: Int, key: KeyBytes) -> Int? {
        keys.firstIndex { $0.database == database && $0.key == key }
    }

    fileprivate func setWasExpired(_ value: Bool, at position: Int) {
        keys[position].wasExpired = value
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

    /// Marks every client watching `key` dirty (Redis's `signalModifiedKey`/`touchWatchedKey`),
    /// except a client that watched the key when it had already expired: for it, the deletion
    /// of that stale key is no change (the watch then counts as one on a missing key), and a
    /// stale key still present has not changed either.
    @inline(__always)
    package func signalModified(_ key: UnsafeRawBufferPointer) {
        guard !watchers.isEmpty else { return }
        let keyBytes = KeyBytes(bytes: Array(key))
        guard let clients = watchers[keyBytes] else { return }
        var present: Bool?
        for client in clients {
            if let position = client.position(database: index, key: keyBytes), client.keys[position].wasExpired {
                if present == nil { present = table.find(key, hash: Self.hash(key)) != nil }
                if present == false { client.setWasExpired(false, at: position) }
                continue
            }
            client.dirty = true
        }
    }

    /// FLUSHDB/FLUSHALL (`replacedWith` nil) and SWAPDB (`replacedWith` the database whose
    /// contents move here): marks dirty every client watching a key that exists here or in
    /// `replacedWith`, with Redis's exceptions for keys that were already expired when watched
    /// (`touchAllWatchedKeysInDb`).
    func touchAllWatchers(replacedWith other: Database?) {
        guard !watchers.isEmpty else { return }
        for (key, clients) in watchers {
            key.bytes.withUnsafeBytes { bytes in
                let hash = Self.hash(bytes)
                let existsHere = table.find(bytes, hash: hash) != nil
                // nil: no such key in `other`; otherwise whether it is stale there.
                let replacementIsStale = other.flatMap { other in
                    other.table.find(bytes, hash: hash).map { other.isExpired($0) }
                }
                guard existsHere || replacementIsStale != nil else { return }
                for client in clients {
                    let position = client.position(database: index, key: key)
                    if let position, client.keys[position].wasExpired {
                        guard let replacementIsStale else {
                            // The stale key is deleted: no logical change.
                            client.setWasExpired(false, at: position)
                            continue
                        }
                        if replacementIsStale { continue }  // stale before, stale after
                    } else if !existsHere, replacementIsStale == true {
                        // A missing key replaced with a stale one: still logically missing.
                        if let position { client.setWasExpired(true, at: position) }
                        continue
                    }
                    client.dirty = true
                }
            }
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
