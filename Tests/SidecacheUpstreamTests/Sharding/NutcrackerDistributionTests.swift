import NIOCore
import SidecacheRESP
import SidecacheUpstream
import Testing

/// Every key on the node nutcracker puts it on: three real redis-servers behind a real
/// nutcracker, 10,000 keys SET through nutcracker, then each redis-server asked what it holds
/// (`KEYS *`) and every key checked against `ShardRing.node(for:)` for the same configuration.
@Suite(.serialized, .enabled(if: ShardServers.available))
struct NutcrackerDistributionTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var distribution: ShardDistribution
        /// `nil`: no `hash:` line, so nutcracker's default (fnv1a_64).
        var hash: ShardHashFunction?
        var weights: [Int] = [1, 1, 1]
        /// Servers with names (`host:port:weight name`) or without.
        var named = false
        var hashTag: String? = "{}"
        /// How many of `keys` to SET (all 10,000 for the cases issue 7 names).
        var keyCount = 10_000

        /// Names in an order that is neither twemproxy's (shorter first) nor alphabetical.
        static let names = ["shard-b", "shard-aa", "c"]

        var testDescription: String {
            "\(distribution.name) \(hash?.name ?? "default hash") weights \(weights)"
                + (named ? " named" : "") + (hashTag.map { " hash_tag \($0)" } ?? "") + ", \(keyCount) keys"
        }

        func nodes(_ ports: [Int]) -> [ShardNode] {
            zip(ports, weights).enumerated().map { index, server in
                ShardNode(
                    address: UpstreamAddress(host: "127.0.0.1", port: server.0),
                    weight: server.1,
                    name: named ? Self.names[index] : nil
                )
            }
        }

        func ring(_ ports: [Int]) throws -> ShardRing {
            try ShardRing(
                nodes: nodes(ports), hash: hash ?? .default, distribution: distribution,
                hashTag: hashTag.flatMap(ShardHashTag.init)
            )
        }

        func configuration(listen: Int, ports: [Int], extra: [String] = []) -> String {
            var lines = ["sidecache_test:", "  listen: 127.0.0.1:\(listen)", "  redis: true", "  timeout: 5000"]
            lines.append("  distribution: \(distribution.name)")
            if let hash { lines.append("  hash: \(hash.name)") }
            if let hashTag { lines.append("  hash_tag: \"\(hashTag)\"") }
            lines += extra.map { "  " + $0 }
            lines.append("  servers:")
            for node in nodes(ports) {
                let name = node.name.map { " " + $0 } ?? ""
                lines.append("   - \(node.address.host):\(node.address.port):\(node.weight)\(name)")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static let scenarios: [Scenario] = [
        // The cases issue 7 names: ketama with the default hash, md5 and murmur; modula with
        // crc32a and one_at_a_time; with and without names, weights and hash tags.
        Scenario(distribution: .ketama, hash: nil, hashTag: nil),
        Scenario(distribution: .ketama, hash: .fnv1a_64, named: true),
        Scenario(distribution: .ketama, hash: .md5, weights: [1, 2, 3], named: true),
        Scenario(distribution: .ketama, hash: .murmur, weights: [3, 1, 2]),
        Scenario(distribution: .modula, hash: .crc32a, weights: [1, 1, 2]),
        Scenario(distribution: .modula, hash: .oneAtATime, weights: [2, 1, 1], named: true, hashTag: nil),
    ]
    // Every other hash once, under ketama (which looks at all 32 bits of the hash), with fewer
    // keys to keep the suite short: one wrong hash misplaces about half of them.
    + [ShardHashFunction.oneAtATime, .crc16, .crc32, .crc32a, .fnv1_64, .fnv1_32, .fnv1a_32, .hsieh, .jenkins]
        .map { Scenario(distribution: .ketama, hash: $0, weights: [1, 2, 1], keyCount: 3000) }

    /// 10,000 distinct keys: plain, hash-tagged (many sharing a tag), tags that are empty,
    /// unclosed or nested, binary bytes (0x00...0xFF, which the signed-char quirks depend on),
    /// lengths from 0 to a few hundred bytes (every hash's tail and block cases), and the empty key.
    static let keys: [[UInt8]] = {
        var random = SplitMix64(seed: 0x5eed_cafe)
        var keys: [[UInt8]] = [[]]
        var seen: Set<[UInt8]> = [[]]
        var index = 0
        while keys.count < 10_000 {
            index += 1
            let number = Array(String(index).utf8)
            var key: [UInt8]
            switch index % 6 {
            case 0: key = Array("key:".utf8) + number
            case 1: key = Array("user:{\(index % 97)}:field".utf8) + number
            case 2: key = (0..<random.next(below: 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) } + number
            case 3:
                let forms = ["{}\(index)", "x{\(index)", "\(index)}y{", "{{\(index)}}", "a{}{\(index)}", "{\(index)"]
                key = Array(forms[index / 6 % forms.count].utf8)
            case 4: key = (0..<random.next(below: 300)).map { _ in UInt8(ascii: "a") + UInt8(random.next(below: 26)) }
            default: key = Array("{\u{e9}\u{2603}:\(index % 13)}".utf8) + number
            }
            if seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }()

    @Test(arguments: scenarios)
    func sameNodeAsNutcracker(_ scenario: Scenario) async throws {
        try await ShardServers.withRedisServers(scenario.weights.count) { started in
            // Ports in descending order, so that twemproxy's server order (by "host:port") is
            // the reverse of the configuration's.
            let ports = started.sorted(by: >)
            let ring = try scenario.ring(ports)
            let keys = Array(Self.keys.prefix(scenario.keyCount))
            try await ShardServers.withNutcracker(configuration: { scenario.configuration(listen: $0, ports: ports) }) {
                try await Self.set(keys, through: $0)
            }
            try await Self.expectPlacement(of: keys, on: ports, as: ring)
        }
    }

    /// twemproxy drops the port from a nameless server's ketama name when it is 11211. Runs only
    /// when that port is free here.
    @Test func nameOmitsPort11211() async throws {
        guard let (defaultPortServer, _) = try? await ShardServers.startRedis(port: 11211) else { return }
        defer { defaultPortServer.stop() }
        try await ShardServers.withRedisServers(2) { others in
            let ports = [11211] + others
            let scenario = Scenario(distribution: .ketama, hash: nil, hashTag: nil)
            #expect(scenario.nodes(ports)[0].ketamaName == "127.0.0.1")
            try await ShardServers.withNutcracker(configuration: { scenario.configuration(listen: $0, ports: ports) }) {
                try await Self.set(Self.keys, through: $0)
            }
            try await Self.expectPlacement(of: Self.keys, on: ports, as: scenario.ring(ports))
        }
    }

    /// With `auto_eject_hosts`, nutcracker rebuilds its continuum over the live servers when one
    /// fails, and again when its retry time has passed: `withLiveNodes(_:)` must agree both times.
    @Test func ejectionAndReturnLikeNutcracker() async throws {
        let scenario = Scenario(distribution: .ketama, hash: nil, weights: [1, 1, 1], named: false, hashTag: "{}")
        let extra = ["auto_eject_hosts: true", "server_failure_limit: 1", "server_retry_timeout: 3000"]
        let keys = Array(Self.keys.prefix(5000))
        try await ShardServers.withRedisServers(2) { live in
            // The middle server is down before nutcracker first reaches it: its port refuses
            // connections, and is held so that no other process starts a server on it.
            let down = try RefusingPort()
            defer { down.release() }
            let ports = [live[0], down.port, live[1]]
            let ring = try scenario.ring(ports)
            try await ShardServers.withNutcracker(
                configuration: { scenario.configuration(listen: $0, ports: ports, extra: extra) }
            ) { proxy in
                // Requests that reach the down server fail, and its first failure ejects it. The
                // probes are keys the full ring puts on it (similar keys cluster on the continuum
                // with FNV, so arbitrary ones might all miss it).
                let probes = (0..<10_000).lazy.map { Array("probe:\($0)".utf8) }.filter { ring.node(for: $0) == 1 }
                    .prefix(20).map { [Array("SET".utf8), $0, Array("v".utf8)] }
                let ejectedAt = ContinuousClock.now
                let probeReplies = try await RESPExchange.run(port: proxy, Array(probes))
                #expect(probeReplies.first.map { if case .simpleError = $0 { true } else { false } } == true)
                for port in live { _ = try await RESPExchange.command(port: port, "FLUSHALL") }

                try await Self.set(keys, through: proxy)
                try await Self.expectPlacement(of: keys, on: live, as: ring.withLiveNodes([0, 2]), nodeIndices: [0, 2])
                #expect(ContinuousClock.now - ejectedAt < .seconds(3), "the check must end before the retry time")

                // The server returns; past the retry time nutcracker puts it back on the continuum.
                down.release()
                let (returned, _) = try await ShardServers.startRedis(port: down.port)
                defer { returned.stop() }
                try await Task.sleep(until: ejectedAt + .milliseconds(3300))
                for port in ports { _ = try await RESPExchange.command(port: port, "FLUSHALL") }
                try await Self.set(keys, through: proxy)
                try await Self.expectPlacement(of: keys, on: ports, as: ring)
            }
        }
    }

    // MARK: Helpers

    /// SETs every key (value: the key) through nutcracker, pipelined, and expects +OK for each.
    static func set(_ keys: [[UInt8]], through port: Int) async throws {
        let requests = keys.map { [Array("SET".utf8), $0, $0] }
        let replies = try await RESPExchange.run(port: port, requests)
        let failures = replies.filter { $0 != .simpleString(ByteBuffer(string: "OK")) }
        #expect(failures.isEmpty, "\(failures.count) SETs through nutcracker failed, first: \(failures.prefix(3))")
    }

    /// Every key is on exactly the server `ring` picks, and on no other. `nodeIndices[i]` is the
    /// ring's index of the server on `ports[i]`.
    static func expectPlacement(
        of keys: [[UInt8]],
        on ports: [Int],
        as ring: ShardRing,
        nodeIndices: [Int]? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var holder: [[UInt8]: Int] = [:]
        var held = 0
        for (position, port) in ports.enumerated() {
            let reply = try await RESPExchange.run(port: port, [[Array("KEYS".utf8), Array("*".utf8)]])[0]
            guard case .array(let elements?) = reply else { throw TestFailure("KEYS * on \(port): \(reply)") }
            for case .bulkString(let key?) in elements {
                held += 1
                holder[Array(key.readableBytesView), default: 0] = (nodeIndices ?? Array(ports.indices))[position]
            }
        }
        #expect(held == keys.count, "the servers hold \(held) keys, not \(keys.count)", sourceLocation: sourceLocation)
        var misplaced: [String] = []
        for key in keys {
            let expected = ring.node(for: key)
            if holder[key] != expected {
                misplaced.append("\(key.prefix(40)): nutcracker \(holder[key].map(String.init) ?? "none"), ring \(expected)")
            }
        }
        #expect(misplaced.isEmpty, "\(misplaced.count) keys misplaced, first: \(misplaced.prefix(5))", sourceLocation: sourceLocation)
    }
}

/// A small seeded generator, so that the keys are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
