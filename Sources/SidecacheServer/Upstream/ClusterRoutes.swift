import SidecacheUpstream

/// A Redis Cluster's slot table in the node numbers of the upstream group: immutable, replaced
/// whole when the cluster's map changes (discovery, refresh, a MOVED).
final class ClusterRoutes: Sendable {
    let map: ClusterSlotMap
    /// The node number serving each of the 16384 slots; -1 when none does.
    let owners: [Int32]
    /// The serving primaries' node numbers, ascending: where keyless commands fan out.
    let primaries: [Int]
    /// A replica of each primary that has one (by node number), for reads from replicas.
    let replicaOf: [Int: Int]

    init(map: ClusterSlotMap, group: UpstreamGroup) {
        self.map = map
        let numbers = map.nodes.map { group.register($0) }
        var owners = [Int32](repeating: -1, count: ClusterKeySlot.count)
        for slot in 0..<ClusterKeySlot.count {
            if let primary = map.primary(for: slot) { owners[slot] = Int32(numbers[primary]) }
        }
        self.owners = owners
        self.primaries = map.servingPrimaries.map { numbers[$0] }.sorted()
        var replicaOf: [Int: Int] = [:]
        for shard in map.shards {
            if let replica = shard.replicas.first { replicaOf[numbers[shard.primary]] = numbers[replica] }
        }
        self.replicaOf = replicaOf
    }

    /// The table with `slot` moved to `address` (a MOVED reply), until the next refresh.
    func moving(_ slot: Int, to address: UpstreamAddress, group: UpstreamGroup) -> ClusterRoutes {
        var map = self.map
        map.assign(slot, to: address)
        return ClusterRoutes(map: map, group: group)
    }
}
