@testable import SidecacheUpstream
import Testing

@Suite struct ShardRingTests {
    static func nodes(_ weights: [Int], names: [String]? = nil) -> [ShardNode] {
        weights.enumerated().map { index, weight in
            ShardNode(address: UpstreamAddress(host: "127.0.0.1", port: 7000 + index), weight: weight, name: names?[index])
        }
    }

    static let keys: [[UInt8]] = (0..<5000).map { Array("key:\($0)".utf8) }

    @Test func ketamaNames() {
        #expect(ShardNode(address: UpstreamAddress(host: "10.0.0.1", port: 6379)).ketamaName == "10.0.0.1:6379")
        #expect(ShardNode(address: UpstreamAddress(host: "cache-a", port: 11211)).ketamaName == "cache-a")
        #expect(ShardNode(address: UpstreamAddress(host: "10.0.0.1", port: 6379), name: "shard1").ketamaName == "shard1")
    }

    /// 160 points per node at equal weights; in proportion to weight, rounded down to fours.
    @Test func ketamaPointCounts() {
        func counts(_ weights: [Int]) -> [Int] {
            let (values, owners) = ShardRing.ketamaContinuum(nodes: Self.nodes(weights), live: Array(weights.indices))
            #expect(values == values.sorted())
            return weights.indices.map { node in owners.count { $0 == node } }
        }
        #expect(counts([1, 1, 1]) == [160, 160, 160])
        #expect(counts([1]) == [160])
        #expect(counts([1, 2, 3]) == [80, 160, 240])
        #expect(counts([1, 1, 1000]) == [0, 0, 476])  // floor(0.12) = 0: a light node can get no point
    }

    @Test func ketamaEjectionMovesOnlyTheEjectedNodesKeys() throws {
        let ring = try ShardRing(nodes: Self.nodes([1, 1, 1, 1]))
        let ejected = try ring.withLiveNodes([0, 1, 3])
        #expect(ejected.liveNodes == [0, 1, 3])
        var moved = 0
        for key in Self.keys {
            let before = ring.node(for: key)
            let after = ejected.node(for: key)
            #expect(after != 2)
            if before != 2 { #expect(after == before) } else { moved += 1 }
        }
        #expect(moved > 0)
        // The node's return restores the original placement.
        let returned = try ejected.withLiveNodes(0..<4)
        #expect(Self.keys.allSatisfy { returned.node(for: $0) == ring.node(for: $0) })
    }

    @Test func ketamaUsesEveryNodeRoughlyEvenly() throws {
        let ring = try ShardRing(nodes: Self.nodes([1, 1, 1]), hash: .md5)
        var perNode = [0, 0, 0]
        for key in Self.keys { perNode[ring.node(for: key)] += 1 }
        #expect(perNode.allSatisfy { $0 > 1000 && $0 < 2400 }, "\(perNode)")
    }

    /// Modula: `hash % total weight`, each live node repeated `weight` times in order.
    @Test func modulaSlots() throws {
        let key = Array("123456789".utf8)  // crc32a = 0xCBF43926 = 3421780262
        func node(_ weights: [Int], live: [Int]? = nil) throws -> Int {
            let nodes = Self.nodes(weights)
            return try ShardRing(nodes: nodes, liveNodes: live ?? Array(nodes.indices), hash: .crc32a, distribution: .modula)
                .node(for: key)
        }
        #expect(try node([1, 1, 1]) == 2)  // 3421780262 % 3 = 2
        #expect(try node([1, 2, 3]) == 1)  // % 6 = 2, slots [0, 1, 1, 2, 2, 2]
        #expect(try node([3, 2, 1]) == 0)  // % 6 = 2, slots [0, 0, 0, 1, 1, 2]
        #expect(try node([4, 2, 1]) == 1)  // % 7 = 5, slots [0, 0, 0, 0, 1, 1, 2]
        #expect(try node([1, 2, 4]) == 2)  // % 7 = 5, slots [0, 1, 1, 2, 2, 2, 2]
        #expect(try node([4, 2, 1], live: [1, 2]) == 2)  // % 3 = 2, slots [1, 1, 2]
    }

    /// twemproxy sorts its servers by name, shorter names first, and builds in that order.
    @Test func serverOrderIsTwemproxys() throws {
        let nodes = Self.nodes([1, 1, 1], names: ["shard-b", "shard-aa", "c"])
        let ring = try ShardRing(nodes: nodes, hash: .crc32a, distribution: .modula)
        // 3421780262 % 3 = 2: the third of c, shard-b, shard-aa.
        #expect(ring.node(for: Array("123456789".utf8)) == 1)
        #expect(ring.liveNodes == [0, 1, 2])
    }

    @Test func randomPicksAmongLiveNodesOnly() throws {
        let ring = try ShardRing(nodes: Self.nodes([1, 5, 1]), liveNodes: [0, 2], distribution: .random)
        var seen: Set<Int> = []
        for _ in 0..<200 { seen.insert(ring.node(for: Array("same-key".utf8))) }
        #expect(seen == [0, 2])
    }

    /// twemproxy hashes an empty key (or tag) to 0, and does not hash at all with one node.
    @Test func emptyKeyAndSingleNodeHashToZero() throws {
        let ring = try ShardRing(nodes: Self.nodes([1, 1]), hash: .jenkins)
        #expect(ring.keyHash(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
        let single = try ShardRing(nodes: Self.nodes([1]), hash: .jenkins)
        #expect(Array("abc".utf8).withUnsafeBytes { single.keyHash($0) } == 0)
        #expect(single.node(for: Array("abc".utf8)) == 0)
    }

    @Test func hashTagPutsTaggedKeysTogether() throws {
        let ring = try ShardRing(nodes: Self.nodes([1, 1, 1, 1, 1]), hashTag: ShardHashTag("{}"))
        let anchor = ring.node(for: Array("{user42}".utf8))
        for suffix in 0..<100 {
            #expect(ring.node(for: Array("profile:{user42}:\(suffix)".utf8)) == anchor)
        }
        #expect(Array("x{user42}y".utf8).withUnsafeBytes { ring.keyHash($0) } == ShardHashFunction.fnv1a_64.hash(Array("user42".utf8)))
    }

    @Test func rejectsBadConfigurations() {
        #expect(throws: ShardRingError.noNodes) { try ShardRing(nodes: []) }
        #expect(throws: ShardRingError.invalidWeight(node: 1, weight: 0)) { try ShardRing(nodes: Self.nodes([1, 0])) }
        #expect(throws: ShardRingError.noLiveNodes) { try ShardRing(nodes: Self.nodes([1, 1]), liveNodes: []) }
        #expect(throws: ShardRingError.unknownNode(2)) { try ShardRing(nodes: Self.nodes([1, 1]), liveNodes: [0, 2]) }
        #expect(throws: ShardRingError.duplicateName("a")) { try ShardRing(nodes: Self.nodes([1, 1, 1], names: ["a", "b", "a"])) }
        // A name may not repeat another node's host:port either: that is its ketama name.
        let clash = [ShardNode(address: UpstreamAddress(host: "h", port: 1)), ShardNode(address: UpstreamAddress(host: "x", port: 2), name: "h:1")]
        #expect(throws: ShardRingError.duplicateName("h:1")) { try ShardRing(nodes: clash) }
    }
}
