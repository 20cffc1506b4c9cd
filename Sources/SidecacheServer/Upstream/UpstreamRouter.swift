import SidecacheConfig
import SidecacheEngine
import SidecacheRESP
import SidecacheUpstream

/// Decides which node a forwarded command goes to: the one node in single and sentinel mode;
/// by twemproxy's key hashing in sharded mode and by slot in cluster mode, splitting the
/// multi-key commands that can be split and fanning out the keyless ones that make sense on
/// every node.
struct UpstreamRouter: Sendable {
    enum Topology: Sendable {
        case single
        case sharded(ShardRing)
        /// One node at a time: the primary a `SentinelPrimary` follows.
        case sentinel(SentinelPrimary)
        /// Slots of a Redis Cluster, as `ClusterTopology` last learned them.
        case cluster(ClusterTopology)
    }

    let topology: Topology
    let nodeCount: Int
    /// KEYS, FLUSHDB and FLUSHALL go to every shard only when the configuration says so.
    let fanOutDangerous: Bool
    /// Cluster mode: where read-only commands go.
    var readFrom: ClusterReadPolicy = .primary

    /// Whether every command goes to one node (single server, Sentinel's primary).
    var hasOneNode: Bool {
        switch topology {
        case .sharded, .cluster: false
        case .single, .sentinel: true
        }
    }

    /// The node everything goes to with one node; `nil` (and the error to answer) while a
    /// Sentinel primary is not known yet.
    func oneNode() -> Result<Int, RefusedRoute> {
        guard case .sentinel(let primary) = topology else { return .success(0) }
        guard let node = primary.currentNode else { return .failure(RefusedRoute(message: primary.unavailable)) }
        return .success(node)
    }

    struct RefusedRoute: Error {
        var message: String
    }

    /// The route of `frame` (whose command is `spec`, a subcommand resolved) over `keys`.
    func route(_ spec: CommandSpec, _ frame: RESPCommandFrame, keys: KeyMap) -> ForwardRoute {
        switch spec.name {
        case "mget":
            return splitByKey(frame, keys: keys, firstKey: 1, stride: 1, merge: .reorder)
        case "mset":
            guard frame.count >= 3, frame.count % 2 == 1 else { return .node(keys.anyNode) }
            return splitByKey(frame, keys: keys, firstKey: 1, stride: 2, merge: .allOK)
        case "del", "unlink", "exists", "touch":
            return splitByKey(frame, keys: keys, firstKey: 1, stride: 1, merge: .sum)
        case "dbsize":
            return everyNode(frame, keys: keys, .sum)
        case "keys", "flushall", "flushdb":
            guard fanOutDangerous else {
                return .refuse(
                    "ERR \(spec.name.uppercased()) would run on every node; set upstream.fan_out_dangerous to allow it"
                )
            }
            return everyNode(frame, keys: keys, spec.name == "keys" ? .concatenate : .allOK)
        case "scan":
            return scan(frame, keys: keys)
        case "randomkey":
            return .node(keys.anyNode)
        case "publish", "spublish":
            guard frame.count >= 2 else { return .node(keys.anyNode) }
            let node = frame.withArgument(1) { keys.locate($0).node }
            return node < 0 ? .node(keys.anyNode) : .node(node)
        default:
            return byKeys(spec, frame, keys: keys)
        }
    }

    /// Where the keys of a command live.
    enum KeyPlacement {
        case noKeys
        case node(Int)
        /// Keys in different groups (shards, slots), or a slot no node serves.
        case refused(String)
    }

    func placement(_ spec: CommandSpec, _ frame: RESPCommandFrame, keys: KeyMap) -> KeyPlacement {
        let positions = spec.requestKeyPositions(in: frame)
        guard let first = positions.first else { return .noKeys }
        let (group, node) = frame.withArgument(first) { keys.locate($0) }
        for position in positions.dropFirst() where frame.withArgument(position, { keys.locate($0).group }) != group {
            return .refused(keys.crossGroupError(spec))
        }
        return node < 0 ? .refused(KeyMap.slotNotServed) : .node(node)
    }

