import SidecacheEngine
import SidecacheRESP
import SidecacheUpstream

/// Decides which node a forwarded command goes to: always the one node in single mode; by
/// twemproxy's key hashing in sharded mode, splitting the multi-key commands that can be
/// split and fanning out the keyless ones that make sense on every shard.
struct UpstreamRouter: Sendable {
    enum Topology: Sendable {
        case single
        case sharded(ShardRing)
        /// One node at a time: the primary a `SentinelPrimary` follows.
        case sentinel(SentinelPrimary)
    }

    let topology: Topology
    let nodeCount: Int
    /// KEYS, FLUSHDB and FLUSHALL go to every shard only when the configuration says so.
    let fanOutDangerous: Bool

    /// Whether every command goes to one node (single server, Sentinel's primary).
    var hasOneNode: Bool {
        if case .sharded = topology { return false }
        return true
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

    /// The route of `frame` (whose command is `spec`, a subcommand resolved) over `ring`.
    func route(_ spec: CommandSpec, _ frame: RESPCommandFrame, ring: ShardRing) -> ForwardRoute {
        switch spec.name {
        case "mget":
            return splitByKey(frame, ring: ring, firstKey: 1, stride: 1, merge: .reorder)
        case "mset":
            guard frame.count >= 3, frame.count % 2 == 1 else { return .node(0) }
            return splitByKey(frame, ring: ring, firstKey: 1, stride: 2, merge: .allOK)
        case "del", "unlink", "exists", "touch":
            return splitByKey(frame, ring: ring, firstKey: 1, stride: 1, merge: .sum)
        case "dbsize":
            return everyNode(frame, .sum)
        case "keys", "flushall", "flushdb":
            guard fanOutDangerous else {
                return .refuse(
                    "ERR \(spec.name.uppercased()) would run on every shard; set upstream.fan_out_dangerous to allow it"
                )
            }
            return everyNode(frame, spec.name == "keys" ? .concatenate : .allOK)
        case "scan":
            return scan(frame)
        case "randomkey":
            return .node(ring.liveNodes.randomElement() ?? 0)
        case "publish", "spublish":
            guard frame.count >= 2 else { return .node(0) }
            return .node(frame.withArgument(1) { ring.node(for: $0) })
        default:
            return byKeys(spec, frame, ring: ring)
        }
    }

    /// Where the keys of a command live.
    enum KeyPlacement {
        case noKeys
        case node(Int)
        case severalNodes
    }

    func placement(_ spec: CommandSpec, _ frame: RESPCommandFrame, ring: ShardRing) -> KeyPlacement {
        let positions: [Int]
        if spec.firstKey > 0, spec.firstKey == spec.lastKey, !spec.flags.contains(.movableKeys) {
            positions = spec.firstKey < frame.count ? [spec.firstKey] : []
        } else {
            positions = (spec.keyPositions(in: frame) ?? []).filter { $0 < frame.count }
        }
        guard let first = positions.first else { return .noKeys }
        let node = frame.withArgument(first) { ring.node(for: $0) }
        for position in positions.dropFirst() where frame.withArgument(position, { ring.node(for: $0) }) != node {
            return .severalNodes
        }
        return .node(node)
    }

    static func differentShards(_ spec: CommandSpec) -> String {
        "ERR the keys of this '\(spec.name)' live on different shards; sharded mode runs a command on one shard only (use a hash tag to keep them together)"
    }

    /// A command whose keys must all live on one node.
    private func byKeys(_ spec: CommandSpec, _ frame: RESPCommandFrame, ring: ShardRing) -> ForwardRoute {
        switch placement(spec, frame, ring: ring) {
        case .node(let node):
            return .node(node)
        case .severalNodes:
            return .refuse(Self.differentShards(spec))
        case .noKeys:
            // Let a node answer malformed requests (wrong arity) as Redis would.
            if !spec.acceptsArgumentCount(frame.count) { return .node(0) }
            return .refuse(
                "ERR '\(spec.name)' names no key, so sharded mode cannot choose a shard for it; send it to a shard directly"
            )
        }
    }

    /// MGET, MSET, DEL ...: one piece per node with that node's keys (with their values for
    /// MSET, `stride` 2), in request order.
    private enum SplitMerge { case reorder, allOK, sum }

    private func splitByKey(
        _ frame: RESPCommandFrame, ring: ShardRing, firstKey: Int, stride: Int, merge: SplitMerge
    ) -> ForwardRoute {
        guard frame.count > firstKey else { return .node(0) }
        var nodeOfKey: [Int] = []
        var index = firstKey
        while index < frame.count {
            nodeOfKey.append(frame.withArgument(index) { ring.node(for: $0) })
            index += stride
        }
        let firstNode = nodeOfKey[0]
        if nodeOfKey.allSatisfy({ $0 == firstNode }) { return .node(firstNode) }
        var parts: [SplitPart] = []
        var positions: [[Int]] = []
        var partOfNode: [Int: Int] = [:]
        var arguments: [[[UInt8]]] = []
        for (keyIndex, node) in nodeOfKey.enumerated() {
            let part: Int
            if let existing = partOfNode[node] {
                part = existing
            } else {
                part = arguments.count
                partOfNode[node] = part
                arguments.append([frame.bytes(0)])
                positions.append([])
                parts.append(SplitPart(node: node, frame: RESPCommandFrame()))
            }
            let start = firstKey + keyIndex * stride
            for offset in 0..<stride { arguments[part].append(frame.bytes(start + offset)) }
            positions[part].append(keyIndex)
        }
        for part in parts.indices { parts[part].frame = RESPCommandFrame(arguments[part]) }
        switch merge {
        case .reorder: return .split(parts, .reorder(positions: positions, count: nodeOfKey.count))
        case .allOK: return .split(parts, .allOK)
        case .sum: return .split(parts, .sum)
        }
    }

    private func everyNode(_ frame: RESPCommandFrame, _ merge: ReplyMerge) -> ForwardRoute {
        let copy = RESPCommandFrame(frame.arguments)
        return .split((0..<nodeCount).map { SplitPart(node: $0, frame: copy) }, merge)
    }

    /// SCAN across every node in turn: the client's cursor is the node's cursor times 256 plus
    /// the node's index, so that one iteration walks node 0, then node 1, and so on.
    private func scan(_ frame: RESPCommandFrame) -> ForwardRoute {
        guard frame.count >= 2, let cursor = UInt64(frame.string(1)) else { return .node(0) }
        let node = Int(cursor & 0xFF)
        guard node < nodeCount else { return .refuse("ERR invalid cursor") }
        var arguments = frame.arguments
        arguments[1] = Array(String(cursor >> 8).utf8)
        return .split([SplitPart(node: node, frame: RESPCommandFrame(arguments))], .scan(node: node, nodeCount: nodeCount))
    }
}
