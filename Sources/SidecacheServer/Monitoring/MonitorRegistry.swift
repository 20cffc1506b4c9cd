import NIOCore
import Synchronization

/// The connections in MONITOR mode (Redis's `server.monitors`), reached through their pub/sub
/// handles (`PubSubSubscriber`), so a line reaches a monitor on another event loop the way a
/// published message does: through its inbox, in the order the lines were fed.
///
/// Lock order: the keyspace lock (EXEC) may be held when this lock is taken; nothing here
/// takes another lock but the subscribers' inboxes.
final class MonitorRegistry: Sendable {
    /// Oldest first, as Redis appends to its list.
    private let monitors = Mutex<[PubSubSubscriber]>([])
    private let monitorCount = Atomic<Int>(0)

    /// How many connections monitor; read without the lock.
    var count: Int { monitorCount.load(ordering: .relaxed) }

    func add(_ monitor: PubSubSubscriber) {
        monitors.withLock { monitors in
            monitors.append(monitor)
            monitorCount.store(monitors.count, ordering: .relaxed)
        }
    }

    func remove(clientID: UInt64) {
        monitors.withLock { monitors in
            monitors.removeAll { $0.clientID == clientID }
            monitorCount.store(monitors.count, ordering: .relaxed)
        }
    }

    /// Sends `line` (a `MonitorLine`) to every monitor.
    func feed(_ line: ByteBuffer) {
        let message = PubSubMessage(monitorLine: line)
        monitors.withLock { monitors in
            for monitor in monitors { monitor.deliver(message) }
        }
    }
}
