import Logging
import NIOCore
import SidecacheUpstream
import Synchronization

/// Cluster mode's view of the cluster: the slot table (`ClusterRoutes`), learned from the seeds
/// at start, refreshed periodically and after every MOVED, and patched at once by a MOVED.
final class ClusterTopology: Sendable {
    let discovery: ClusterDiscovery
    let refreshIntervalMilliseconds: Int
    private let routes = Mutex<ClusterRoutes?>(nil)
    /// Bumped whenever `routes` changes, so that sessions re-read it only then.
    let generation = Atomic<Int>(0)
    private let state = Mutex(State())

    private struct State {
        var lastError: String?
        var refreshing = false
        var timer: RepeatedTask?
        var group: UpstreamGroup?
        var eventLoop: (any EventLoop)?
        var logger: Logger?
        var refreshes = 0
        var redirects = 0
    }

    init(discovery: ClusterDiscovery, refreshIntervalMilliseconds: Int) {
        self.discovery = discovery
        self.refreshIntervalMilliseconds = refreshIntervalMilliseconds
    }

    var current: ClusterRoutes? { routes.withLock { $0 } }

    /// The error for requests while no slot table is known.
    var unavailable: String {
        let reason = state.withLock { $0.lastError } ?? "discovery has not finished"
        return "CLUSTERDOWN the sidecar does not know the cluster's slots yet: \(reason)"
    }

    /// Discovers the cluster now and every refresh interval.
    func start(on eventLoop: any EventLoop, group: UpstreamGroup, logger: Logger) {
        let interval = TimeAmount.milliseconds(Int64(refreshIntervalMilliseconds))
        let timer = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in refresh() }
        state.withLock { state in
            state.group = group
            state.eventLoop = eventLoop
            state.logger = logger
            state.timer = timer
        }
        refresh()
    }

    func stop() {
        state.withLock { state in
            state.timer?.cancel()
            state.timer = nil
            state.group = nil
        }
    }

    /// Asks the cluster for its slots (the known nodes first, then the seeds); one at a time.
    func refresh() {
        let started = state.withLock { state -> (any EventLoop, UpstreamGroup)? in
            guard !state.refreshing, let eventLoop = state.eventLoop, let group = state.group else { return nil }
            state.refreshing = true
            return (eventLoop, group)
        }
        guard let (eventLoop, group) = started else { return }
        let known = current?.map.nodes ?? []
        discovery.discover(on: eventLoop, from: known + discovery.seeds).whenComplete { [self] result in
            switch result {
            case .success(let map):
                install(ClusterRoutes(map: map, group: group))
                state.withLock { state in
                    state.lastError = nil
                    state.refreshing = false
                    state.refreshes += 1
                }
            case .failure(let error):
                let logger = state.withLock { state in
                    state.lastError = "\(error)"
                    state.refreshing = false
                    return state.logger
                }
                logger?.warning("cluster discovery failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A MOVED reply: the slot's new owner is used at once, and the whole map re-read.
    func moved(_ slot: Int, to address: UpstreamAddress) {
        guard let group = state.withLock({ state in
            state.redirects += 1
            return state.group
        }), let routes = current else { return }
        install(routes.moving(slot, to: address, group: group))
        refresh()
    }

    private func install(_ new: ClusterRoutes) {
        routes.withLock { $0 = new }
        generation.add(1, ordering: .releasing)
    }

    /// INFO's view: slots covered, primaries, refreshes and redirects followed.
    var counters: (coveredSlots: Int, primaries: Int, refreshes: Int, redirects: Int) {
        let routes = current
        return state.withLock { state in
            (routes?.map.coveredSlotCount ?? 0, routes?.primaries.count ?? 0, state.refreshes, state.redirects)
        }
    }
}
