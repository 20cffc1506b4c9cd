import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

/// DUMP and RESTORE of hashes and sets between the engine and a real redis-server 7.0, in
/// both directions, for each encoding: listpack and table hashes, intset, small (listpack
/// here, table there) and large sets. Where redis-server's payload is a function of the
/// contents (a listpack hash built in the same order, an intset) ours is byte-identical.
@Suite(.serialized, .enabled(if: PersistenceTests.RedisServerInstance.isAvailable, "needs /usr/bin/redis-server"))
struct HashAndSetDumpInteropTests {
    struct Value {
        let name: String
        let build: [String]
        let read: String
        let sameBytes: Bool
    }

    static let values: [Value] = [
        Value(name: "small hash", build: ["HSET", "k", "b", "1", "a", "-70000", "c", "", "d", String(repeating: "v", count: 64)], read: "HGETALL", sameBytes: true),
        Value(name: "large hash", build: ["HSET", "k"] + (0..<600).flatMap { ["field\($0)", "value\($0)"] }, read: "HGETALL", sameBytes: false),
        Value(name: "long-valued hash", build: ["HSET", "k", "f", String(repeating: "x", count: 65)], read: "HGETALL", sameBytes: true),
        Value(name: "intset", build: ["SADD", "k", "5", "-3", "70000", "-9223372036854775808"], read: "SMEMBERS", sameBytes: true),
        Value(name: "small set", build: ["SADD", "k", "a", "b", "1"], read: "SMEMBERS", sameBytes: false),
        Value(name: "large intset", build: ["SADD", "k"] + (0..<600).map(String.init), read: "SMEMBERS", sameBytes: false),
        Value(name: "large set", build: ["SADD", "k"] + (0..<300).map { "m\($0)" }, read: "SMEMBERS", sameBytes: false),
    ]

    /// The elements of an aggregate reply as texts, sorted unless the order is the point.
    static func contents(_ value: RESPValue, sorted: Bool) -> [String] {
        let texts = (value.elements ?? []).map { $0.text ?? "" }
        return sorted ? texts.sorted() : texts
    }

    static func payload(_ value: RESPValue) -> [UInt8]? {
        guard case .bulkString(.some(let buffer)) = value else { return nil }
        return Array(buffer.readableBytesView)
    }

    @Test func bothDirections() throws {
        let server = try PersistenceTests.RedisServerInstance.start()
        defer { server.stop() }
        let redis = try RedisConnection(port: server.port)
        // The same thresholds on both sides: redis-server's built-in hash limit is 512.
        try redis.command("CONFIG", "SET", "hash-max-listpack-entries", "128")
        for value in Self.values {
            let engine = CollectionsEngine()
            try redis.command("DEL", "k")
            try redis.command(value.build.map { Array($0.utf8) })
            engine.run(value.build)
            let redisPayload = try #require(Self.payload(try redis.command("DUMP", "k")), "\(value.name): DUMP on redis-server")
            let ourPayload = try #require(Self.payload(engine.run("DUMP", "k")), "\(value.name): DUMP on the engine")
            if value.sameBytes { #expect(ourPayload == redisPayload, "\(value.name): payloads differ") }
            let ordered = value.sameBytes && value.read == "HGETALL"
            let expected = Self.contents(try redis.command(value.read, "k"), sorted: !ordered)

            // redis-server's payload restored here.
            let restoredHere = engine.run(bytes: [Array("RESTORE".utf8), Array("from-redis".utf8), Array("0".utf8), redisPayload])
            #expect(restoredHere == .simple("OK"), "\(value.name): RESTORE here: \(restoredHere)")
            #expect(Self.contents(engine.run(value.read, "from-redis"), sorted: !ordered) == expected, "\(value.name): restored here")
            #expect(engine.encoding("from-redis") == engine.encoding("k"), "\(value.name): encoding restored here")

            // Our payload restored there.
            let restoredThere = try redis.command([Array("RESTORE".utf8), Array("from-us".utf8), Array("0".utf8), ourPayload, Array("REPLACE".utf8)])
            #expect(restoredThere == .simple("OK"), "\(value.name): RESTORE on redis-server: \(restoredThere)")
            #expect(Self.contents(try redis.command(value.read, "from-us"), sorted: !ordered) == expected, "\(value.name): restored there")
            #expect(
                try redis.command("OBJECT", "ENCODING", "from-us") == (try redis.command("OBJECT", "ENCODING", "k")),
                "\(value.name): encoding restored on redis-server"
            )
        }
    }
}
