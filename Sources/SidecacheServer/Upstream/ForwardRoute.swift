import SidecacheRESP

/// Where one forwarded command goes.
enum ForwardRoute {
    /// All of it to one node.
    case node(Int)
    /// A piece to each of several nodes (or one piece whose reply is rewritten), the replies
    /// merged into one.
    case split([SplitPart], ReplyMerge)
    /// Nowhere: the topology cannot run it; the error says why.
    case refuse(String)
}

struct SplitPart {
    var node: Int
    var frame: RESPCommandFrame
}

/// How the replies of a split command's pieces make the client's one reply.
enum ReplyMerge {
    /// MGET: `positions[part]` are the indices, in the client's request, of the keys the part
    /// asked for; the values go back in request order.
    case reorder(positions: [[Int]], count: Int)
    /// DEL, UNLINK, EXISTS, TOUCH, DBSIZE: the integers added up.
    case sum
    /// MSET, FLUSHALL, FLUSHDB: `+OK` when every piece answered it.
    case allOK
    /// KEYS: the arrays one after the other.
    case concatenate
    /// SCAN on one node of `nodeCount`: its cursor is rewritten to name the node.
    case scan(node: Int, nodeCount: Int)
}
