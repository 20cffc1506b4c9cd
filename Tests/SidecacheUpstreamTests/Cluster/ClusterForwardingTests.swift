import Logging
import NIOCore
import NIOPosix
import SidecacheConfig
import SidecacheRESP
import SidecacheServer
import SidecacheUpstream
import Synchronization
import Testing

/// A sidecar in cluster mode in front of a real Redis Cluster (3 primaries, 3 replicas): keys
/// routed by slot, multi-key commands split by slot and merged, MOVED and ASK followed
/// during a slot migration, and a live reshard under traffic without a wrong reply.
@Suite(.serialized, .enabled(if: ClusterServers.available, "needs redis-server, redis-cli and scripts/cluster"), .redisCluster)
struct ClusterForwardingTests {
    var cluster: ClusterServers { ClusterServers.current! }

    /// A sidecar whose seed is the cluster's first node, once its slot map is known.
    func withSidecar<T>(readFrom: ClusterReadPolicy = .primary, _ body: (Int) async throws -> T) async throws -> T {
        var configuration = SidecacheConfiguration()
        configuration.server.bind = ["127.0.0.1"]
        configuration.server.port = 0
        configuration.upstream.mode = .cluster
        configuration.upstream.nodes = [UpstreamNodeConfiguration(host: "127.0.0.1", port: cluster.ports[0])]
        configuration.upstream.commandTimeoutMilliseconds = 2000
        configuration.upstream.fanOutDangerous = true
        configuration.upstream.readFrom = readFrom
        let server = SidecacheServer(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await server.start()
        let port = try #require(server.boundAddresses.first?.port)
        do {
            try await SentinelDeployment.waitUntil("the slot map", within: .seconds(10)) {
                try await RESPExchange.command(port: port, "SET", "probe", "1") == .simple("OK")
            }
            let result = try await body(port)
            await server.shutdown(grace: .seconds(1))
            return result
        } catch {
            await server.shutdown(grace: .seconds(1))
            throw error
        }
    }

    static func key(inSlot slot: Int, prefix: String) -> String {
        (0...).lazy.map { "\(prefix):\($0)" }.first { ClusterKeySlot.slot(for: Array($0.utf8)) == slot }!
    }

    @Test func keysAreRoutedBySlotAndMultiKeyCommandsSplit() async throws {
        try await withSidecar { port in
            let keys = (0..<500).map { "user:\($0)" }
            let sets = keys.map { [Array("SET".utf8), Array($0.utf8), Array("v-\($0)".utf8)] }
            #expect(try await RESPExchange.run(port: port, sets).allSatisfy { $0 == .simple("OK") })
            // Each key is on the primary that owns its slot (a direct GET there needs no redirect).
            let map = try await ClusterDiscovery(
                seeds: [cluster.address(cluster.ports[0])],
                settings: UpstreamConnectionSettings(address: cluster.address(cluster.ports[0]))
            ).discover(on: MultiThreadedEventLoopGroup.singleton.next())
            for key in keys.prefix(50) {
                let owner = try #require(map.primaryAddress(for: ClusterKeySlot.slot(for: Array(key.utf8))))
                #expect(try await RESPExchange.command(port: owner.port, "GET", key) == .bulk("v-\(key)"))
            }
            let wanted = ["user:7", "nope", "user:300", "user:0", "user:7"]
            let mget = try await RESPExchange.run(port: port, [(["MGET"] + wanted).map { Array($0.utf8) }])[0]
            #expect(mget == .array(wanted.map { $0 == "nope" ? .bulkString(nil) : .bulk("v-\($0)") }))
            #expect(try await RESPExchange.command(port: port, "EXISTS", "user:1", "user:2", "nope") == .integer(2))
            #expect(try await RESPExchange.command(port: port, "DBSIZE") == .integer(501))
            let rename = try await RESPExchange.command(port: port, "RENAME", "user:1", "user:2")
            #expect(rename == .error("CROSSSLOT Keys in request don't hash to the same slot"))
            #expect(try await RESPExchange.command(port: port, "RENAME", "{u}a", "{u}b") == .error("ERR no such key"))
            let deleted = try await RESPExchange.run(port: port, [(["DEL"] + keys + ["probe"]).map { Array($0.utf8) }])[0]
            #expect(deleted == .integer(501))
        }
    }

    @Test func readsGoToAReplicaWhenAsked() async throws {
        try await withSidecar(readFrom: .replica) { port in
            let seed = cluster.address(cluster.ports[0])
            let map = try await ClusterDiscovery(seeds: [seed], settings: UpstreamConnectionSettings(address: seed))
                .discover(on: MultiThreadedEventLoopGroup.singleton.next())
            let key = "replicated-key"
            let slot = ClusterKeySlot.slot(for: Array(key.utf8))
            let primary = try #require(map.primaryAddress(for: slot))
            let replica = map.nodes[try #require(map.replicas(for: slot).first)]
            #expect(try await RESPExchange.command(port: port, "SET", key, "copied") == .simple("OK"))
            _ = try await RESPExchange.command(port: primary.port, "WAIT", "1", "2000")
            func gets(_ node: UpstreamAddress) async throws -> Int {
                let stats = try await RESPExchange.command(port: node.port, "INFO", "commandstats").text ?? ""
                let line = stats.split(separator: "\r\n").first { $0.hasPrefix("cmdstat_get:") } ?? ""
                return Int(line.split(separator: "=").dropFirst().first?.split(separator: ",").first ?? "0") ?? 0
            }
            let before = try await gets(replica)
            #expect(try await RESPExchange.command(port: port, "GET", key) == .bulk("copied"))
            #expect(try await gets(replica) == before + 1)
            // Writes still go to the primary.
            #expect(try await RESPExchange.command(port: port, "SET", key, "again") == .simple("OK"))
            #expect(try await RESPExchange.command(port: primary.port, "GET", key) == .bulk("again"))
        }
    }

    @Test func askAndMovedAreFollowedDuringAMigration() async throws {
        try await withSidecar { port in
            let map = try await ClusterDiscovery(
                seeds: [cluster.address(cluster.ports[0])],
                settings: UpstreamConnectionSettings(address: cluster.address(cluster.ports[0]))
            ).discover(on: MultiThreadedEventLoopGroup.singleton.next())
            let key = "migrating-key"
            let slot = ClusterKeySlot.slot(for: Array(key.utf8))
            let owner = try #require(map.primaryAddress(for: slot))
            let other = map.nodes[try #require(map.servingPrimaries.first { map.nodes[$0] != owner })]
            #expect(try await RESPExchange.command(port: port, "SET", key, "value") == .simple("OK"))
            let ownerID = try await cluster.cli(owner.port, "CLUSTER", "MYID").trimmingCharacters(in: .whitespacesAndNewlines)
            let otherID = try await cluster.cli(other.port, "CLUSTER", "MYID").trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try await cluster.cli(other.port, "CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", ownerID)
            _ = try await cluster.cli(owner.port, "CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", otherID)
            _ = try await cluster.cli(owner.port, "MIGRATE", "127.0.0.1", "\(other.port)", key, "0", "5000")
            // The key has left the owner: it answers ASK, and the sidecar asks the importing node.
            #expect(try await RESPExchange.command(port: port, "GET", key) == .bulk("value"))
            for node in cluster.ports.prefix(3) {
                _ = try await cluster.cli(node, "CLUSTER", "SETSLOT", "\(slot)", "NODE", otherID)
            }
            // The migration is over: the old owner answers MOVED, and the sidecar follows it.
            #expect(try await RESPExchange.command(port: port, "GET", key) == .bulk("value"))
            #expect(try await RESPExchange.command(port: port, "SET", key, "after") == .simple("OK"))
            #expect(try await RESPExchange.command(port: other.port, "GET", key) == .bulk("after"))
            let info = try await RESPExchange.command(port: port, "INFO", "upstream").text ?? ""
            #expect(info.contains("upstream_mode:cluster\r\n"))
            #expect(info.contains("cluster_slots_covered:16384\r\n"))
        }
    }

    @Test func aLiveReshardGivesNoWrongReply() async throws {
        try await withSidecar { port in
            let keys = (0..<300).map { "reshard:\($0)" }
            _ = try await RESPExchange.run(port: port, keys.map { [Array("SET".utf8), Array($0.utf8), Array("0".utf8)] })
            let seed = cluster.address(cluster.ports[0])
            let map = try await ClusterDiscovery(seeds: [seed], settings: UpstreamConnectionSettings(address: seed))
                .discover(on: MultiThreadedEventLoopGroup.singleton.next())
            let from = map.nodes[map.servingPrimaries[0]]
            let to = map.nodes[map.servingPrimaries[1]]
            let fromID = try await cluster.cli(from.port, "CLUSTER", "MYID").trimmingCharacters(in: .whitespacesAndNewlines)
            let toID = try await cluster.cli(to.port, "CLUSTER", "MYID").trimmingCharacters(in: .whitespacesAndNewlines)
            let wrong = Atomic<Int>(0)
            let errors = Atomic<Int>(0)
            let done = Atomic<Bool>(false)
            async let traffic: Int = {
                var round = 0
                while !done.load(ordering: .relaxed) {
                    round += 1
                    let requests = keys.map { [Array("INCR".utf8), Array($0.utf8)] }
                    let replies = try await RESPExchange.run(port: port, requests)
                    for reply in replies {
                        switch reply {
                        case .integer(let value) where value == Int64(round): break
                        case .simpleError: errors.add(1, ordering: .relaxed)
                        default: wrong.add(1, ordering: .relaxed)
                        }
                    }
                    if replies.contains(where: { if case .simpleError = $0 { true } else { false } }) { break }
                }
                return round
            }()
            let (status, output) = try await ClusterServers.run("/usr/bin/redis-cli", [
                "--cluster", "reshard", "\(seed)", "--cluster-from", fromID, "--cluster-to", toID,
                "--cluster-slots", "300", "--cluster-yes",
            ])
            done.store(true, ordering: .relaxed)
            let rounds = try await traffic
            #expect(status == 0, "redis-cli --cluster reshard: \(output.suffix(300))")
            #expect(rounds > 0)
            #expect(wrong.load(ordering: .relaxed) == 0)
            #expect(errors.load(ordering: .relaxed) == 0)
            // Every key saw every round once, read through the sidecar's now stale map (MOVED).
            let values = try await RESPExchange.run(port: port, keys.map { [Array("GET".utf8), Array($0.utf8)] })
            #expect(values.allSatisfy { $0 == .bulk("\(rounds)") })
            let info = try await RESPExchange.command(port: port, "INFO", "upstream").text ?? ""
            #expect(info.contains("cluster_slots_covered:16384\r\n"))
            let redirects = info.split(separator: "\r\n").first { $0.hasPrefix("cluster_redirects_followed:") }
            #expect((redirects.flatMap { Int($0.split(separator: ":")[1]) } ?? 0) > 0)
        }
    }
}
