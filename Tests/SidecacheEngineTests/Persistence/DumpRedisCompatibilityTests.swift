import SidecacheEngine
import Testing

extension PersistenceTests {
    /// Our DUMP payloads against a real redis-server 7.0: byte-identical where Redis's output
    /// is a function of the contents, restorable everywhere, and Redis's own payloads decoded.
    /// Each test starts its own server on a free loopback port and kills it at the end.
    @Suite("DUMP/RESTORE against redis-server", .enabled(if: RedisServerInstance.isAvailable))
    struct DumpRedisCompatibilityTests {
        /// DUMP of `key` on the server.
        func dump(_ redis: BlockingRedisClient, _ key: String) throws -> [UInt8] {
            try redis.command([bytes("DUMP"), bytes(key)]).bytes()
        }

        /// RESTOREs `payload` under `key` (replacing it) and expects OK.
        func restore(_ redis: BlockingRedisClient, _ key: String, _ payload: [UInt8]) throws {
            let reply = try redis.command([bytes("RESTORE"), bytes(key), bytes("0"), payload, bytes("REPLACE")])
            #expect(reply == .simple("OK"), "RESTORE \(key)")
        }

        static func stringValues() -> [[UInt8]] {
            var values: [[UInt8]] = [
                "", "0", "1", "12", "-5", "127", "128", "-128", "-129", "255", "256", "32767", "32768", "-32768",
                "-32769", "65535", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
                "-1234567890", "12345678901", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                "007", "+5", "-0", " 1", "1 ", "1.5", "0x10", "hello", "12345678901234567890",
                String(repeating: "a", count: 20), String(repeating: "a", count: 21), String(repeating: "ab", count: 11),
                "abcdefghijklmnopqrstuvwxyz", String(repeating: "a", count: 100), String(repeating: "hello world ", count: 50),
            ].map { Array($0.utf8) }
            var rng = SplitMix64(seed: 7)
            values.append([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            values.append(rng.randomBytes(200))
            values.append(rng.randomBytes(100_000))
            values.append(wordText(100_000, rng: &rng))
            values.append([UInt8](repeating: 0x5a, count: 100_000))
            for length in [21, 22, 25, 30, 33, 40, 64, 100, 257, 300, 1000, 4096, 5000, 8193, 20000, 70000] {
                values.append(rng.bytes(length, alphabet: Array("ab".utf8)))
                values.append(rng.bytes(length, alphabet: Array("abcd".utf8)))
                values.append(rng.bytes(length, alphabet: Array("abcdefghijklmnop".utf8)))
                values.append(wordText(length, rng: &rng))
            }
            // Runs and repeats around the longest match (264) and the largest offset (8192).
            for period in [1, 2, 3, 7, 31, 32, 33, 255, 8191, 8192, 8193] {
                let unit = rng.bytes(period, alphabet: Array("xyz0123".utf8))
                values.append(Array((0..<(3 * period + 300)).map { unit[$0 % period] }))
            }
            return values
        }

        @Test func stringsAreByteIdenticalRestorableAndDecoded() throws {
            try withRedisServer { redis in
                for (index, value) in Self.stringValues().enumerated() {
                    try #require(redis.command([bytes("SET"), bytes("s"), value]) == .simple("OK"))
                    let theirs = try dump(redis, "s")
                    let ours = DumpPayload.encode(.string(value))
                    #expect(ours == theirs, "string #\(index) of \(value.count) bytes")
                    #expect(try DumpPayload.decode(theirs) == .string(value), "string #\(index)")
                    try restore(redis, "t", ours)
                    #expect(try redis.command([bytes("GET"), bytes("t")]).bytes() == value, "string #\(index)")
                }
            }
        }

        /// Lists built by one RPUSH: small ones (one listpack node), many small elements (several
        /// 8 KiB nodes), elements around the node size limit, and elements larger than a node.
        static func listValues() -> [[[UInt8]]] {
            var rng = SplitMix64(seed: 11)
            var lists: [[[UInt8]]] = [
                [bytes("a")],
                [
                    "a", "b", "12", "-5", "hello", "", "007", "4096", "-4097", "70000", "-8388609", "2147483648",
                    "9223372036854775807", "-9223372036854775808", "1.5",
                ].map(bytes),
                (0..<2000).map { bytes("element-\($0)") },
                (0..<3000).map { RDBNumbers.decimal(Int64($0) * 7919 - 1_000_000) },
                (0..<60).map { _ in rng.bytes(Int(rng.next() % 3000), alphabet: Array("abcdefgh".utf8)) },
                (0..<40).map { index in wordText(8100 + index * 3, rng: &rng) },
                [rng.randomBytes(20000), bytes("x"), rng.randomBytes(9000), rng.randomBytes(100)],
            ]
            // Element sizes that land exactly on the 8192-byte node boundary.
            for size in [63, 64, 127, 128, 4000, 4095, 4096, 8170, 8175, 8176, 8177, 8180] {
                lists.append((0..<5).map { _ in rng.bytes(size, alphabet: Array("pq".utf8)) })
            }
            return lists
        }

        @Test func listsAreByteIdenticalRestorableAndDecoded() throws {
            try withRedisServer { redis in
                for (index, list) in Self.listValues().enumerated() {
                    try redis.command([bytes("DEL"), bytes("l")])
                    try #require(redis.command([bytes("RPUSH"), bytes("l")] + list) == .integer(Int64(list.count)))
                    let theirs = try dump(redis, "l")
                    let ours = DumpPayload.encode(.list(list))
                    #expect(ours == theirs, "list #\(index) of \(list.count) elements")
                    #expect(try DumpPayload.decode(theirs) == .list(list), "list #\(index)")
                    try restore(redis, "t", ours)
                    #expect(try redis.command([bytes("LRANGE"), bytes("t"), bytes("0"), bytes("-1")]).byteArrays() == list)
                }
            }
        }

        static func setValues() -> [[[UInt8]]] {
            var rng = SplitMix64(seed: 13)
            return [
                ["1", "2", "3"].map(bytes),
                ["-5", "100", "32767", "-32768"].map(bytes),
                ["70000", "1", "-2147483648"].map(bytes),
                ["9223372036854775807", "-9223372036854775808", "0"].map(bytes),
                (0..<512).map { RDBNumbers.decimal(Int64($0) * 37 - 9000) },  // the largest intset
                (0..<513).map { RDBNumbers.decimal(Int64($0)) },  // one more: a hash table
                ["1", "2", "x"].map(bytes),
                ["007", "1"].map(bytes),
                (0..<300).map { bytes("member:\($0)") },
                (0..<20).map { _ in rng.bytes(100, alphabet: Array("abcdef".utf8)) },
            ]
        }

        @Test func setsRestoreAndDecode() throws {
            try withRedisServer { redis in
                for (index, set) in Self.setValues().enumerated() {
                    try redis.command([bytes("DEL"), bytes("s")])
                    try #require(redis.command([bytes("SADD"), bytes("s")] + set) == .integer(Int64(set.count)))
                    let theirs = try dump(redis, "s")
                    let ours = DumpPayload.encode(.set(set))
                    #expect(ours[0] == theirs[0], "set #\(index) encoding")
                    if theirs[0] == 11 { #expect(ours == theirs, "intset #\(index)") }
                    guard case .set(let decoded) = try DumpPayload.decode(theirs) else {
                        Issue.record("set #\(index) decoded as another type")
                        continue
                    }
                    #expect(Set(decoded) == Set(set) && decoded.count == set.count, "set #\(index)")
                    try restore(redis, "t", ours)
                    let members = try redis.command([bytes("SMEMBERS"), bytes("t")]).byteArrays()
                    #expect(Set(members) == Set(set) && members.count == set.count, "set #\(index)")
                }
            }
        }

        static func hashValues() -> [[DumpValue.HashField]] {
            func fields(_ pairs: [(String, String)]) -> [DumpValue.HashField] {
                pairs.map { DumpValue.HashField(field: bytes($0.0), value: bytes($0.1)) }
            }
            var rng = SplitMix64(seed: 17)
            return [
                fields([("f", "v")]),
                fields([("name", "sidecache"), ("port", "6380"), ("ratio", "0.5"), ("neg", "-77"), ("", "")]),
                (0..<512).map { DumpValue.HashField(field: bytes("field\($0)"), value: bytes("\($0 * 3)")) },
                (0..<513).map { DumpValue.HashField(field: bytes("field\($0)"), value: bytes("v")) },
                [DumpValue.HashField(field: bytes("f"), value: rng.bytes(64, alphabet: Array("ab".utf8)))],
                [DumpValue.HashField(field: bytes("f"), value: rng.bytes(65, alphabet: Array("ab".utf8)))],
                [DumpValue.HashField(field: rng.randomBytes(65), value: bytes("1"))],
                (0..<40).map { _ in DumpValue.HashField(field: rng.randomBytes(8), value: wordText(500, rng: &rng)) },
            ]
        }

        @Test func hashesRestoreAndDecode() throws {
            try withRedisServer { redis in
                for (index, hash) in Self.hashValues().enumerated() {
                    try redis.command([bytes("DEL"), bytes("h")])
                    let arguments = hash.flatMap { [$0.field, $0.value] }
                    try #require(redis.command([bytes("HSET"), bytes("h")] + arguments) == .integer(Int64(hash.count)))
                    let theirs = try dump(redis, "h")
                    let ours = DumpPayload.encode(.hash(hash))
                    #expect(ours[0] == theirs[0], "hash #\(index) encoding")
                    if theirs[0] == 16 { #expect(ours == theirs, "listpack hash #\(index)") }
                    guard case .hash(let decoded) = try DumpPayload.decode(theirs) else {
                        Issue.record("hash #\(index) decoded as another type")
                        continue
                    }
                    #expect(Set(decoded) == Set(hash) && decoded.count == hash.count, "hash #\(index)")
                    try restore(redis, "t", ours)
                    let all = try redis.command([bytes("HGETALL"), bytes("t")]).byteArrays()
                    let restored = stride(from: 0, to: all.count, by: 2).map { DumpValue.HashField(field: all[$0], value: all[$0 + 1]) }
                    #expect(Set(restored) == Set(hash) && restored.count == hash.count, "hash #\(index)")
                }
            }
        }

        static func sortedSetValues() -> [[DumpValue.ScoredMember]] {
            func members(_ pairs: [(String, Double)]) -> [DumpValue.ScoredMember] {
                pairs.map { DumpValue.ScoredMember(member: bytes($0.0), score: $0.1) }
            }
            var rng = SplitMix64(seed: 19)
            let scores: [Double] = [
                0, -0.0, 1, -1, 1.5, 0.1, -2.5e-300, 1e20, 123_456_789_012_345_680, 4_503_599_627_370_495, 4_503_599_627_370_496,
                9_007_199_254_740_994, -4_503_599_627_370_495, 1e17, 1e16, 0x1p62, -0x1p62, 0x1p63, -0x1p63, 3.141592653589793, .infinity, -.infinity,
                .leastNonzeroMagnitude, .greatestFiniteMagnitude, 127, 128, -4096, 70000, 2_147_483_648,
            ]
            return [
                members([("a", 1)]),
                scores.enumerated().map { DumpValue.ScoredMember(member: bytes("m\($0.offset)"), score: $0.element) },
                members([("b", 2), ("a", 2), ("c", 2), ("", 2), ("12", 0)]),
                (0..<128).map { DumpValue.ScoredMember(member: bytes("member\($0)"), score: Double($0 % 10) / 4) },
                (0..<129).map { DumpValue.ScoredMember(member: bytes("member\($0)"), score: Double($0 % 10) / 4) },
                [DumpValue.ScoredMember(member: rng.bytes(65, alphabet: Array("ab".utf8)), score: 1)],
                (0..<300).map { _ in DumpValue.ScoredMember(member: rng.randomBytes(12), score: Double(rng.next() % 1000) - 500.25) },
                scores.enumerated().map { DumpValue.ScoredMember(member: wordText(70 + $0.offset, rng: &rng), score: $0.element) },
            ]
        }

        @Test func sortedSetsAreByteIdenticalRestorableAndDecoded() throws {
            try withRedisServer { redis in
                for (index, zset) in Self.sortedSetValues().enumerated() {
                    try redis.command([bytes("DEL"), bytes("z")])
                    let arguments = zset.flatMap { [Array(scoreArgument($0.score).utf8), $0.member] }
                    try #require(redis.command([bytes("ZADD"), bytes("z")] + arguments) == .integer(Int64(zset.count)))
                    let theirs = try dump(redis, "z")
                    let ours = DumpPayload.encode(.sortedSet(zset))
                    #expect(ours == theirs, "sorted set #\(index) of \(zset.count)")
                    let sorted = zset.sorted(by: DumpValue.ScoredMember.precedes)
                    #expect(try DumpPayload.decode(theirs) == .sortedSet(sorted), "sorted set #\(index)")
                    try restore(redis, "t", ours)
                    let all = try redis.command([bytes("ZRANGE"), bytes("t"), bytes("0"), bytes("-1"), bytes("WITHSCORES")]).byteArrays()
                    let restored = stride(from: 0, to: all.count, by: 2).map {
                        DumpValue.ScoredMember(member: all[$0], score: parseReplyScore(all[$0 + 1]))
                    }
                    #expect(restored == sorted, "sorted set #\(index)")
                }
            }
        }

        @Test func listsWithPlainAndCompressedNodes() throws {
            try withRedisServer { redis in
                // Redis puts elements of packed_threshold bytes or more in plain nodes; lower it.
                try #require(redis.command("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100") == .simple("OK"))
                var limits = DumpEncodingLimits()
                limits.listPackedThreshold = 100
                var rng = SplitMix64(seed: 23)
                let lists: [[[UInt8]]] = [
                    [bytes("a"), rng.bytes(150, alphabet: Array("b".utf8)), bytes("c"), bytes("d")],
                    [rng.randomBytes(100), rng.randomBytes(99), rng.randomBytes(300)],
                    (0..<50).map { index in index % 7 == 0 ? wordText(120, rng: &rng) : bytes("small \(index)") },
                ]
                for (index, list) in lists.enumerated() {
                    try redis.command([bytes("DEL"), bytes("l")])
                    try redis.command([bytes("RPUSH"), bytes("l")] + list)
                    let theirs = try dump(redis, "l")
                    let ours = DumpPayload.encode(.list(list), limits: limits)
                    #expect(ours == theirs, "list #\(index)")
                    #expect(try DumpPayload.decode(theirs) == .list(list), "list #\(index)")
                    try restore(redis, "t", ours)
                    #expect(try redis.command([bytes("LRANGE"), bytes("t"), bytes("0"), bytes("-1")]).byteArrays() == list)
                }
                // Inner nodes LZF-compressed by the quicklist itself (list-compress-depth 1).
                try redis.command("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1073741824")
                try #require(redis.command("CONFIG", "SET", "list-compress-depth", "1") == .simple("OK"))
                let long = (0..<5000).map { bytes("compressed node element \($0)") }
                try redis.command([bytes("DEL"), bytes("l")])
                try redis.command([bytes("RPUSH"), bytes("l")] + long)
                #expect(try DumpPayload.decode(try dump(redis, "l")) == .list(long))
            }
        }

        /// Payloads in encodings redis-server 7.0 no longer writes but still restores.
        static func legacyPayloads() -> [(String, [UInt8], DumpValue)] {
            let listEntries: [PackedEntry] = [.string(bytes("a")), .integer(12), .integer(-70000), .string(bytes(""))]
            let listValues = ["a", "12", "-70000", ""].map(bytes)
            let ziplist = LegacyEncodings.ziplist(listEntries)
            let hashZiplist = LegacyEncodings.ziplist([.string(bytes("f")), .integer(1), .string(bytes("g")), .string(bytes("v"))])
            // Sorted, as Redis keeps it (it does not re-sort a restored ziplist).
            let zsetZiplist = LegacyEncodings.ziplist([.string(bytes("n")), .integer(-2), .string(bytes("m")), .string(bytes("1.5"))])
            return [
                (
                    "plain list",
                    LegacyEncodings.body(.list) { w in
                        w.writeLength(listValues.count)
                        for value in listValues { w.writeString(value) }
                    }, .list(listValues)
                ),
                ("ziplist list", LegacyEncodings.body(.listZiplist) { $0.writeString(ziplist) }, .list(listValues)),
                (
                    "quicklist of ziplists",
                    LegacyEncodings.body(.listQuicklist) { w in
                        w.writeLength(2)
                        w.writeString(ziplist)
                        w.writeString(ziplist)
                    }, .list(listValues + listValues)
                ),
                (
                    "ziplist hash", LegacyEncodings.body(.hashZiplist) { $0.writeString(hashZiplist) },
                    .hash([DumpValue.HashField(field: bytes("f"), value: bytes("1")), DumpValue.HashField(field: bytes("g"), value: bytes("v"))])
                ),
                (
                    "zipmap hash",
                    LegacyEncodings.body(.hashZipmap) {
                        $0.writeString(LegacyEncodings.zipmap([(bytes("f"), bytes("v")), (bytes("k"), bytes("12"))], free: 2))
                    },
                    .hash([DumpValue.HashField(field: bytes("f"), value: bytes("v")), DumpValue.HashField(field: bytes("k"), value: bytes("12"))])
                ),
                (
                    "ziplist zset", LegacyEncodings.body(.zsetZiplist) { $0.writeString(zsetZiplist) },
                    .sortedSet([DumpValue.ScoredMember(member: bytes("n"), score: -2), DumpValue.ScoredMember(member: bytes("m"), score: 1.5)])
                ),
                (
                    "zset with text scores",
                    LegacyEncodings.body(.zset) { w in
                        w.writeLength(2)
                        w.writeString(bytes("a"))
                        ([UInt8(4)] + bytes("0.25")).withUnsafeBytes { w.writeRaw($0) }
                        w.writeString(bytes("b"))
                        [UInt8(255)].withUnsafeBytes { w.writeRaw($0) }
                    },
                    .sortedSet([
                        DumpValue.ScoredMember(member: bytes("b"), score: -.infinity), DumpValue.ScoredMember(member: bytes("a"), score: 0.25),
                    ])
                ),
            ]
        }

        @Test func legacyEncodingsRestoreInRedisAsWeDecodeThem() throws {
            try withRedisServer { redis in
                for (name, body, expected) in Self.legacyPayloads() {
                    let payload = LegacyEncodings.payload(body)
                    #expect(try DumpPayload.decode(payload) == expected, "\(name)")
                    try restore(redis, "k", payload)
                    let restored: DumpValue
                    switch expected {
                    case .list:
                        restored = .list(try redis.command([bytes("LRANGE"), bytes("k"), bytes("0"), bytes("-1")]).byteArrays())
                    case .hash:
                        let all = try redis.command([bytes("HGETALL"), bytes("k")]).byteArrays()
                        restored = .hash(stride(from: 0, to: all.count, by: 2).map { DumpValue.HashField(field: all[$0], value: all[$0 + 1]) })
                    default:
                        let all = try redis.command([bytes("ZRANGE"), bytes("k"), bytes("0"), bytes("-1"), bytes("WITHSCORES")]).byteArrays()
                        restored = .sortedSet(
                            stride(from: 0, to: all.count, by: 2).map {
                                DumpValue.ScoredMember(member: all[$0], score: parseReplyScore(all[$0 + 1]))
                            })
                    }
                    #expect(restored == expected, "\(name)")
                    // Redis converted it to a current encoding; that decodes the same.
                    #expect(try DumpPayload.decode(try dump(redis, "k")) == expected, "\(name)")
                }
            }
        }

        /// Malformed payloads that redis-server refuses too: the same reply.
        static func refusedPayloads() -> [(String, [UInt8])] {
            let good = DumpPayload.encode(.string(bytes("hello")))
            var flipped = good
            flipped[2] ^= 1
            var newer = good
            newer[good.count - 10] = 13
            let huge: [UInt8] = [0x81, 0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
            return [
                ("too short", [0, 1, 2]),
                ("checksum", flipped),
                ("version 13", LegacyEncodings.resealed(newer)),
                // Redis reads on into the footer (a string of 5 here would "succeed"); not past it.
                ("truncated string", LegacyEncodings.payload([0, 30, 0x61, 0x62])),
                ("huge string", LegacyEncodings.payload([0] + huge)),
                ("huge list", LegacyEncodings.payload([RDBType.list.rawValue] + huge)),
                ("bad LZF", LegacyEncodings.payload([0, 0xc3, 0x03, 0x10, 0x00, 0x61, 0xe0])),
                ("unknown type", LegacyEncodings.payload([8, 0])),
                ("empty list", LegacyEncodings.payload(LegacyEncodings.body(.list) { $0.writeLength(0) })),
                (
                    "duplicate set member",
                    LegacyEncodings.payload(
                        LegacyEncodings.body(.set) { w in
                            w.writeLength(2)
                            w.writeString(bytes("a"))
                            w.writeString(bytes("a"))
                        })
                ),
                (
                    "NaN score",
                    LegacyEncodings.payload(
                        LegacyEncodings.body(.zset2) { w in
                            w.writeLength(1)
                            w.writeString(bytes("m"))
                            w.writeBinaryDouble(.nan)
                        })
                ),
                (
                    "listpack size",
                    LegacyEncodings.payload(
                        LegacyEncodings.body(.hashListpack) { w in
                            w.writeString([0x20, 0, 0, 0, 2, 0, 0x81, 0x61, 2, 0x81, 0x62, 2, 0xff])
                        })
                ),
                ("intset size", LegacyEncodings.payload(LegacyEncodings.body(.setIntset) { $0.writeString([2, 0, 0, 0, 3, 0, 0, 0, 1, 0]) })),
            ]
        }

        @Test func refusedPayloadsGetRedisReplies() throws {
            try withRedisServer { redis in
                for (name, payload) in Self.refusedPayloads() {
                    let reply = try redis.command([bytes("RESTORE"), bytes("k"), bytes("0"), payload, bytes("REPLACE")])
                    let error = #expect(throws: DumpPayloadError.self, "\(name)") { try DumpPayload.decode(payload) }
                    #expect(reply == .error(error?.redisMessage ?? "-"), "\(name)")
                }
            }
        }
    }
}
