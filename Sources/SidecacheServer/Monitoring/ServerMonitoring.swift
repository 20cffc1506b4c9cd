import SidecacheConfig
import Synchronization

/// What watches the commands the server runs: the slow log, the latency monitor and the
/// MONITOR connections. After each command a session asks `isInterested` (one relaxed atomic
/// load); only a command someone wants to see goes further (`ClientSession.observe`).
final class ServerMonitoring: Sendable {
    let slowLog = SlowLog()
    let latency = LatencyMonitor()
    let monitors = MonitorRegistry()
    /// The shortest run, in microseconds, that any of the three wants to see: 0 while a
    /// client monitors, `Int.max` when all are off.
    private let interest = Atomic<Int>(Int.max)
    /// Serialises recomputing `interest`, so the last writer saw the latest settings.
    private let interestLock = Mutex(())

    init(_ configuration: MonitoringConfiguration) {
        apply(configuration)
    }

    @inline(__always)
    func isInterested(in microseconds: Int) -> Bool {
        microseconds >= interest.load(ordering: .relaxed)
    }

    /// Takes the `monitoring` section of a new configuration.
    func apply(_ configuration: MonitoringConfiguration) {
        slowLog.configure(logSlowerThan: configuration.slowlogLogSlowerThan, maxLength: configuration.slowlogMaxLen)
        latency.thresholdMilliseconds = configuration.latencyMonitorThreshold
        refreshInterest()
    }

    func addMonitor(_ monitor: PubSubSubscriber) {
        monitors.add(monitor)
        refreshInterest()
    }

    func removeMonitor(clientID: UInt64) {
        monitors.remove(clientID: clientID)
        refreshInterest()
    }

    private func refreshInterest() {
        interestLock.withLock { _ in
            var shortest = Int.max
            if monitors.count > 0 { shortest = 0 }
            if slowLog.isEnabled { shortest = min(shortest, slowLog.logSlowerThan) }
            let latencyThreshold = latency.thresholdMilliseconds
            if latencyThreshold > 0 {
                let (microseconds, overflow) = latencyThreshold.multipliedReportingOverflow(by: 1000)
                shortest = min(shortest, overflow ? Int.max : microseconds)
            }
            interest.store(shortest, ordering: .relaxed)
        }
    }
}
