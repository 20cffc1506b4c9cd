/// One upstream server of a sharded pool, as a twemproxy `servers:` line
/// (`host:port:weight [name]`) describes it.
public struct ShardNode: Hashable, Sendable {
    public var address: UpstreamAddress
    /// At least 1. Ketama gives a node points in proportion to its weight; modula repeats it
    /// `weight` times; random ignores it.
    public var weight: Int
    /// The name in twemproxy's `servers:` line. When set, ketama places the node by its name
    /// alone, so an address can change without moving keys.
    public var name: String?

    public init(address: UpstreamAddress, weight: Int = 1, name: String? = nil) {
        self.address = address
        self.weight = weight
        self.name = name
    }

    /// What ketama hashes (with `-<index>` appended) to place this node on the continuum, as
    /// twemproxy's configuration builds it: the name when there is one, else `host:port`, or
    /// the host alone when the port is 11211 (libmemcached's default, kept by twemproxy for
    /// compatibility). The host is as written, not resolved, with no brackets around IPv6.
    public var ketamaName: String {
        if let name { return name }
        return address.port == 11211 ? address.host : "\(address.host):\(address.port)"
    }
}
