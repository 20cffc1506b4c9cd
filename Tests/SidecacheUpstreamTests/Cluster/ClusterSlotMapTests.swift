import NIOCore
import SidecacheRESP
import SidecacheUpstream
import Testing

/// `ClusterSlotMap` from CLUSTER SHARDS and CLUSTER SLOTS replies in the shapes Redis 7 sends,
/// RESP2 and RESP3, with the endpoint forms Redis documents; `LiveClusterTests` reads real ones.
struct ClusterSlotMapTests {
    static let seed = UpstreamAddress(host: "10.0.0.9", port: 7000)

    static func address(_ port: Int, _ host: String = "127.0.0.1") -> UpstreamAddress {
        UpstreamAddress(host: host, port: port)
    }

    /// One CLUSTER SHARDS node, as Redis 7.0 writes it.
    static func shardNode(
        port: Int, role: String, endpoint: String? = "127.0.0.1", ip: String = "127.0.0.1", hostname: String? = nil,
        health: String = "online", resp3: Bool
    ) -> RESPValue {
        var fields: [RESPValue] = [.bulk("id"), .bulk(String(repeating: "a", count: 39) + "\(port % 10)"), .bulk("port"), .integer(Int64(port))]
        fields += [.bulk("ip"), .bulk(ip)]
        if let endpoint { fields += [.bulk("endpoint"), .bulk(endpoint)] }
        if let hostname { fields += [.bulk("hostname"), .bulk(hostname)] }
        fields += [.bulk("role"), .bulk(role), .bulk("replication-offset"), .integer(0), .bulk("health"), .bulk(health)]
        return resp3 ? .map(fields) : .array(fields)
    }

    static func shard(_ slots: [Int], _ nodes: [RESPValue], resp3: Bool) -> RESPValue {
        let fields: [RESPValue] = [.bulk("slots"), .array(slots.map { .integer(Int64($0)) }), .bulk("nodes"), .array(nodes)]
        return resp3 ? .map(fields) : .array(fields)
    }

    /// Three primaries (7000-7002) with a replica each (7003-7005), the middle one serving two
    /// ranges, in the order Redis lists shards (not by slot).
    static func threeShards(resp3: Bool) -> RESPValue {
        .array([
            shard([10923, 16383], [
                shardNode(port: 7002, role: "master", resp3: resp3), shardNode(port: 7004, role: "replica", resp3: resp3),
            ], resp3: resp3),
            shard([5461, 10000, 10001, 10922], [
                shardNode(port: 7003, role: "replica", resp3: resp3), shardNode(port: 7001, role: "master", resp3: resp3),
            ], resp3: resp3),
            shard([0, 5460], [
                shardNode(port: 7000, role: "master", resp3: resp3), shardNode(port: 7005, role: "replica", resp3: resp3),
            ], resp3: resp3),
        ])
    }

