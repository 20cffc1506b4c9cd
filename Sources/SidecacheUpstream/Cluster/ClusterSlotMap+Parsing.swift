public import SidecacheRESP

extension ClusterSlotMap {
    /// Reads a `CLUSTER SHARDS` reply (Redis 7): an array of shards, each a map (RESP3) or a
    /// flat key/value array (RESP2) with `slots` (start, end, start, end ... as integers) and
    /// `nodes` (maps with `id`, `port`, `ip`, `endpoint`, `hostname`, `role`, `health` ...).
    ///
    /// The shard's primary is its node with role `master` (an online one when there are
    /// several); its replicas are its `replica` nodes whose health is `online`, as CLUSTER
    /// SLOTS lists only available replicas. Node addresses follow `resolveEndpoint`; `sentTo`
    /// is the node that answered. A shard without slots adds no ranges; a shard with slots but
    /// no usable primary, or any malformed part, throws an error naming the part.
    public init(clusterShardsReply reply: RESPValue, sentTo: UpstreamAddress) throws(ClusterTopologyError) {
        guard case .array(let shards?) = reply.unwrapped else {
            throw ClusterTopologyError("CLUSTER SHARDS reply is not an array: \(reply.summary)")
        }
        var ranges: [ClusterSlotRange] = []
        for (shardNumber, shard) in shards.enumerated() {
            let context = "CLUSTER SHARDS reply, shard \(shardNumber)"
            let fields = try Self.pairs(shard, context)
            guard let slotsValue = fields["slots"] else { throw ClusterTopologyError("\(context) has no slots field") }
            guard case .array(let bounds?) = slotsValue.unwrapped, bounds.count % 2 == 0 else {
                throw ClusterTopologyError("\(context): slots is not an array of start/end pairs: \(slotsValue.summary)")
            }
            var slotRanges: [ClosedRange<Int>] = []
            for pair in stride(from: 0, to: bounds.count, by: 2) {
                slotRanges.append(try Self.slotRange(bounds[pair], bounds[pair + 1], context))
            }
            guard case .array(let nodeValues?) = fields["nodes"]?.unwrapped else {
                throw ClusterTopologyError("\(context) has no nodes array")
            }
            var primaries: [(address: UpstreamAddress?, online: Bool)] = []
            var replicas: [UpstreamAddress] = []
            for (nodeNumber, nodeValue) in nodeValues.enumerated() {
                let nodeContext = "\(context), node \(nodeNumber)"
                let node = try Self.pairs(nodeValue, nodeContext)
                guard let port = node["port"].flatMap(\.integerValue), (1...65535).contains(port) else {
                    throw ClusterTopologyError("\(nodeContext) has no valid port: \(node["port"]?.summary ?? "none")")
                }
                let endpoint: String?? = node.keys.contains("endpoint") ? .some(node["endpoint"]?.textValue) : .none
                let address = Self.resolveEndpoint(
                    endpoint,
                    ip: node["ip"]?.textValue,
                    hostname: node["hostname"]?.textValue,
                    port: port,
                    sentTo: sentTo
                )
                let online = (node["health"]?.textValue ?? "online") == "online"
                switch node["role"]?.textValue {
                case "master", "primary":
                    primaries.append((address, online))
                case "replica", "slave":
                    if online, let address { replicas.append(address) }
                default:
                    throw ClusterTopologyError("\(nodeContext) has an unknown role: \(node["role"]?.summary ?? "none")")
                }
            }
            guard !slotRanges.isEmpty else { continue }
            guard let primary = primaries.first(where: \.online) ?? primaries.first else {
                throw ClusterTopologyError("\(context) serves slots but has no primary")
            }
            guard let address = primary.address else {
                throw ClusterTopologyError("\(context): the primary's endpoint is unknown ('?') and it has no ip")
            }
            for slots in slotRanges {
                ranges.append(ClusterSlotRange(slots: slots, primary: address, replicas: replicas))
            }
        }
        try self.init(ranges: ranges)
    }

    /// Reads a `CLUSTER SLOTS` reply: an array of `[start, end, primary, replica...]`, each
    /// node `[endpoint, port, id, {metadata}]` (the id and the metadata map, with `ip` and
    /// `hostname`, only in newer servers). Addresses follow `resolveEndpoint`; a replica whose
    /// address cannot be known is left out, a primary's throws.
    public init(clusterSlotsReply reply: RESPValue, sentTo: UpstreamAddress) throws(ClusterTopologyError) {
        guard case .array(let entries?) = reply.unwrapped else {
            throw ClusterTopologyError("CLUSTER SLOTS reply is not an array: \(reply.summary)")
        }
        var ranges: [ClusterSlotRange] = []
        for (number, entry) in entries.enumerated() {
            let context = "CLUSTER SLOTS reply, entry \(number)"
            guard case .array(let parts?) = entry.unwrapped, parts.count >= 3 else {
                throw ClusterTopologyError("\(context) is not [start, end, primary, replicas...]: \(entry.summary)")
            }
            let slots = try Self.slotRange(parts[0], parts[1], context)
            guard let primary = try Self.slotsNode(parts[2], sentTo: sentTo, "\(context), primary") else {
                throw ClusterTopologyError("\(context): the primary's endpoint is unknown ('?') and it has no ip")
            }
            var replicas: [UpstreamAddress] = []
            for (replicaNumber, part) in parts.dropFirst(3).enumerated() {
                if let replica = try Self.slotsNode(part, sentTo: sentTo, "\(context), replica \(replicaNumber)") {
                    replicas.append(replica)
                }
            }
            ranges.append(ClusterSlotRange(slots: slots, primary: primary, replicas: replicas))
        }
        try self.init(ranges: ranges)
    }

