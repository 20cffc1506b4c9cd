import SidecacheEngine
import SidecacheUpstream

/// Where keys live with several nodes: twemproxy's ring over shards, or a Redis Cluster's slots.
enum KeyMap {
    case ring(ShardRing, nodeCount: Int)
    case cluster(ClusterRoutes)

    /// The group of `key` (its shard on a ring, its slot in a cluster: keys of one group may
    /// share a command) and the node that serves it (-1 when no node serves the slot).
    @inline(__always)
    func locate(_ key: UnsafeRawBufferPointer) -> (group: Int, node: Int) {
        switch self {
        case .ring(let ring, _):
            let node = ring.node(for: key)
            return (node, node)
        case .cluster(let routes):
            let slot = ClusterKeySlot.slot(for: key)
            return (slot, Int(routes.owners[slot]))
        }
    }

    /// The nodes a keyless command fans out to.
    var everyNode: [Int] {
        switch self {
        case .ring(_, let nodeCount): Array(0..<nodeCount)
        case .cluster(let routes): routes.primaries
        }
    }

    /// A node for a command that any node can answer (RANDOMKEY).
    var anyNode: Int {
        switch self {
        case .ring(let ring, _): ring.liveNodes.randomElement() ?? 0
        case .cluster(let routes): routes.primaries.randomElement() ?? 0
        }
    }

    /// The error for a command whose keys fall in different groups.
    func crossGroupError(_ spec: CommandSpec) -> String {
        switch self {
        case .ring:
            "ERR the keys of this '\(spec.name)' live on different shards; sharded mode runs a command on one shard only (use a hash tag to keep them together)"
        case .cluster:
            "CROSSSLOT Keys in request don't hash to the same slot"
        }
    }

    /// The error for a command without a key to route by.
    func keylessError(_ spec: CommandSpec) -> String {
        switch self {
        case .ring: "ERR '\(spec.name)' names no key, so sharded mode cannot choose a shard for it; send it to a shard directly"
        case .cluster: "ERR '\(spec.name)' names no key, so cluster mode cannot choose a node for it; send it to a node directly"
        }
    }

    static let slotNotServed = "CLUSTERDOWN Hash slot not served"
}