    /// A command whose keys must all live on one node.
    private func byKeys(_ spec: CommandSpec, _ frame: RESPCommandFrame, keys: KeyMap) -> ForwardRoute {
        switch placement(spec, frame, keys: keys) {
        case .node(let node):
            return .node(node)
        case .refused(let message):
            return .refuse(message)
        case .noKeys:
            // Let a node answer malformed requests (wrong arity) as Redis would.
            if !spec.acceptsArgumentCount(frame.count) { return .node(keys.anyNode) }
            return .refuse(keys.keylessError(spec))
        }
    }

    /// MGET, MSET, DEL ...: one piece per group (shard, or cluster slot) with that group's keys
    /// (with their values for MSET, `stride` 2), in request order.
    private enum SplitMerge { case reorder, allOK, sum }

    private func splitByKey(
        _ frame: RESPCommandFrame, keys: KeyMap, firstKey: Int, stride: Int, merge: SplitMerge
    ) -> ForwardRoute {
        guard frame.count > firstKey else { return .node(keys.anyNode) }
        var located: [(group: Int, node: Int)] = []
        var index = firstKey
        while index < frame.count {
            located.append(frame.withArgument(index) { keys.locate($0) })
            index += stride
        }
        if located.contains(where: { $0.node < 0 }) { return .refuse(KeyMap.slotNotServed) }
        let firstGroup = located[0].group
        if located.allSatisfy({ $0.group == firstGroup }) { return .node(located[0].node) }
        var parts: [SplitPart] = []
        var positions: [[Int]] = []
        var partOfGroup: [Int: Int] = [:]
        var arguments: [[[UInt8]]] = []
        for (keyIndex, place) in located.enumerated() {
            let part: Int
            if let existing = partOfGroup[place.group] {
                part = existing
            } else {
                part = arguments.count
                partOfGroup[place.group] = part
                arguments.append([frame.bytes(0)])
                positions.append([])
                parts.append(SplitPart(node: place.node, frame: RESPCommandFrame()))
            }
            let start = firstKey + keyIndex * stride
            for offset in 0..<stride { arguments[part].append(frame.bytes(start + offset)) }
            positions[part].append(keyIndex)
        }
        guard parts.count <= ForwardedReplies.maximumPieces else {
            return .refuse("ERR this command's keys fall in \(parts.count) slots; at most \(ForwardedReplies.maximumPieces) can be split")
        }
        for part in parts.indices { parts[part].frame = RESPCommandFrame(arguments[part]) }
        switch merge {
        case .reorder: return .split(parts, .reorder(positions: positions, count: located.count))
        case .allOK: return .split(parts, .allOK)
        case .sum: return .split(parts, .sum)
        }
    }

    private func everyNode(_ frame: RESPCommandFrame, keys: KeyMap, _ merge: ReplyMerge) -> ForwardRoute {
        let copy = RESPCommandFrame(frame.arguments)
        return .split(keys.everyNode.map { SplitPart(node: $0, frame: copy) }, merge)
    }

    /// SCAN across every node in turn: the client's cursor is the node's cursor times 256 plus
    /// the node's position among `everyNode`, so that one iteration walks them one by one.
    private func scan(_ frame: RESPCommandFrame, keys: KeyMap) -> ForwardRoute {
        let nodes = keys.everyNode
        guard frame.count >= 2, let cursor = UInt64(frame.string(1)) else { return .node(keys.anyNode) }
        let position = Int(cursor & 0xFF)
        guard position < nodes.count else { return .refuse("ERR invalid cursor") }
        var arguments = frame.arguments
        arguments[1] = Array(String(cursor >> 8).utf8)
        return .split(
            [SplitPart(node: nodes[position], frame: RESPCommandFrame(arguments))],
            .scan(node: position, nodeCount: nodes.count)
        )
    }
}
