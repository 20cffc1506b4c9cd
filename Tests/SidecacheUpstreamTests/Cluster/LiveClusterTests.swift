import NIOCore
import NIOPosix
import SidecacheRESP
import SidecacheUpstream
import Testing

/// Slots, discovery and redirects against a real Redis Cluster (3 primaries, 3 replicas),
/// started once for the suite by `scripts/cluster`. Serialized: one test reshards.
@Suite(.serialized, .enabled(if: ClusterServers.available, "needs redis-server, redis-cli and scripts/cluster"), .redisCluster)
struct LiveClusterTests {
    var cluster: ClusterServers { ClusterServers.current! }
    let eventLoop = MultiThreadedEventLoopGroup.singleton.next()

    func discovery(_ seeds: [Int], username: String? = nil, password: String? = nil, resp3: Bool = false) -> ClusterDiscovery {
        var settings = UpstreamConnectionSettings(
            address: cluster.address(seeds[0]), username: username, password: password,
            connectTimeoutMilliseconds: 500, commandTimeoutMilliseconds: 2000
        )
        settings.protocolVersion = resp3 ? .resp3 : .resp2
        return ClusterDiscovery(seeds: seeds.map { cluster.address($0) }, settings: settings)
    }

    /// The 10,000 varied keys of the nutcracker tests: plain, tagged, empty and nested tags,
    /// binary, long, and the empty key.
    var keys: [[UInt8]] { NutcrackerDistributionTests.keys }

    @Test func slotsMatchClusterKeyslot() async throws {
        let requests = keys.map { [Array("CLUSTER".utf8), Array("KEYSLOT".utf8), $0] }
        let replies = try await RESPExchange.run(port: cluster.ports[0], requests)
        var wrong: [String] = []
        for (key, reply) in zip(keys, replies) where reply != .integer(Int64(ClusterKeySlot.slot(for: key))) {
            wrong.append("\(key.prefix(40)): redis \(reply), ours \(ClusterKeySlot.slot(for: key))")
        }
        #expect(replies.count == keys.count)
        #expect(wrong.isEmpty, "\(wrong.count) slots differ, first: \(wrong.prefix(5))")
    }

    /// CLUSTER SLOTS as every node reports it: primary port and replica ports per slot range,
    /// read without `ClusterSlotMap`.
    func clusterSlots(from port: Int) async throws -> [String] {
        let reply = try await RESPExchange.command(port: port, "CLUSTER", "SLOTS")
        guard case .array(let entries?) = reply else { throw TestFailure("CLUSTER SLOTS on \(port): \(reply)") }
        return try entries.map { entry in
            guard case .array(let parts?) = entry, case .integer(let start) = parts[0], case .integer(let end) = parts[1] else {
                throw TestFailure("CLUSTER SLOTS entry \(entry)")
            }
            let nodes = try parts.dropFirst(2).map { node -> String in
                guard case .array(let fields?) = node, case .bulkString(let host?) = fields[0], case .integer(let port) = fields[1] else {
                    throw TestFailure("CLUSTER SLOTS node \(node)")
                }
                return "\(String(buffer: host)):\(port)"
            }
            return "\(start)-\(end) \(nodes[0])" + nodes.dropFirst().sorted().map { " \($0)" }.joined()
        }.sorted()
    }

    func rendered(_ map: ClusterSlotMap) -> [String] {
        map.slotRanges.map { range in
            "\(range.slots.lowerBound)-\(range.slots.upperBound) \(range.primary)"
                + range.replicas.map(\.description).sorted().map { " \($0)" }.joined()
        }.sorted()
    }

    @Test(arguments: [false, true])
    func discoveredMapMatchesEveryNode(resp3: Bool) async throws {
        let map = try await discovery([cluster.ports[0]], resp3: resp3).discover(on: eventLoop)
        #expect(map.coveredSlotCount == 16384)
        #expect(map.servingPrimaries.count == 3)
        #expect(Set(map.nodes.map(\.port)) == Set(cluster.ports))
        for port in cluster.ports {
            #expect(rendered(map) == (try await clusterSlots(from: port)), "node \(port)")
        }
    }

    @Test func everyKeyIsAcceptedByItsPrimary() async throws {
        let map = try await discovery(cluster.ports).discover(on: eventLoop)
        var byPrimary: [Int: [[UInt8]]] = [:]
        for key in keys {
            byPrimary[map.primaryAddress(for: ClusterKeySlot.slot(for: key))!.port, default: []].append(key)
        }
        #expect(byPrimary.count == 3)
        for (port, keys) in byPrimary {
            let replies = try await RESPExchange.run(port: port, keys.map { [Array("SET".utf8), $0, Array("v".utf8)] })
            let refused = replies.filter { $0 != .simple("OK") }
            #expect(refused.isEmpty, "\(refused.count) of \(keys.count) SETs on \(port) refused, first: \(refused.prefix(3))")
        }
    }

