/// Which node serves each of Redis Cluster's 16384 slots: for every slot its primary and the
/// primary's replicas, as indices into `nodes`. A value: build a new one (discovery) or change
/// a copy (`assign(_:to:)` after a MOVED) while requests keep routing with the old one.
///
/// Built from a `CLUSTER SHARDS` reply (`init(clusterShardsReply:sentTo:)`) or a `CLUSTER
/// SLOTS` reply (`init(clusterSlotsReply:sentTo:)`), RESP2 or RESP3, in
/// `ClusterSlotMap+Parsing.swift`. A slot no primary serves (a cluster that is not fully
/// covered) has no primary.
public struct ClusterSlotMap: Sendable, Equatable {
    /// A primary and its replicas, as indices into `nodes`.
    public struct Shard: Sendable, Equatable {
        public var primary: Int
        public var replicas: [Int]

        public init(primary: Int, replicas: [Int]) {
            self.primary = primary
            self.replicas = replicas
        }
    }

    /// Every node the map names, primaries and replicas, each address once.
    public private(set) var nodes: [UpstreamAddress] = []
    /// Every primary with its replicas; a shard may serve no slot (after a MOVED took them).
    public private(set) var shards: [Shard] = []
    /// `slotShards[slot]`: the index into `shards` of the slot's shard, `unassigned` for none.
    private var slotShards: [UInt16]
    private static let unassigned = UInt16.max

    /// A map in which no slot is served.
    public init() {
        slotShards = Array(repeating: Self.unassigned, count: ClusterKeySlot.count)
    }

    /// A map from slot ranges and their nodes; throws when a slot is outside 0...16383 or two
    /// ranges claim it for different primaries. Ranges of one primary may repeat (CLUSTER
    /// SLOTS lists each run of slots separately); its replicas are those of its first range.
    public init(ranges: [ClusterSlotRange]) throws(ClusterTopologyError) {
        self.init()
        var shardOfPrimary: [Int: Int] = [:]
        for range in ranges {
            guard range.slots.lowerBound >= 0, range.slots.upperBound < ClusterKeySlot.count else {
                throw ClusterTopologyError("slot range \(range.slots.lowerBound)-\(range.slots.upperBound) is outside 0-16383")
            }
            let primary = nodeIndex(range.primary)
            let shard: Int
            if let known = shardOfPrimary[primary] {
                shard = known
            } else {
                shard = shards.count
                let replicas = range.replicas.filter { $0 != range.primary }.map { nodeIndex($0) }
                shards.append(Shard(primary: primary, replicas: uniqued(replicas)))
                shardOfPrimary[primary] = shard
            }
            for slot in range.slots {
                let current = slotShards[slot]
                if current != Self.unassigned && Int(current) != shard {
                    throw ClusterTopologyError(
                        "slot \(slot) is claimed by both \(nodes[shards[Int(current)].primary]) and \(range.primary)"
                    )
                }
                slotShards[slot] = UInt16(shard)
            }
        }
    }

    /// The index into `nodes` of the primary serving `slot` (0..<16384), `nil` when none does.
    @inlinable
    public func primary(for slot: Int) -> Int? {
        shard(for: slot)?.primary
    }

    /// The indices into `nodes` of the replicas of `slot`'s primary; empty when it has none,
    /// or no primary serves the slot.
    public func replicas(for slot: Int) -> [Int] {
        shard(for: slot)?.replicas ?? []
    }

    /// The address of the primary serving `slot`, `nil` when none does.
    public func primaryAddress(for slot: Int) -> UpstreamAddress? {
        primary(for: slot).map { nodes[$0] }
    }

    /// The shard serving `slot`, `nil` when none does.
    @usableFromInline
    func shard(for slot: Int) -> Shard? {
        let shard = slotShards[slot]
        return shard == Self.unassigned ? nil : shards[Int(shard)]
    }

    /// The index of `address` in `nodes`, `nil` when the map does not name it.
    public func index(of address: UpstreamAddress) -> Int? {
        nodes.firstIndex(of: address)
    }

    /// The primaries that serve at least one slot, as indices into `nodes`, each once, in the
    /// order of their first slot (for commands sent to every primary: DBSIZE, SCAN, KEYS).
    public var servingPrimaries: [Int] {
        var seen = Set<UInt16>()
        var primaries: [Int] = []
        for shard in slotShards where shard != Self.unassigned && seen.insert(shard).inserted {
            primaries.append(shards[Int(shard)].primary)
        }
        return primaries
    }

    /// How many of the 16384 slots a primary serves.
    public var coveredSlotCount: Int {
        slotShards.lazy.filter { $0 != Self.unassigned }.count
    }

    /// The map as runs of consecutive slots with one primary, in slot order.
    public var slotRanges: [ClusterSlotRange] {
        var ranges: [ClusterSlotRange] = []
        var start = 0
        while start < ClusterKeySlot.count {
            let shard = slotShards[start]
            var end = start
            while end + 1 < ClusterKeySlot.count && slotShards[end + 1] == shard { end += 1 }
            if shard != Self.unassigned {
                let entry = shards[Int(shard)]
                ranges.append(
                    ClusterSlotRange(slots: start...end, primary: nodes[entry.primary], replicas: entry.replicas.map { nodes[$0] })
                )
            }
            start = end + 1
        }
        return ranges
    }

    /// Records that `address` now serves `slot` as a primary (a `MOVED` redirect said so): the
    /// slot moves to that node's shard, a new shard without replicas if the node was not a
    /// primary before (a replica promoted, or a node the map did not know).
    public mutating func assign(_ slot: Int, to address: UpstreamAddress) {
        precondition((0..<ClusterKeySlot.count).contains(slot), "slot \(slot) is outside 0-16383")
        let node = nodeIndex(address)
        let shard: Int
        if let existing = shards.firstIndex(where: { $0.primary == node }) {
            shard = existing
        } else {
            shard = shards.count
            shards.append(Shard(primary: node, replicas: []))
        }
        slotShards[slot] = UInt16(shard)
    }

    /// The index of `address` in `nodes`, added when new.
    private mutating func nodeIndex(_ address: UpstreamAddress) -> Int {
        if let index = nodes.firstIndex(of: address) { return index }
        nodes.append(address)
        return nodes.count - 1
    }

    private func uniqued(_ indices: [Int]) -> [Int] {
        var seen = Set<Int>()
        return indices.filter { seen.insert($0).inserted }
    }
}

/// A run of slots served by one primary, with its replicas.
public struct ClusterSlotRange: Sendable, Hashable, CustomStringConvertible {
    public var slots: ClosedRange<Int>
    public var primary: UpstreamAddress
    public var replicas: [UpstreamAddress]

    public init(slots: ClosedRange<Int>, primary: UpstreamAddress, replicas: [UpstreamAddress] = []) {
        self.slots = slots
        self.primary = primary
        self.replicas = replicas
    }

    public var description: String {
        "\(slots.lowerBound)-\(slots.upperBound) \(primary)" + replicas.map { " \($0)" }.joined()
    }
}

/// A cluster reply that cannot be read as a slot map, or a redirect or topology that makes no
/// sense; `message` says which part and why.
public struct ClusterTopologyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