    /// Where to reach a node, by the rules Redis documents for CLUSTER SLOTS and CLUSTER SHARDS:
    /// - the endpoint, when it is a host name or an address;
    /// - `sentTo`'s host when the endpoint is NULL or empty (the node's endpoint is unknown,
    ///   `cluster-preferred-endpoint-type unknown-endpoint`, or the node does not know its own
    ///   IP yet): the client is to use the host it sent the command to, with the node's port;
    /// - for `?` (a host name is preferred but none is configured; "an unknown node, not
    ///   necessarily the one serving the command"), the node's `hostname`, else its `ip`,
    ///   else `nil`: nothing says where the node is.
    /// `endpoint` is `.none` when the reply has no endpoint field at all (the `ip` is used then).
    public static func resolveEndpoint(
        _ endpoint: String??,
        ip: String?,
        hostname: String?,
        port: Int,
        sentTo: UpstreamAddress
    ) -> UpstreamAddress? {
        func usable(_ text: String?) -> String? {
            guard let text, !text.isEmpty, text != "?" else { return nil }
            return text
        }
        let host: String?
        switch endpoint {
        case .none: host = usable(ip) ?? usable(hostname) ?? sentTo.host
        case .some(.none), .some(""): host = sentTo.host
        case .some("?"): host = usable(hostname) ?? usable(ip)
        case .some(.some(let endpoint)): host = endpoint
        }
        return host.map { UpstreamAddress(host: $0, port: port) }
    }

    // MARK: Reading parts

    /// One CLUSTER SLOTS node: `[endpoint, port, id?, metadata?]`.
    private static func slotsNode(_ value: RESPValue, sentTo: UpstreamAddress, _ context: String) throws(ClusterTopologyError) -> UpstreamAddress? {
        guard case .array(let parts?) = value.unwrapped, parts.count >= 2 else {
            throw ClusterTopologyError("\(context) is not [endpoint, port, ...]: \(value.summary)")
        }
        guard let port = parts[1].integerValue, (1...65535).contains(port) else {
            throw ClusterTopologyError("\(context) has no valid port: \(parts[1].summary)")
        }
        let endpoint: String?
        switch parts[0].unwrapped {
        case .null, .bulkString(nil): endpoint = nil
        default:
            guard let text = parts[0].textValue else {
                throw ClusterTopologyError("\(context): the endpoint is not a string: \(parts[0].summary)")
            }
            endpoint = text
        }
        let metadata = parts.count >= 4 ? try pairs(parts[3], "\(context), metadata") : [:]
        return resolveEndpoint(
            .some(endpoint),
            ip: metadata["ip"]?.textValue,
            hostname: metadata["hostname"]?.textValue,
            port: port,
            sentTo: sentTo
        )
    }

    private static func slotRange(_ start: RESPValue, _ end: RESPValue, _ context: String) throws(ClusterTopologyError) -> ClosedRange<Int> {
        guard let low = start.integerValue, let high = end.integerValue,
            0 <= low, low <= high, high < ClusterKeySlot.count
        else {
            throw ClusterTopologyError("\(context): \(start.summary)-\(end.summary) is not a slot range within 0-16383")
        }
        return low...high
    }

    /// The fields of a map (RESP3) or of a flat key/value array (RESP2), by their text keys.
    private static func pairs(_ value: RESPValue, _ context: String) throws(ClusterTopologyError) -> [String: RESPValue] {
        let elements: [RESPValue]
        switch value.unwrapped {
        case .map(let pairs): elements = pairs
        case .array(let items?) where items.count % 2 == 0: elements = items
        default: throw ClusterTopologyError("\(context) is not a map or a key/value array: \(value.summary)")
        }
        var fields: [String: RESPValue] = [:]
        for index in stride(from: 0, to: elements.count, by: 2) {
            guard let key = elements[index].textValue else {
                throw ClusterTopologyError("\(context) has a key that is not a string: \(elements[index].summary)")
            }
            fields[key] = elements[index + 1]
        }
        return fields
    }
}
