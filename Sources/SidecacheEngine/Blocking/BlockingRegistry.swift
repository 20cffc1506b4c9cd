/// The clients blocked on keys and the keys that may serve them (Redis's `blocked.c`:
/// `db->blocking_keys`, `server.ready_keys`). Guarded by the keyspace lock.
///
/// A command that finds nothing to pop registers its client here (`Database.block`). A
/// command that adds to a key someone waits on records the key as ready
/// (`Database.signalKeyAsReady`); before the keyspace lock is released after that command
/// (or after the EXEC that contained it), `serveReadyKeys` lets the clients blocked on each
/// ready key retry, in the order they blocked, and wakes the ones that were answered. A
/// retry that pushes (BLMOVE) makes more keys ready; they are served in the same pass.
package final class BlockingRegistry {
    private struct ReadyKey: Hashable {
        var database: Int
        var key: KeyBytes
    }

    /// Per database, the clients blocked on each key in the order they blocked.
    private var waiting: [Int: [KeyBytes: [BlockedClient]]] = [:]
    /// Keys signalled since the last pass, in order, and the same as a set.
    private var ready: [ReadyKey] = []
    private var readySet: Set<ReadyKey> = []
    /// Blocked clients by connection id (CLIENT UNBLOCK).
    private var byOwner: [UInt64: BlockedClient] = [:]
    /// Clients blocked now (INFO `blocked_clients`).
    package private(set) var blockedCount = 0
    /// Blocked clients with a timeout (INFO `clients_in_timeout_table`).
    package private(set) var timedCount = 0

    init() {}

    var hasReadyKeys: Bool { !ready.isEmpty }

    /// Whether `owner`'s connection is blocked now.
    package func isBlocked(owner: UInt64) -> Bool { byOwner[owner] != nil }

    func register(_ blocked: BlockedClient) {
        for key in blocked.keys where !(waiting[blocked.database]?[key]?.contains { $0 === blocked } ?? false) {
            waiting[blocked.database, default: [:]][key, default: []].append(blocked)
        }
        byOwner[blocked.owner] = blocked
        blockedCount += 1
        if blocked.timeout > 0 { timedCount += 1 }
    }

    /// Records `key` of database `database` as ready when a client waits on it.
    func signal(database: Int, key: UnsafeRawBufferPointer) {
        let bytes = KeyBytes(bytes: Array(key))
        guard waiting[database]?[bytes] != nil else { return }
        let readyKey = ReadyKey(database: database, key: bytes)
        guard readySet.insert(readyKey).inserted else { return }
        ready.append(readyKey)
    }

    /// SWAPDB's `scanDatabaseForReadyKeys`: every key waited on in `database` that now exists.
    package func signalExistingKeys(in database: Database) {
        guard let keys = waiting[database.index] else { return }
        for key in keys.keys {
            key.bytes.withUnsafeBytes { bytes in
                if database.lookup(bytes, options: [.noTouch, .noExpire]) != nil { signal(database: database.index, key: bytes) }
            }
        }
    }

    /// Lets the clients blocked on each ready key retry (Redis's `handleClientsBlockedOnKeys`),
    /// until no key is left ready.
    func serveReadyKeys(_ state: KeyspaceState) {
        while !ready.isEmpty {
            let batch = ready
            ready.removeAll()
            for readyKey in batch {
                readySet.remove(readyKey)
                guard let queue = waiting[readyKey.database]?[readyKey.key] else { continue }
                let database = state.database(readyKey.database)
                for blocked in queue where blocked.state == .waiting {
                    let served = readyKey.key.bytes.withUnsafeBytes { blocked.retry(blocked.client, database, $0) }
                    if served { finish(blocked, as: .served) }
                }
            }
        }
    }

    /// The timeout of `blocked` passed: unless it was answered meanwhile, it gets the null
    /// array and is woken.
    package func timeOut(_ blocked: BlockedClient) {
        guard blocked.state == .waiting else { return }
        blocked.client.replyNullArray()
        finish(blocked, as: .unblocked)
    }

    /// CLIENT UNBLOCK: answers `owner`'s blocked command as a timeout would, or with an
    /// UNBLOCKED error. Returns whether that client was blocked.
    package func unblock(owner: UInt64, withError: Bool) -> Bool {
        guard let blocked = byOwner[owner], blocked.state == .waiting else { return false }
        if withError {
            blocked.client.replyError("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        } else {
            blocked.client.replyNullArray()
        }
        finish(blocked, as: .unblocked)
        return true
    }

    /// The connection of `blocked` closed: it stops waiting, and nobody is woken.
    package func cancel(_ blocked: BlockedClient) {
        guard blocked.state == .waiting else { return }
        finish(blocked, as: .cancelled)
    }

    /// Takes `blocked` off every key and wakes it unless it was cancelled.
    private func finish(_ blocked: BlockedClient, as state: BlockedClient.State) {
        blocked.state = state
        for key in blocked.keys {
            waiting[blocked.database]?[key]?.removeAll { $0 === blocked }
            if waiting[blocked.database]?[key]?.isEmpty == true { waiting[blocked.database]?[key] = nil }
        }
        if waiting[blocked.database]?.isEmpty == true { waiting[blocked.database] = nil }
        byOwner[blocked.owner] = nil
        blockedCount -= 1
        if blocked.timeout > 0 { timedCount -= 1 }
        if state != .cancelled { blocked.wake(blocked) }
    }
}
