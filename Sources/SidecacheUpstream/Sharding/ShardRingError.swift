/// Why a `ShardRing` cannot be built.
public enum ShardRingError: Error, Hashable, Sendable, CustomStringConvertible {
    case noNodes
    case noLiveNodes
    case invalidWeight(node: Int, weight: Int)
    case unknownNode(Int)
    case duplicateName(String)

    public var description: String {
        switch self {
        case .noNodes: "a sharded upstream needs at least one node"
        case .noLiveNodes: "no live upstream node"
        case .invalidWeight(let node, let weight): "node \(node) has weight \(weight); weights are 1 to 2147483647"
        case .unknownNode(let index): "no upstream node has index \(index)"
        case .duplicateName(let name): "two upstream nodes are named '\(name)'"
        }
    }
}