    @Test(arguments: [false, true])
    func clusterShards(resp3: Bool) throws {
        let map = try ClusterSlotMap(clusterShardsReply: Self.threeShards(resp3: resp3), sentTo: Self.seed)
        #expect(map.coveredSlotCount == 16384)
        #expect(map.primaryAddress(for: 0) == Self.address(7000))
        #expect(map.primaryAddress(for: 5460) == Self.address(7000))
        #expect(map.primaryAddress(for: 5461) == Self.address(7001))
        #expect(map.primaryAddress(for: 10922) == Self.address(7001))
        #expect(map.primaryAddress(for: 16383) == Self.address(7002))
        #expect(map.replicas(for: 100).map { map.nodes[$0] } == [Self.address(7005)])
        #expect(map.replicas(for: 10500).map { map.nodes[$0] } == [Self.address(7003)])
        #expect(Set(map.nodes) == Set((7000...7005).map { Self.address($0) }))
        #expect(map.slotRanges.map(\.description) == [
            "0-5460 127.0.0.1:7000 127.0.0.1:7005",
            "5461-10922 127.0.0.1:7001 127.0.0.1:7003",
            "10923-16383 127.0.0.1:7002 127.0.0.1:7004",
        ])
        #expect(map.servingPrimaries.map { map.nodes[$0].port } == [7000, 7001, 7002])
    }

    @Test func shardsLeaveOutReplicasThatAreNotOnlineAndPreferAnOnlinePrimary() throws {
        let reply = RESPValue.array([
            Self.shard([0, 16383], [
                // A failed-over shard: the old primary failed, still listed first.
                Self.shardNode(port: 7000, role: "master", health: "failed", resp3: false),
                Self.shardNode(port: 7003, role: "master", resp3: false),
                Self.shardNode(port: 7004, role: "replica", health: "loading", resp3: false),
                Self.shardNode(port: 7005, role: "replica", resp3: false),
            ], resp3: false),
            // An empty primary: no slots, no ranges.
            Self.shard([], [Self.shardNode(port: 7009, role: "master", resp3: false)], resp3: false),
        ])
        let map = try ClusterSlotMap(clusterShardsReply: reply, sentTo: Self.seed)
        #expect(map.slotRanges.map(\.description) == ["0-16383 127.0.0.1:7003 127.0.0.1:7005"])
    }

    @Test func shardsEndpointForms() throws {
        func primary(endpoint: String?, ip: String = "192.168.1.5", hostname: String? = nil) throws -> UpstreamAddress? {
            let reply = RESPValue.array([
                Self.shard([0, 16383], [
                    Self.shardNode(port: 7100, role: "master", endpoint: endpoint, ip: ip, hostname: hostname, resp3: true),
                ], resp3: true),
            ])
            return try ClusterSlotMap(clusterShardsReply: reply, sentTo: Self.seed).primaryAddress(for: 0)
        }
        #expect(try primary(endpoint: "redis-a.example") == Self.address(7100, "redis-a.example"))
        #expect(try primary(endpoint: "192.168.1.5") == Self.address(7100, "192.168.1.5"))
        // Empty endpoint (unknown-endpoint): the host the command was sent to.
        #expect(try primary(endpoint: "") == Self.address(7100, "10.0.0.9"))
        // "?": a host name is preferred but none configured: the ip.
        #expect(try primary(endpoint: "?") == Self.address(7100, "192.168.1.5"))
        // No endpoint field: the ip.
        #expect(try primary(endpoint: nil) == Self.address(7100, "192.168.1.5"))
        #expect(try primary(endpoint: "::1") == Self.address(7100, "::1"))
        // "?" and no ip: nobody knows where the primary is.
        #expect(throws: ClusterTopologyError.self) { try primary(endpoint: "?", ip: "") }
    }

    /// One CLUSTER SLOTS node: `[endpoint, port, id, {metadata}]`.
    static func slotsNode(_ endpoint: RESPValue, _ port: Int, metadata: [RESPValue] = [], resp3: Bool = false) -> RESPValue {
        .array([endpoint, .integer(Int64(port)), .bulk("id\(port)"), resp3 ? .map(metadata) : .array(metadata)])
    }

    @Test(arguments: [false, true])
    func clusterSlots(resp3: Bool) throws {
        let reply = RESPValue.array([
            .array([.integer(0), .integer(5460), Self.slotsNode(.bulk("127.0.0.1"), 7000, resp3: resp3), Self.slotsNode(.bulk("127.0.0.1"), 7005, resp3: resp3)]),
            .array([.integer(5461), .integer(10922), Self.slotsNode(.bulk("127.0.0.1"), 7001, resp3: resp3)]),
            .array([.integer(10923), .integer(16000), Self.slotsNode(.bulk("127.0.0.1"), 7002, resp3: resp3)]),
            // A second run of the first primary's.
            .array([.integer(16001), .integer(16383), Self.slotsNode(.bulk("127.0.0.1"), 7000, resp3: resp3), Self.slotsNode(.bulk("127.0.0.1"), 7005, resp3: resp3)]),
        ])
        let map = try ClusterSlotMap(clusterSlotsReply: reply, sentTo: Self.seed)
        #expect(map.slotRanges.map(\.description) == [
            "0-5460 127.0.0.1:7000 127.0.0.1:7005",
            "5461-10922 127.0.0.1:7001",
            "10923-16000 127.0.0.1:7002",
            "16001-16383 127.0.0.1:7000 127.0.0.1:7005",
        ])
        #expect(map.servingPrimaries.count == 3)
        #expect(map.nodes.count == 4)
    }

    @Test func slotsEndpointForms() throws {
        func primary(_ endpoint: RESPValue, metadata: [RESPValue] = []) throws -> UpstreamAddress? {
            let reply = RESPValue.array([.array([.integer(0), .integer(16383), Self.slotsNode(endpoint, 7100, metadata: metadata)])])
            return try ClusterSlotMap(clusterSlotsReply: reply, sentTo: Self.seed).primaryAddress(for: 9)
        }
        #expect(try primary(.bulk("redis-a.example"), metadata: [.bulk("ip"), .bulk("192.168.1.5")]) == Self.address(7100, "redis-a.example"))
        // NULL (RESP2 and RESP3) and empty: the host the command was sent to.
        #expect(try primary(.bulkString(nil)) == Self.address(7100, "10.0.0.9"))
        #expect(try primary(.null) == Self.address(7100, "10.0.0.9"))
        #expect(try primary(.bulk("")) == Self.address(7100, "10.0.0.9"))
        // "?": the ip or hostname from the metadata, else unknown.
        #expect(try primary(.bulk("?"), metadata: [.bulk("ip"), .bulk("192.168.1.5")]) == Self.address(7100, "192.168.1.5"))
        #expect(throws: ClusterTopologyError.self) { try primary(.bulk("?")) }
        // Servers before 7.0: [ip, port, id] or [ip, port].
        let old = RESPValue.array([.array([.integer(0), .integer(16383), .array([.bulk("127.0.0.1"), .integer(7000)])])])
        #expect(try ClusterSlotMap(clusterSlotsReply: old, sentTo: Self.seed).primaryAddress(for: 1) == Self.address(7000))
    }

    @Test func aReplicaWithAnUnknownEndpointIsLeftOut() throws {
        let reply = RESPValue.array([
            .array([.integer(0), .integer(16383), Self.slotsNode(.bulk("127.0.0.1"), 7000), Self.slotsNode(.bulk("?"), 7003)]),
        ])
        let map = try ClusterSlotMap(clusterSlotsReply: reply, sentTo: Self.seed)
        #expect(map.replicas(for: 0).isEmpty)
    }

    @Test(arguments: [
        (RESPValue.error("ERR unknown subcommand"), "not an array"),
        (.array([.integer(1)]), "entry 0 is not [start, end, primary"),
        (.array([.array([.integer(0), .integer(16384), slotsNode(.bulk("h"), 1)])]), "0-16384 is not a slot range"),
        (.array([.array([.integer(9), .integer(3), slotsNode(.bulk("h"), 1)])]), "9-3 is not a slot range"),
        (.array([.array([.integer(0), .integer(3), .array([.bulk("h"), .integer(0)])])]), "primary has no valid port: 0"),
        (.array([.array([.integer(0), .integer(3), .array([.integer(5), .integer(7000)])])]), "the endpoint is not a string"),
        (.array([
            .array([.integer(0), .integer(10), slotsNode(.bulk("a"), 1)]),
            .array([.integer(10), .integer(20), slotsNode(.bulk("b"), 1)]),
        ]), "slot 10 is claimed by both a:1 and b:1"),
    ])
    func slotsErrors(reply: RESPValue, message: String) {
        #expect {
            try ClusterSlotMap(clusterSlotsReply: reply, sentTo: Self.seed)
        } throws: { error in
            ((error as? ClusterTopologyError)?.message ?? "").contains(message)
        }
    }

    @Test(arguments: [
        (RESPValue.simple("OK"), "CLUSTER SHARDS reply is not an array: \"OK\""),
        (.array([.array([.bulk("nodes")])]), "CLUSTER SHARDS reply, shard 0 is not a map or a key/value array"),
        (.array([.map([.bulk("nodes"), .array([])])]), "CLUSTER SHARDS reply, shard 0 has no slots field"),
        (.array([shard([1], [], resp3: true)]), "slots is not an array of start/end pairs"),
        (.array([.map([.bulk("slots"), .array([]), .bulk("nodes"), .integer(1)])]), "shard 0 has no nodes array"),
        (.array([shard([0, 1], [.map([.bulk("role"), .bulk("master")])], resp3: true)]), "shard 0, node 0 has no valid port: none"),
        (.array([shard([0, 1], [shardNode(port: 1, role: "leader", resp3: true)], resp3: true)]), "unknown role: \"leader\""),
        (.array([shard([0, 1], [shardNode(port: 1, role: "replica", resp3: true)], resp3: true)]), "serves slots but has no primary"),
    ])
    func shardsErrors(reply: RESPValue, message: String) {
        #expect {
            try ClusterSlotMap(clusterShardsReply: reply, sentTo: Self.seed)
        } throws: { error in
            ((error as? ClusterTopologyError)?.message ?? "").contains(message)
        }
    }

    @Test func assignMovesOneSlot() throws {
        var map = try ClusterSlotMap(clusterShardsReply: Self.threeShards(resp3: false), sentTo: Self.seed)
        let before = map
        // To another primary: its shard, its replicas.
        map.assign(100, to: Self.address(7001))
        #expect(map.primaryAddress(for: 100) == Self.address(7001))
        #expect(map.replicas(for: 100).map { map.nodes[$0] } == [Self.address(7003)])
        #expect(map.primaryAddress(for: 99) == Self.address(7000))
        // To a node the map does not know: a new shard without replicas.
        map.assign(101, to: Self.address(7999))
        #expect(map.primaryAddress(for: 101) == Self.address(7999))
        #expect(map.replicas(for: 101).isEmpty)
        #expect(map.slotRanges.count == 6)
        #expect(before.primaryAddress(for: 100) == Self.address(7000), "a value: the copy is unchanged")
    }

    @Test func anEmptyMapServesNothing() {
        let map = ClusterSlotMap()
        #expect(map.primary(for: 0) == nil)
        #expect(map.replicas(for: 16383).isEmpty)
        #expect(map.coveredSlotCount == 0)
        #expect(map.slotRanges.isEmpty)
    }
}
