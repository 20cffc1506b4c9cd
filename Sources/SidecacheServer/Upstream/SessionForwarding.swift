import NIOCore
import SidecacheRESP
import SidecacheUpstream

/// A client session's side of forwarding: its replies in order, where its requests in flight
/// went, and its own upstream connections for transactions and blocking commands.
struct SessionForwarding {
    let pool: UpstreamPool
    let allocator: ByteBufferAllocator
    let router: UpstreamRouter
    let nodes: [UpstreamNodeHealth]
    /// The ring over every node (sharded mode), and one over the live nodes while some are
    /// ejected under the `rehash` policy, kept with the ejected set it was built for.
    let fullRing: ShardRing?
    let rehashEjected: Bool
    var rehashedRing: (ejected: [Int], ring: ShardRing)?
    var replies = ForwardedReplies()
    /// Per node: this client's requests awaiting replies and the connection they went to. A
    /// request for another connection to the same node waits until they are answered, so that
    /// one client's commands run upstream in the order it sent them.
    var flights: [(count: Int, connection: UpstreamConnection?)]
    /// The client's own connection to each node (MULTI ... EXEC, WATCH, blocking commands).
    var dedicated: [UpstreamConnection?]
    var inTransaction = false
    var watching = false
    /// The node a transaction or WATCH is bound to (always 0 with one node).
    var pinnedNode: Int?
    /// Sharded mode: MULTI was answered here and is sent to the node of the first queued command.
    var multiDeferred = false
    /// Sharded mode: a queued command's keys were on another shard; EXEC answers EXECABORT.
    var transactionSpansShards = false
    /// The dedicated connection failed while the client was in MULTI or WATCH: what it queued
    /// or watched is gone, so everything up to EXEC or DISCARD is refused.
    var pinBroken = false
    /// The database of the last SELECT queued in the open transaction: the client's database
    /// once EXEC runs it.
    var queuedSelect: Int?
    /// An EXEC that may switch the database is in flight: nothing else is sent until its reply
    /// says which database the client is in.
    var awaitingDatabaseChange = false
    /// A request held back until the ones in flight on other connections are answered.
    var parked: Parked?
    /// The clock read of the last entry (CLOCK_MONOTONIC ns), reused for its send's deadline.
    var lastSendTime: UInt64?
    /// Connections written to since the last flush.
    var unflushed: [UpstreamConnection] = []
    /// The cache tier's side of this session (`nil` without cache rules).
    var cache: SessionCache?

    struct Send {
        var node: Int
        var connection: UpstreamConnection
        var frame: RESPCommandFrame
        var tag: UInt64
        var timeoutMilliseconds: Int?
    }

    struct Parked {
        var sends: [Send]
    }

    init(pool: UpstreamPool, allocator: ByteBufferAllocator, router: UpstreamRouter, nodes: [UpstreamNodeHealth], rehashEjected: Bool) {
        self.pool = pool
        self.allocator = allocator
        self.router = router
        self.nodes = nodes
        self.rehashEjected = rehashEjected
        if case .sharded(let ring) = router.topology { fullRing = ring } else { fullRing = nil }
        flights = Array(repeating: (0, nil), count: router.nodeCount)
        dedicated = Array(repeating: nil, count: router.nodeCount)
    }

    /// Forgets the client's own connections that were lost (they do not reconnect).
    mutating func dropClosedDedicated() {
        for index in dedicated.indices where dedicated[index]?.isClosed == true { dedicated[index] = nil }
    }

    /// Makes room for `node` in the per-node arrays (nodes a topology discovers later).
    mutating func ensureNode(_ node: Int) {
        guard node >= flights.count else { return }
        flights += Array(repeating: (0, nil), count: node + 1 - flights.count)
        dedicated += Array(repeating: nil, count: node + 1 - dedicated.count)
    }

    var isPinned: Bool { inTransaction || watching }

    /// Nothing is waiting upstream or parked: replies can all go out.
    var isIdle: Bool { replies.isEmpty && parked == nil }

    /// Cluster mode: the slot table this session routes with, and the generation it came from.
    var clusterRoutes: ClusterRoutes?
    var clusterGeneration = -1
    /// Cluster mode: a copy of each request in flight, by tag, to resend after MOVED, ASK or
    /// TRYAGAIN, with the redirects it has followed.
    var redirectable: [UInt64: (frame: RESPCommandFrame, redirects: Int)] = [:]

    /// Where keys live now: the ring (sharded) or the cluster's slot table.
    mutating func currentKeyMap() -> Result<KeyMap, UpstreamRouter.RefusedRoute> {
        switch router.topology {
        case .cluster(let topology):
            let generation = topology.generation.load(ordering: .acquiring)
            if generation != clusterGeneration {
                clusterRoutes = topology.current
                clusterGeneration = generation
            }
            guard let routes = clusterRoutes else { return .failure(.init(message: topology.unavailable)) }
            return .success(.cluster(routes))
        default:
            guard let ring = currentRing() else { return .failure(.init(message: "ERR no shards configured")) }
            return .success(.ring(ring, nodeCount: router.nodeCount))
        }
    }

    /// The ring keys are hashed on now: the full one, or under `rehash` one without the
    /// ejected nodes (rebuilt only when that set changes).
    mutating func currentRing() -> ShardRing? {
        guard let fullRing, rehashEjected else { return fullRing }
        let ejected = nodes.indices.filter { nodes[$0].isEjected }
        guard !ejected.isEmpty, ejected.count < nodes.count else { return fullRing }
        if let cached = rehashedRing, cached.ejected == ejected { return cached.ring }
        let live = nodes.indices.filter { !ejected.contains($0) }
        guard let ring = try? fullRing.withLiveNodes(live) else { return fullRing }
        rehashedRing = (ejected, ring)
        return ring
    }
}
