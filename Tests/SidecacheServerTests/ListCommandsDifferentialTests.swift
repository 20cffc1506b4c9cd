import Testing

/// Every list command with its options and error paths, sent to a real redis-server 7.0.15 and
/// to Sidecache, replies compared byte for byte in RESP2 and RESP3 (`RawDifferential`), and
/// the hit/miss, error and per-command counters after each run.
///
/// The blocking commands appear here where they do not wait (a key with elements, an error,
/// MULTI/EXEC) or wait a few milliseconds for a timeout; waiting clients are tested over
/// several connections in `BlockingCommandTests`.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ListCommandsDifferentialTests {
    static let notIntegers = ["abc", "1.5", " 1", "01x", "", "9223372036854775808", "1e3"]

    @Test func pushesPopsAndLengths() async throws {
        var cases: [RawCase] = [
            RawCase("FLUSHALL"), RawCase("SET", "s", "x"),
            RawCase("RPUSH", "l", "a", "b", "c", "1", "-2", "300", "9223372036854775807", "", "with space"),
            RawCase("LPUSH", "l", "h1", "h2"), RawCase("LRANGE", "l", "0", "-1"), RawCase("LLEN", "l"),
            RawCase("LLEN", "missing"), RawCase("LLEN", "s"), RawCase("RPUSH", "s", "a"), RawCase("LPUSH", "s", "a"),
            RawCase("LPUSHX", "missing", "a"), RawCase("RPUSHX", "missing", "a", "b"), RawCase("EXISTS", "missing"),
            RawCase("LPUSHX", "l", "x1", "x2"), RawCase("RPUSHX", "l", "y1"), RawCase("LPUSHX", "s", "a"),
            RawCase("LPOP", "l"), RawCase("RPOP", "l"), RawCase("LPOP", "l", "2"), RawCase("RPOP", "l", "3"),
            RawCase("LPOP", "l", "0"), RawCase("RPOP", "l", "0"), RawCase("LPOP", "missing"), RawCase("LPOP", "missing", "0"),
            RawCase("RPOP", "missing", "5"), RawCase("LPOP", "s"), RawCase("LPOP", "s", "0"), RawCase("RPOP", "s", "1"),
            RawCase("LPOP", "l", "-1"), RawCase("RPOP", "l", "1", "2"), RawCase("LPOP", "l", "1", "2", "3"),
            RawCase("LPOP", "l", "100"), RawCase("EXISTS", "l"), RawCase("RPOP", "l"),
            RawCase("RPUSH", "big", String(repeating: "v", count: 10_000), "after"), RawCase("LRANGE", "big", "0", "-1"),
            RawCase("RPOP", "big", "9223372036854775807"), RawCase("TYPE", "big"),
            RawCase("RPUSH"), RawCase("RPUSH", "k"), RawCase("LPOP"), RawCase("LLEN"), RawCase("LLEN", "a", "b"),
            RawCase("rpush", "Mixed", "1"), RawCase("LpOp", "Mixed"),
        ]
        for value in Self.notIntegers {
            cases += [RawCase("RPUSH", "n", "a"), RawCase("LPOP", "n", value), RawCase("RPOP", "n", value), RawCase("DEL", "n")]
        }
        try await RawDifferential.compare(cases, label: "list push/pop")
    }

    @Test func rangesIndexesAndTrims() async throws {
        let indexes = ["0", "1", "-1", "-2", "3", "5", "6", "100", "-100", "9223372036854775807", "-9223372036854775808"]
        var cases: [RawCase] = [RawCase("FLUSHALL"), RawCase("SET", "s", "x"), RawCase("RPUSH", "l", "a", "b", "c", "d", "e", "f")]
        for start in indexes {
            for end in indexes { cases.append(RawCase("LRANGE", "l", start, end)) }
            cases.append(RawCase("LINDEX", "l", start))
        }
        for value in Self.notIntegers {
            cases += [
                RawCase("LRANGE", "l", value, "1"), RawCase("LRANGE", "l", "0", value), RawCase("LINDEX", "l", value),
                RawCase("LRANGE", "missing", value, "1"), RawCase("LINDEX", "missing", value), RawCase("LINDEX", "s", value),
                RawCase("LTRIM", "l", value, "1"), RawCase("LTRIM", "missing", "0", value), RawCase("LTRIM", "s", value, "0"),
            ]
        }
        cases += [
            RawCase("LRANGE", "missing", "0", "-1"), RawCase("LRANGE", "s", "0", "-1"), RawCase("LINDEX", "missing", "0"),
            RawCase("LINDEX", "s", "0"), RawCase("LTRIM", "missing", "0", "1"), RawCase("LTRIM", "s", "0", "1"),
        ]
        for (start, end) in [("1", "-2"), ("0", "-1"), ("-100", "100"), ("1", "1"), ("2", "1"), ("0", "-100")] {
            cases += [
                RawCase("DEL", "t"), RawCase("RPUSH", "t", "1", "2", "3", "4", "5"), RawCase("LTRIM", "t", start, end),
                RawCase("LRANGE", "t", "0", "-1"), RawCase("EXISTS", "t"),
            ]
        }
        cases += [RawCase("LRANGE", "l"), RawCase("LINDEX", "l"), RawCase("LTRIM", "l", "0")]
        try await RawDifferential.compare(cases, label: "list ranges")
    }

    @Test func setInsertAndRemove() async throws {
        var cases: [RawCase] = [
            RawCase("FLUSHALL"), RawCase("SET", "s", "x"), RawCase("RPUSH", "l", "a", "b", "a", "c", "a", "1", "2", "1"),
            RawCase("LSET", "l", "0", "A"), RawCase("LSET", "l", "-1", "Z"), RawCase("LSET", "l", "8", "x"),
            RawCase("LSET", "l", "-9", "x"), RawCase("LSET", "l", "abc", "x"), RawCase("LSET", "missing", "0", "x"),
            RawCase("LSET", "missing", "abc", "x"), RawCase("LSET", "s", "0", "x"), RawCase("LSET", "l", "3", "42"),
            RawCase("LSET", "l", "2", String(repeating: "w", count: 9000)), RawCase("LRANGE", "l", "0", "-1"),
            RawCase("LSET", "l", "2", "small"),
            RawCase("LINSERT", "l", "BEFORE", "b", "pre"), RawCase("LINSERT", "l", "after", "b", "post"),
            RawCase("LINSERT", "l", "AFTER", "nope", "x"), RawCase("LINSERT", "l", "middle", "b", "x"),
            RawCase("LINSERT", "missing", "before", "a", "x"), RawCase("LINSERT", "missing", "middle", "a", "x"),
            RawCase("LINSERT", "s", "before", "a", "x"), RawCase("LINSERT", "l", "before", "1", "one"),
            RawCase("LINSERT", "l", "before", "01", "x"), RawCase("LRANGE", "l", "0", "-1"),
            RawCase("RPUSH", "r", "a", "b", "a", "c", "a", "d", "a", "7", "07", "7"),
            RawCase("LREM", "r", "2", "a"), RawCase("LRANGE", "r", "0", "-1"), RawCase("LREM", "r", "-1", "a"),
            RawCase("LRANGE", "r", "0", "-1"), RawCase("LREM", "r", "0", "7"), RawCase("LRANGE", "r", "0", "-1"),
            RawCase("LREM", "r", "-9223372036854775808", "a"), RawCase("LREM", "r", "9223372036854775807", "x"),
            RawCase("LREM", "missing", "1", "a"), RawCase("LREM", "s", "1", "a"), RawCase("LREM", "r", "0", "b"),
            RawCase("LREM", "r", "0", "c"), RawCase("LREM", "r", "0", "d"), RawCase("LREM", "r", "0", "07"),
            RawCase("EXISTS", "r"), RawCase("LSET", "l"), RawCase("LINSERT", "l", "before", "a"), RawCase("LREM", "l", "1"),
        ]
        for value in Self.notIntegers { cases += [RawCase("LREM", "l", value, "a"), RawCase("LREM", "missing", value, "a")] }
        try await RawDifferential.compare(cases, label: "list set/insert/remove")
    }

    @Test func lpos() async throws {
        var cases: [RawCase] = [RawCase("FLUSHALL"), RawCase("SET", "s", "x"), RawCase("RPUSH", "p", "a", "b", "c", "a", "b", "c", "a", "1")]
        let options: [[String]] = [
            [], ["RANK", "1"], ["RANK", "2"], ["RANK", "-1"], ["RANK", "-3"], ["RANK", "9"], ["COUNT", "0"], ["COUNT", "2"],
            ["MAXLEN", "0"], ["MAXLEN", "4"], ["RANK", "2", "COUNT", "0"], ["RANK", "-2", "COUNT", "1"],
            ["COUNT", "0", "MAXLEN", "3"], ["rank", "-1", "maxlen", "2", "count", "5"],
            ["RANK", "9223372036854775807"], ["RANK", "-9223372036854775808"], ["RANK", "-9223372036854775808", "COUNT", "1"],
            ["RANK", "0"], ["COUNT", "-1"], ["MAXLEN", "-1"], ["RANK", "x"], ["COUNT", "x"], ["MAXLEN", "x"], ["RANK"],
            ["COUNT"], ["FOO", "1"], ["RANK", "1", "RANK", "2"],
        ]
        for option in options {
            for element in ["a", "c", "1", "01", "zz"] { cases.append(RawCase(["LPOS", "p", element] + option)) }
            cases += [RawCase(["LPOS", "missing", "a"] + option), RawCase(["LPOS", "s", "a"] + option)]
        }
        try await RawDifferential.compare(cases, label: "LPOS")
    }

    @Test func movesAndMultiPops() async throws {
        var cases: [RawCase] = [
            RawCase("FLUSHALL"), RawCase("SET", "s", "x"), RawCase("RPUSH", "a", "1", "2", "3"), RawCase("RPUSH", "b", "x"),
        ]
        for from in ["LEFT", "RIGHT"] {
            for to in ["LEFT", "right"] {
                cases += [RawCase("LMOVE", "a", "b", from, to), RawCase("LRANGE", "b", "0", "-1"), RawCase("LMOVE", "b", "b", from, to)]
            }
        }
        cases += [
            RawCase("LRANGE", "b", "0", "-1"), RawCase("EXISTS", "a"), RawCase("LMOVE", "missing", "b", "LEFT", "LEFT"),
            RawCase("LMOVE", "b", "s", "LEFT", "LEFT"), RawCase("LMOVE", "s", "b", "LEFT", "LEFT"),
            RawCase("LMOVE", "b", "c", "UP", "LEFT"), RawCase("LMOVE", "b", "c", "LEFT", "DOWN"),
            RawCase("LMOVE", "missing", "c", "UP", "LEFT"), RawCase("RPOPLPUSH", "b", "new"), RawCase("RPOPLPUSH", "new", "new"),
            RawCase("RPOPLPUSH", "missing", "new"), RawCase("RPOPLPUSH", "new", "s"), RawCase("RPOPLPUSH", "s", "new"),
            RawCase("LRANGE", "new", "0", "-1"), RawCase("RPUSH", "one", "only"), RawCase("RPOPLPUSH", "one", "two"),
            RawCase("EXISTS", "one"), RawCase("LRANGE", "two", "0", "-1"),
            RawCase("RPUSH", "m1", "a", "b", "c"), RawCase("RPUSH", "m2", "d"),
            RawCase("LMPOP", "2", "missing", "m1", "LEFT"), RawCase("LMPOP", "2", "missing", "m1", "RIGHT", "COUNT", "10"),
            RawCase("LMPOP", "3", "missing", "m1", "m2", "left", "count", "1"), RawCase("LMPOP", "1", "missing", "LEFT"),
            RawCase("LMPOP", "1", "s", "LEFT"), RawCase("LMPOP", "2", "missing", "s", "LEFT"), RawCase("LMPOP", "2", "s", "m2", "LEFT"),
        ]
        for arguments in [
            ["0", "k", "LEFT"], ["-1", "k", "LEFT"], ["abc", "k", "LEFT"], ["1", "k"], ["2", "k", "LEFT"], ["1", "k", "MIDDLE"],
            ["1", "k", "LEFT", "COUNT", "0"], ["1", "k", "LEFT", "COUNT", "-1"], ["1", "k", "LEFT", "COUNT", "abc"],
            ["1", "k", "LEFT", "COUNT", "1", "COUNT", "2"], ["1", "k", "LEFT", "FOO"], ["1", "k", "LEFT", "COUNT"],
            ["9223372036854775807", "k", "LEFT"], ["1"],
        ] {
            cases.append(RawCase(["LMPOP"] + arguments))
        }
        try await RawDifferential.compare(cases, label: "LMOVE/RPOPLPUSH/LMPOP")
    }

    @Test func blockingCommandsThatDoNotWait() async throws {
        var cases: [RawCase] = [
            RawCase("FLUSHALL"), RawCase("SET", "s", "x"), RawCase("RPUSH", "q", "1", "2", "3", "4", "5", "6", "7", "8"),
            RawCase("BLPOP", "missing", "q", "0"), RawCase("BRPOP", "missing", "q", "0"), RawCase("BLPOP", "s", "q", "0"),
            RawCase("BLPOP", "missing", "s", "0"), RawCase("BLMPOP", "0", "2", "missing", "q", "RIGHT", "COUNT", "2"),
            RawCase("BLMOVE", "q", "d", "LEFT", "RIGHT", "0"), RawCase("BRPOPLPUSH", "q", "d", "0"),
            RawCase("BLMOVE", "s", "d", "LEFT", "RIGHT", "0"), RawCase("BLMOVE", "d", "s", "LEFT", "RIGHT", "0"),
            RawCase("LRANGE", "d", "0", "-1"), RawCase("EXISTS", "q"),
            RawCase("BLPOP", "missing", "0.01"), RawCase("BRPOP", "a", "b", "0.01"), RawCase("BLMOVE", "missing", "d", "LEFT", "LEFT", "0.01"),
            RawCase("BRPOPLPUSH", "missing", "d", "0.001"), RawCase("BLMPOP", "0.01", "1", "missing", "LEFT"),
            RawCase("BLPOP", "missing", "0.0001"),
            RawCase("MULTI"), RawCase("BLPOP", "missing", "0"), RawCase("BRPOP", "missing", "d", "0"),
            RawCase("BLMOVE", "missing", "d", "LEFT", "LEFT", "0"), RawCase("BRPOPLPUSH", "missing", "d", "0"),
            RawCase("BLMPOP", "0", "1", "missing", "LEFT"), RawCase("BLMPOP", "0", "1", "d", "LEFT"), RawCase("EXEC"),
            RawCase("BLMPOP", "abc", "abc", "k", "LEFT"), RawCase("BLMPOP", "abc", "1", "k", "LEFT"), RawCase("BLMPOP", "1", "0", "k", "LEFT"),
            RawCase("BLMPOP", "1", "1", "k", "LEFT", "COUNT", "0"), RawCase("BLMPOP", "1", "1", "k", "MIDDLE"),
            RawCase("BLMOVE", "k", "d", "LEFT", "MIDDLE", "abc"), RawCase("BLMOVE", "k", "d", "LEFT", "LEFT", "abc"),
            RawCase("BLPOP", "k"), RawCase("BLMOVE", "k", "d", "LEFT", "LEFT"),
        ]
        // Timeouts the parser refuses, on a missing key and on a key of another type.
        for timeout in ["abc", "-1", "-0.5", "1e20", "inf", "-inf", "nan", " 1", "1 ", "", "0x", "1e16"] {
            cases += [
                RawCase("BLPOP", "missing", timeout), RawCase("BRPOP", "s", timeout), RawCase("BRPOPLPUSH", "s", "d", timeout),
                RawCase("BLMOVE", "missing", "d", "LEFT", "LEFT", timeout), RawCase("BLMPOP", timeout, "1", "s", "LEFT"),
            ]
        }
        // Timeouts it accepts, on a list that has elements (so nothing waits).
        for timeout in ["0", "0.5", "1e3", "0x10", "-0", "-0.0001", "100000000", "9223372036854775"] {
            cases += [RawCase("RPUSH", "ready", "v"), RawCase("BLPOP", "ready", timeout)]
        }
        try await RawDifferential.compare(cases, label: "blocking commands, not waiting")
    }

    @Test func encodingsAndTypeWithSmallNodes() async throws {
        var cases: [RawCase] = [RawCase("FLUSHALL"), RawCase("CONFIG", "SET", "list-max-listpack-size", "2")]
        for index in 0..<20 { cases.append(RawCase("RPUSH", "l", "e\(index)")) }
        cases += [
            RawCase("LINSERT", "l", "BEFORE", "e3", "x"), RawCase("LINSERT", "l", "AFTER", "e10", "y"), RawCase("LSET", "l", "7", "z"),
            RawCase("LREM", "l", "0", "e5"), RawCase("LTRIM", "l", "1", "-2"), RawCase("LRANGE", "l", "0", "-1"),
            RawCase("LINDEX", "l", "9"), RawCase("LPOS", "l", "z"), RawCase("OBJECT", "ENCODING", "l"), RawCase("TYPE", "l"),
            RawCase("CONFIG", "SET", "list-max-listpack-size", "-2"), RawCase("RPUSH", "m", "a"), RawCase("OBJECT", "ENCODING", "m"),
        ]
        try await RawDifferential.compare(cases, label: "list encodings")
    }

    /// DUMP on one server, RESTORE on the other, for a list of several nodes with elements of
    /// every encoding: both directions read back the same elements.
    @Test func dumpAndRestoreAcrossServers() async throws {
        var elements = (0..<600).map { index in index % 3 == 0 ? "\(index * 997 - 4000)" : "element-\(index)" }
        elements += ["", String(repeating: "z", count: 5000), "9223372036854775807", "-9223372036854775808", "01"]
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                let reference = try await TestClient.connect(port: redis.port)
                let subject = try await sidecache.connect()
                for (from, to) in [(reference, subject), (subject, reference)] {
                    _ = try await from.command("DEL", "l")
                    _ = try await to.command("DEL", "l")
                    _ = try await from.command(["RPUSH", "l"] + elements)
                    let payload = try await from.command("DUMP", "l")
                    guard case .bulkString(.some(let bytes)) = payload else {
                        Issue.record("DUMP answered \(payload.debugText)")
                        continue
                    }
                    var request = TestClient.encode(["RESTORE", "l", "0"])
                    request[1] = UInt8(ascii: "4")
                    request += Array("$\(bytes.readableBytes)\r\n".utf8) + Array(buffer: bytes) + Array("\r\n".utf8)
                    try await to.send(request)
                    #expect(try await to.readReply() == .simple("OK"))
                    #expect(try await to.command("LRANGE", "l", "0", "-1") == .array(elements.map { .bulk($0) }))
                }
                await reference.close()
                await subject.close()
            }
        }
    }
}
