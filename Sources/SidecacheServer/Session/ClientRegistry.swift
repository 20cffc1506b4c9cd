import NIOCore
import Synchronization

/// Every connected client, for CLIENT LIST / KILL, INFO clients and `maxclients`.
final class ClientRegistry: Sendable {
    private struct State {
        var nextID: UInt64 = 1
        var clients: [UInt64: ClientRecord] = [:]
    }

    private let state = Mutex(State())

    /// Registers a new connection; `nil` when `maxClients` are already connected.
    func register(channel: any Channel, maxClients: Int, now: UInt64) -> ClientRecord? {
        state.withLock { state in
            guard state.clients.count < maxClients else { return nil }
            let record = ClientRecord(id: state.nextID, channel: channel, now: now)
            state.nextID += 1
            state.clients[record.id] = record
            return record
        }
    }

    func unregister(_ id: UInt64) {
        _ = state.withLock { $0.clients.removeValue(forKey: id) }
    }

    var count: Int { state.withLock { $0.clients.count } }

    /// Clients ordered by id, as Redis lists them.
    var all: [ClientRecord] {
        state.withLock { Array($0.clients.values) }.sorted { $0.id < $1.id }
    }

    func client(id: UInt64) -> ClientRecord? {
        state.withLock { $0.clients[id] }
    }
}
