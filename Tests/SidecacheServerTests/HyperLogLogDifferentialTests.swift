import SidecacheRESP
import Testing

/// PFADD, PFCOUNT, PFMERGE and PFDEBUG against a real redis-server 7.0.15, byte for byte in
/// RESP2 and RESP3 — the HLL values themselves included (GET after every kind of update),
/// and values carried from one server to the other with DUMP/RESTORE.
///
/// Not covered here: WRONGTYPE for lists, hashes, sets and sorted sets (their commands are
/// other helpers' work; the engine tests cover the generic WRONGTYPE with a Bloom filter).
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct HyperLogLogDifferentialTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// `SET key value` with a binary value.
    static func set(_ key: String, _ value: [UInt8]) -> RawCase {
        RawCase(bytes: [bytes("SET"), bytes(key), value])
    }

    /// A sparse HLL header (cache stale unless `cache` is given) followed by `body`.
    static func sparse(_ body: [UInt8], cache: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x80]) -> [UInt8] {
        bytes("HYLL") + [1, 0, 0, 0] + cache + body
    }

    /// PFADD of `count` elements named `prefix0`, `prefix1`, … in commands of at most 1000.
    static func adds(_ key: String, _ count: Int, prefix: String = "e") -> [RawCase] {
        stride(from: 0, to: count, by: 1000).map { start in
            RawCase(["PFADD", key] + (start..<min(count, start + 1000)).map { "\(prefix)\($0)" })
        }
    }

    @Test func basicsAndErrors() async throws {
        let cases: [RawCase] = [
            RawCase("FLUSHALL"),
            RawCase("PFADD", "h"),
            RawCase("GET", "h"),
            RawCase("PFADD", "h"),
            RawCase("PFCOUNT", "h"),
            RawCase("PFADD", "h", "a", "b", "c", "a"),
            RawCase("GET", "h"),
            RawCase("PFADD", "h", "b"),
            RawCase("PFCOUNT", "h"),
            RawCase("GET", "h"),
            RawCase("PFCOUNT", "h", "nokey"),
            RawCase("PFCOUNT", "nokey"),
            RawCase("PFCOUNT", "nokey", "other"),
            RawCase("TYPE", "h"),
            RawCase("OBJECT", "ENCODING", "h"),
            RawCase("PFDEBUG", "ENCODING", "h"),
            RawCase("PFDEBUG", "DECODE", "h"),
            RawCase("pfdebug", "encoding", "h"),
            RawCase("PFDEBUG", "NOPE", "h"),
            RawCase("PFDEBUG", "NOPE", "nokey"),
            RawCase("PFDEBUG", "GETREG", "nokey"),
            RawCase("PFDEBUG", "TODENSE", "h"),
            RawCase("PFDEBUG", "TODENSE", "h"),
            RawCase("PFDEBUG", "DECODE", "h"),
            RawCase("PFDEBUG", "ENCODING", "h"),
            RawCase("GET", "h"),
            RawCase("PFDEBUG", "GETREG", "h"),
            RawCase("PFADD", "h", "d", "e"),
            RawCase("PFCOUNT", "h"),
            RawCase("PFMERGE", "m"),
            RawCase("GET", "m"),
            RawCase("PFMERGE", "m", "h"),
            RawCase("PFDEBUG", "ENCODING", "m"),
            RawCase("PFCOUNT", "m"),
            RawCase("PFADD", "s", "x", "y"),
            RawCase("PFMERGE", "s2", "s", "nokey"),
            RawCase("GET", "s2"),
            RawCase("PFMERGE", "s", "s2"),
            RawCase("GET", "s"),
            // Strings that are not HLLs.
            RawCase("SET", "str", "hello"),
            RawCase("SET", "int", "123"),
            RawCase("SET", "long", String(repeating: "x", count: 100)),
            RawCase("PFADD", "str", "a"),
            RawCase("PFADD", "int"),
            RawCase("PFCOUNT", "long"),
            RawCase("PFCOUNT", "h", "str"),
            RawCase("PFMERGE", "str", "h"),
            RawCase("PFMERGE", "h", "int"),
            RawCase("PFDEBUG", "ENCODING", "str"),
            Self.set("magic", Self.bytes("HYLX") + Array(Self.sparse([0x7F, 0xFF]).dropFirst(4))),
            Self.set("encoding", Self.bytes("HYLL") + [2] + Array(Self.sparse([0x7F, 0xFF]).dropFirst(5))),
            Self.set("short", Self.bytes("HYLL")),
            Self.set("dense-size", Self.bytes("HYLL") + [0] + [UInt8](repeating: 0, count: 100)),
            RawCase("PFADD", "magic", "a"),
            RawCase("PFCOUNT", "encoding"),
            RawCase("PFCOUNT", "short", "h"),
            RawCase("PFMERGE", "x", "dense-size"),
            RawCase("EXISTS", "x"),
            // Arity.
            RawCase("PFADD"),
            RawCase("PFCOUNT"),
            RawCase("PFMERGE"),
            RawCase("PFDEBUG", "ENCODING"),
            RawCase("PFDEBUG", "ENCODING", "h", "extra"),
        ]
        try await RawDifferential.compare(cases, label: "PF basics")
    }

    /// Values written with SET: embstr HLLs, cached cardinalities (believed as they are),
    /// and corrupt sparse opcodes.
    @Test func valuesWrittenAsStrings() async throws {
        var cases: [RawCase] = [RawCase("FLUSHALL")]
        let bodies: [(String, [UInt8])] = [
            ("empty", [0x7F, 0xFF]),
            ("nothing", []),
            ("few", [0x7F, 0xFE]),
            ("past", [0x7F, 0xFF, 0x80]),
            ("pastval", [0x7F, 0xFE, 0x81]),
            ("cut", [0x7F]),
            ("zeros", [UInt8](repeating: 0x3F, count: 256)),
            ("toomany", [UInt8](repeating: 0x3F, count: 300)),
            ("vals", [0x80, 0x8F, 0xFF, 0x7F, 0xF0]),
        ]
        for (key, body) in bodies {
            cases += [
                Self.set(key, Self.sparse(body)),
                RawCase("OBJECT", "ENCODING", key),
                RawCase("PFCOUNT", key),
                RawCase("OBJECT", "ENCODING", key),
                RawCase("PFCOUNT", key, "nokey"),
                RawCase("PFMERGE", "merged-\(key)", key),
                RawCase("GET", "merged-\(key)"),
                RawCase("PFADD", key, "a", "b", "c", "d", "e", "f"),
                RawCase("GET", key),
                RawCase("PFDEBUG", "DECODE", key),
                RawCase("PFDEBUG", "TODENSE", key),
                RawCase("PFCOUNT", key),
            ]
        }
        cases += [
            Self.set("cached", Self.sparse([0x7F, 0xFF], cache: [0x39, 0x05, 0, 0, 0, 0, 0, 0])),
            RawCase("PFCOUNT", "cached"),
            RawCase("OBJECT", "ENCODING", "cached"),
            Self.set("huge", Self.sparse([0x7F, 0xFF], cache: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])),
            RawCase("PFCOUNT", "huge"),
            Self.set("full", Self.bytes("HYLL") + [0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0x80] + [UInt8](repeating: 0xFF, count: 12_288)),
            RawCase("PFCOUNT", "full"),
            RawCase("GET", "full"),
            RawCase("PFMERGE", "full2", "full", "empty"),
            RawCase("PFCOUNT", "full2", "empty"),
        ]
        try await RawDifferential.compare(cases, label: "PF values")
    }

    /// The estimates for 10, 1,000 and 100,000 elements, and the HLL bytes behind them:
    /// sparse, promoted to dense, merged.
    @Test func estimatesAndBytesAtThreeSizes() async throws {
        var cases: [RawCase] = [RawCase("FLUSHALL")]
        for count in [10, 1_000, 100_000] {
            let key = "h\(count)"
            cases += Self.adds(key, count, prefix: "item:")
            cases += [
                RawCase("PFDEBUG", "ENCODING", key), RawCase("GET", key), RawCase("PFCOUNT", key), RawCase("GET", key),
            ]
        }
        cases += Self.adds("other", 5_000, prefix: "item:")
        cases += [
            RawCase("PFCOUNT", "h10", "h1000", "h100000", "other"),
            RawCase("PFCOUNT", "h1000", "other"),
            RawCase("PFMERGE", "sparse-union", "h10", "h1000"),
            RawCase("PFDEBUG", "ENCODING", "sparse-union"),
            RawCase("GET", "sparse-union"),
            RawCase("PFMERGE", "dense-union", "h10", "h100000"),
            RawCase("GET", "dense-union"),
            RawCase("PFCOUNT", "dense-union"),
            RawCase("PFMERGE", "h10", "other"),
            RawCase("GET", "h10"),
            RawCase("PFCOUNT", "h10"),
        ]
        try await RawDifferential.compare(cases, label: "PF estimates")
    }

    /// One element at a time across the sparse → dense promotion, the bytes after each.
    @Test func promotionToDense() async throws {
        var cases: [RawCase] = [RawCase("FLUSHALL")]
        for element in 0..<1_800 {
            cases.append(RawCase("PFADD", "h", "element:\(element)"))
            if element % 7 == 0 || element > 1_550 { cases.append(RawCase("GET", "h")) }
        }
        cases += [RawCase("PFDEBUG", "ENCODING", "h"), RawCase("PFCOUNT", "h")]
        try await RawDifferential.compare(cases, protocolVersions: [2], label: "PF promotion")
    }

    /// An HLL built by redis-server, DUMPed and RESTOREd here, counts and merges the same; and
    /// one built here goes back to redis-server the same way.
    @Test func valuesCopiedWithDumpAndRestore() async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                let reference = try await TestClient.connect(port: redis.port)
                let subject = try await sidecache.connect()
                for (from, to) in [(reference, subject), (subject, reference)] {
                    _ = try await from.command("FLUSHALL")
                    _ = try await to.command("FLUSHALL")
                    var setup: [[[UInt8]]] = []
                    for (key, count) in [("small", 50), ("large", 20_000)] {
                        setup += Self.adds(key, count).map(\.arguments)
                        if key == "small" { setup.append([Self.bytes("PFCOUNT"), Self.bytes(key)]) }
                    }
                    _ = try await from.pipelineRaw(setup)
                    for key in ["small", "large"] {
                        let dump = try await from.pipelineRaw([[Self.bytes("DUMP"), Self.bytes(key)]])[0]
                        guard dump.first == UInt8(ascii: "$"), let header = dump.firstIndex(of: 0x0A) else {
                            Issue.record("DUMP \(key) replied \(RawDifferential.render(dump))")
                            continue
                        }
                        let payload = Array(dump[(header + 1)..<(dump.count - 2)])
                        let restore = [Self.bytes("RESTORE"), Self.bytes(key), Self.bytes("0"), payload]
                        #expect(try await to.pipelineRaw([restore])[0] == Array("+OK\r\n".utf8))
                    }
                    let checks: [[[UInt8]]] = [
                        ["GET", "small"], ["PFCOUNT", "small"], ["GET", "large"], ["PFCOUNT", "large"],
                        ["PFCOUNT", "small", "large"], ["PFADD", "small", "new"], ["GET", "small"], ["PFCOUNT", "small"],
                        ["PFMERGE", "both", "small", "large"], ["GET", "both"],
                    ].map { $0.map(Self.bytes) }
                    let expected = try await from.pipelineRaw(checks)
                    let actual = try await to.pipelineRaw(checks)
                    for (index, check) in checks.enumerated() {
                        #expect(
                            expected[index] == actual[index],
                            "\(check.map { String(decoding: $0, as: UTF8.self) }): \(RawDifferential.render(Array(expected[index].prefix(80)))) vs \(RawDifferential.render(Array(actual[index].prefix(80))))"
                        )
                    }
                }
                await reference.close()
                await subject.close()
            }
        }
    }
}