    /// An ACL user without CLUSTER SHARDS: discovery falls back to CLUSTER SLOTS, with credentials.
    @Test func fallsBackToClusterSlots() async throws {
        let seed = cluster.ports[1]
        _ = try await cluster.cli(seed, "ACL", "SETUSER", "discoverer", "on", ">secret", "+@all", "-cluster|shards", "~*")
        let asUser = try await RESPExchange.run(port: seed, [
            ["AUTH", "discoverer", "secret"].map { Array($0.utf8) }, ["CLUSTER", "SHARDS"].map { Array($0.utf8) },
        ])
        #expect(asUser[1].text?.hasPrefix("NOPERM") == true, "\(asUser)")
        let map = try await discovery([seed], username: "discoverer", password: "secret").discover(on: eventLoop)
        #expect(rendered(map) == (try await clusterSlots(from: seed)))

        // Wrong password: the error says why.
        await #expect {
            try await discovery([seed], username: "discoverer", password: "wrong").discover(on: eventLoop)
        } throws: { error in
            "\(error)".contains("127.0.0.1:\(seed)") && "\(error)".contains("WRONGPASS")
        }
    }

    @Test func aDeadSeedIsSkipped() async throws {
        let dead = try RefusingPort()
        defer { dead.release() }
        let map = try await discovery([dead.port, cluster.ports[2]]).discover(on: eventLoop)
        #expect(map.coveredSlotCount == 16384)
    }

    @Test func everySeedDeadNamesEach() async throws {
        let first = try RefusingPort()
        let second = try RefusingPort()
        defer { first.release(); second.release() }
        let started = ContinuousClock.now
        await #expect {
            try await discovery([first.port, second.port]).discover(on: eventLoop)
        } throws: { error in
            guard let error = error as? ClusterDiscoveryError else { return false }
            return error.attempts.map(\.address.port) == [first.port, second.port]
                && error.attempts.allSatisfy { $0.reason.contains("connection refused") || $0.reason.contains("unavailable") }
                && error.description.contains("127.0.0.1:\(first.port)") && error.description.contains("127.0.0.1:\(second.port)")
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        // A plain redis-server (cluster support disabled) is no seed either.
        let (plain, plainPort) = try await ShardServers.startRedis()
        defer { plain.stop() }
        await #expect {
            try await discovery([plainPort]).discover(on: eventLoop)
        } throws: { error in
            "\(error)".contains("cluster support disabled")
        }
        await #expect(throws: ClusterDiscoveryError.self) {
            try await ClusterDiscovery(seeds: [], settings: UpstreamConnectionSettings(address: cluster.address(1))).discover(on: eventLoop)
        }
    }

    /// MOVED and ASK as a real node sends them, read by `ClusterRedirect`; then a few slots
    /// resharded with redis-cli, and a refreshed map shows their new owner.
    @Test func redirectsAndReshard() async throws {
        let seed = cluster.address(cluster.ports[0])
        let map = try await discovery([cluster.ports[0]]).discover(on: eventLoop)
        let key = Array("redirect-me".utf8)
        let slot = ClusterKeySlot.slot(for: key)
        let owner = map.primaryAddress(for: slot)!
        let other = map.nodes[map.servingPrimaries.first { map.nodes[$0] != owner }!]

        // MOVED from a primary that does not own the slot.
        let moved = try await RESPExchange.run(port: other.port, [[Array("GET".utf8), key]])[0]
        guard case .simpleError(let movedLine) = moved else { throw TestFailure("GET on \(other): \(moved)") }
        #expect(ClusterRedirect.parse(errorLine: movedLine, sentTo: other) == .moved(slot: slot, address: owner))

        // ASK while the slot is migrating (the key is absent, so the source sends it on).
        let ownerID = try await cluster.cli(owner.port, "CLUSTER", "MYID").trimmingCharacters(in: .whitespacesAndNewlines)
        let otherID = try await cluster.cli(other.port, "CLUSTER", "MYID").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await cluster.cli(other.port, "CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", ownerID)
        _ = try await cluster.cli(owner.port, "CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", otherID)
        let ask = try await RESPExchange.run(port: owner.port, [[Array("GET".utf8), key]])[0]
        _ = try await cluster.cli(owner.port, "CLUSTER", "SETSLOT", "\(slot)", "STABLE")
        _ = try await cluster.cli(other.port, "CLUSTER", "SETSLOT", "\(slot)", "STABLE")
        guard case .simpleError(let askLine) = ask else { throw TestFailure("GET on migrating \(owner): \(ask)") }
        #expect(ClusterRedirect.parse(errorLine: askLine, sentTo: owner) == .ask(slot: slot, address: other))

        // Reshard 4 slots from the owner to the other primary.
        let (status, output) = try await ClusterServers.run("/usr/bin/redis-cli", [
            "--cluster", "reshard", "\(seed)", "--cluster-from", ownerID, "--cluster-to", otherID,
            "--cluster-slots", "4", "--cluster-yes",
        ])
        #expect(status == 0, "redis-cli --cluster reshard: \(output.suffix(500))")
        // The seed learns the new owners from the cluster bus: refresh until it has.
        var refreshed = map
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            refreshed = try await discovery([cluster.ports[0]]).discover(on: eventLoop)
            if (0..<16384).filter({ refreshed.primary(for: $0) != nil && refreshed.primaryAddress(for: $0) != map.primaryAddress(for: $0) }).count == 4 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let changed = (0..<16384).filter { refreshed.primaryAddress(for: $0) != map.primaryAddress(for: $0) }
        #expect(changed.count == 4, "slots that changed owner: \(changed)")
        for slot in changed {
            #expect(map.primaryAddress(for: slot) == owner)
            #expect(refreshed.primaryAddress(for: slot) == other)
            // A key of the slot: the new owner takes it, the old one redirects there.
            let key = Array((0...).lazy.map { "moved:\($0)" }.first { ClusterKeySlot.slot(for: Array($0.utf8)) == slot }!.utf8)
            let set = [Array("SET".utf8), key, Array("v".utf8)]
            #expect(try await RESPExchange.run(port: other.port, [set])[0] == .simple("OK"))
            guard case .simpleError(let line) = try await RESPExchange.run(port: owner.port, [set])[0] else {
                throw TestFailure("SET on the old owner was not refused")
            }
            #expect(ClusterRedirect.parse(errorLine: line, sentTo: owner) == .moved(slot: slot, address: other))
        }
        #expect(rendered(refreshed) == (try await clusterSlots(from: cluster.ports[0])))
    }
}
