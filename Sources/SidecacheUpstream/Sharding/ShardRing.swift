/// Which node of a sharded pool holds a key, exactly as twemproxy (nutcracker) decides it for
/// the same `servers:`, `hash:`, `distribution:` and `hash_tag:`.
///
/// A ring is immutable and cheap to share. It is built over the live nodes only: when a node is
/// ejected (twemproxy's `auto_eject_hosts`), build a new ring with `withLiveNodes(_:)` or
/// `init(nodes:liveNodes:...)`, as twemproxy rebuilds its continuum over the live servers, and
/// build it again when the node returns. Indices always refer to `nodes`, live or not.
///
/// `node(for:)` takes the key's bytes and allocates nothing (except with the `random`
/// distribution, which asks the system generator).
public struct ShardRing: Sendable {
    /// Every configured node, in configuration order; `node(for:)` returns indices into it.
    public let nodes: [ShardNode]
    public let hashFunction: ShardHashFunction
    public let distribution: ShardDistribution
    public let hashTag: ShardHashTag?
    /// Indices of the nodes this ring distributes over, ascending.
    public let liveNodes: [Int]

    private let dispatch: Dispatch

    enum Dispatch: Sendable {
        /// Points sorted by value (ties in build order); `owners[i]` is the node of `values[i]`.
        case ketama(values: [UInt32], owners: [Int])
        /// `ends[i]` is the running total of live weights up to and including `owners[i]`, the
        /// owners in twemproxy's server order.
        case modula(ends: [UInt64], owners: [Int])
        case random(owners: [Int])
    }

    /// A ring over all of `nodes`.
    public init(
        nodes: [ShardNode],
        hash: ShardHashFunction = .default,
        distribution: ShardDistribution = .default,
        hashTag: ShardHashTag? = nil
    ) throws(ShardRingError) {
        try self.init(
            nodes: nodes, liveNodes: Array(nodes.indices), hash: hash, distribution: distribution, hashTag: hashTag
        )
    }

    /// A ring over the nodes whose indices are in `liveNodes` (the others ejected). Throws when
    /// `nodes` is empty, when a weight is below 1, when two nodes have the same `ketamaName`
    /// (twemproxy refuses such a configuration), or when `liveNodes` is empty or not all indices
    /// of `nodes`.
    public init(
        nodes: [ShardNode],
        liveNodes: some Sequence<Int>,
        hash: ShardHashFunction = .default,
        distribution: ShardDistribution = .default,
        hashTag: ShardHashTag? = nil
    ) throws(ShardRingError) {
        guard !nodes.isEmpty else { throw .noNodes }
        if let bad = nodes.firstIndex(where: { !(1...Int(Int32.max)).contains($0.weight) }) {
            throw .invalidWeight(node: bad, weight: nodes[bad].weight)
        }
        // twemproxy sorts its servers by name when it loads the configuration (to reject
        // duplicates), and builds every distribution in that order.
        let names = nodes.map { Array($0.ketamaName.utf8) }
        let configurationOrder = nodes.indices.sorted { Self.twemproxyNameOrder(names[$0], names[$1]) }
        for (first, second) in zip(configurationOrder, configurationOrder.dropFirst()) where names[first] == names[second] {
            throw .duplicateName(nodes[second].ketamaName)
        }
        var isLive = [Bool](repeating: false, count: nodes.count)
        for index in liveNodes {
            guard nodes.indices.contains(index) else { throw .unknownNode(index) }
            isLive[index] = true
        }
        let live = configurationOrder.filter { isLive[$0] }
        guard !live.isEmpty else { throw .noLiveNodes }

        self.nodes = nodes
        self.hashFunction = hash
        self.distribution = distribution
        self.hashTag = hashTag
        self.liveNodes = live.sorted()
        switch distribution {
        case .ketama:
            let (values, owners) = Self.ketamaContinuum(nodes: nodes, live: live)
            dispatch = .ketama(values: values, owners: owners)
        case .modula:
            var total: UInt64 = 0
            dispatch = .modula(
                ends: live.map { index in
                    total += UInt64(nodes[index].weight)
                    return total
                },
                owners: live
            )
        case .random:
            dispatch = .random(owners: live)
        }
    }

    /// twemproxy's `string_compare`: the shorter name first, then byte by byte.
    static func twemproxyNameOrder(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        first.count != second.count ? first.count < second.count : first.lexicographicallyPrecedes(second)
    }

    /// The same configuration over other live nodes (after an ejection, or a node's return).
    public func withLiveNodes(_ liveNodes: some Sequence<Int>) throws(ShardRingError) -> ShardRing {
        try ShardRing(
            nodes: nodes, liveNodes: liveNodes, hash: hashFunction, distribution: distribution, hashTag: hashTag
        )
    }

    /// The hash twemproxy computes for `key`: of the part inside the hash tag when there is one,
    /// 0 for an empty key (or part), or when only one node is configured at all.
    public func keyHash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let part = hashTag?.hashedPart(of: key) ?? key
        if part.isEmpty || nodes.count == 1 { return 0 }
        return hashFunction.hash(part)
    }

    /// The index (into `nodes`) of the node that holds `key`; always one of `liveNodes`.
    public func node(for key: UnsafeRawBufferPointer) -> Int {
        switch dispatch {
        case .ketama(let values, let owners):
            let hash = keyHash(key)
            // The first point at or after the hash, wrapping past the last to the first.
            var low = 0
            var high = values.count
            values.withUnsafeBufferPointer { values in
                while low < high {
                    let middle = low + (high - low) / 2
                    if values[middle] < hash { low = middle + 1 } else { high = middle }
                }
            }
            return owners[low == values.count ? 0 : low]
        case .modula(let ends, let owners):
            let slot = UInt64(keyHash(key)) % ends[ends.count - 1]
            // The first node whose running weight total passes the slot.
            var low = 0
            var high = ends.count - 1
            while low < high {
                let middle = low + (high - low) / 2
                if ends[middle] <= slot { low = middle + 1 } else { high = middle }
            }
            return owners[low]
        case .random(let owners):
            return owners[Int.random(in: 0..<owners.count)]
        }
    }

    /// The index (into `nodes`) of the node that holds `key`; always one of `liveNodes`.
    public func node(for key: [UInt8]) -> Int {
        key.withUnsafeBytes { node(for: $0) }
    }
}
