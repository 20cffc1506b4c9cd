import Logging
import NIOCore
import SidecacheUpstream
import Synchronization

/// Sentinel mode's one moving node: the number of the primary the sentinels name now, kept up
/// to date by a `SentinelMonitor` (a failover registers the new address and switches to it).
final class SentinelPrimary: Sendable {
    let settings: SentinelSettings
    /// The primary's node number; -1 until the sentinels have named one.
    private let node = Atomic<Int>(-1)
    private let monitor = Mutex<SentinelMonitor?>(nil)

    init(settings: SentinelSettings) {
        self.settings = settings
    }

    var currentNode: Int? {
        let value = node.load(ordering: .acquiring)
        return value < 0 ? nil : value
    }

    /// The error for requests while no primary is known.
    var unavailable: String {
        let lastError = monitor.withLock { $0?.snapshot.lastError }
        return lastError?.failure.message
            ?? "ERR no primary known yet for '\(settings.masterName)'; the sentinels have not answered"
    }

    /// Starts following the primary; every change registers its address with `upstream`.
    func start(on eventLoop: any EventLoop, upstream: UpstreamGroup, logger: Logger) {
        // The monitor keeps this object alive until `stop()` lets it go.
        let started = SentinelMonitor(settings: settings, eventLoop: eventLoop, logger: logger) { [self] address in
            let index = upstream.register(address)
            node.store(index, ordering: .releasing)
            logger.notice("upstream primary is now \(address)", metadata: ["master": "\(address)"])
        }
        monitor.withLock { $0 = started }
        _ = started.start()
    }

    func stop() async {
        guard let running = monitor.withLock({ monitor in
            defer { monitor = nil }
            return monitor
        }) else { return }
        try? await running.stop().get()
    }

    var snapshot: SentinelMonitor.Snapshot? { monitor.withLock { $0?.snapshot } }
}
