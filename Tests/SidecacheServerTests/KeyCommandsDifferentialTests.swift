import NIOCore
import SidecacheRESP
import Testing

/// The keyspace commands (KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, COPY, MOVE, SWAPDB,
/// OBJECT, MEMORY USAGE, WAIT, and TYPE, EXISTS, TOUCH, DBSIZE) sent to a real redis-server
/// 7.0.15 and to Sidecache, replies compared as `RESPValue`s (`DifferentialTests.compare`).
///
/// Normalized, because the two tables hash differently or measure different things:
/// - KEYS, and SCAN calls that walk the whole (small) database: the keys are sorted.
/// - SCAN calls that stop half-way (cursor ≠ 0): only the shape `[cursor, [keys]]`; whole
///   iterations are compared as sets of keys in `fullScanIterations`.
/// - RANDOMKEY on a non-empty database: any key (a bulk string).
/// - OBJECT IDLETIME: a small non-negative integer. MEMORY USAGE: a positive integer (it
///   estimates each server's own layout).
/// Expired-but-not-yet-deleted keys cannot be staged on both servers alike over TCP (each
/// runs its own active expiry), so those paths are tested in the engine with a hand-driven
/// clock (`KeyCommandsIterationTests`, `KeyCommandsObjectTests`, `KeyCommandsRenameTests`).
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct KeyCommandsDifferentialTests {
    typealias Case = DifferentialTests.Case

    static let sortedArray: @Sendable (RESPValue) -> RESPValue = { value in
        guard case .array(.some(let elements)) = value else { return value }
        return .array(elements.sorted { ($0.text ?? "") < ($1.text ?? "") })
    }

    /// A SCAN reply with its keys sorted (the cursor is kept: both must have finished).
    static let sortedScan: @Sendable (RESPValue) -> RESPValue = { value in
        guard case .array(.some(let pair)) = value, pair.count == 2 else { return value }
        return .array([pair[0], sortedArray(pair[1])])
    }

    static let isScanReply: @Sendable (RESPValue) -> Bool = { value in
        guard case .array(.some(let pair)) = value, pair.count == 2, case .bulkString(.some) = pair[0],
            let keys = pair[1].elements
        else { return false }
        return keys.allSatisfy { if case .bulkString(.some) = $0 { true } else { false } }
    }

    static let isKey: @Sendable (RESPValue) -> Bool = { value in
        if case .bulkString(.some) = value { return true }
        return false
    }

    static let isIdleTime: @Sendable (RESPValue) -> Bool = { value in
        if case .integer(let seconds) = value { return (0...30).contains(seconds) }
        return false
    }

    static let isByteCount: @Sendable (RESPValue) -> Bool = { value in
        if case .integer(let bytes) = value { return bytes > 0 }
        return false
    }

    static let long = String(repeating: "x", count: 60)

    static let cases: [Case] = [
        Case("FLUSHALL"),
        Case("SET", "i", "1"),
        Case("SET", "big", "10000"),
        Case("SET", "neg", "-5"),
        Case("SET", "s", "hello"),
        Case("SET", "r", long),
        Case("DBSIZE"),
        Case("KEYS", "*", comparison: .normalized(sortedArray)),
        Case("KEYS", "?", comparison: .normalized(sortedArray)),
        Case("KEYS", "[bn]*", comparison: .normalized(sortedArray)),
        Case("KEYS", "nothing"),
        Case("KEYS"),
        Case("KEYS", "a", "b"),
        // SCAN: fewer than 10 keys, so one call walks the whole table.
        Case("SCAN", "0", comparison: .normalized(sortedScan)),
        Case("SCAN", "", comparison: .normalized(sortedScan)),
        Case("SCAN", "+0", comparison: .normalized(sortedScan)),
        Case("SCAN", "0", "MATCH", "*", comparison: .normalized(sortedScan)),
        Case("SCAN", "0", "MATCH", "b*", comparison: .normalized(sortedScan)),
        Case("SCAN", "0", "match", "[is]", "count", "100", comparison: .normalized(sortedScan)),
        Case("SCAN", "0", "TYPE", "string", comparison: .normalized(sortedScan)),
        Case("SCAN", "0", "TYPE", "STRING", "MATCH", "?", comparison: .normalized(sortedScan)),
        Case("SCAN", "0", "TYPE", "hash"),
        Case("SCAN", "0", "TYPE", "none"),
        Case("SCAN", "0", "COUNT", "9223372036854775807", comparison: .normalized(sortedScan)),
        Case("SCAN", "0", "COUNT", "1", comparison: .shape(isScanReply)),
        Case("SCAN", "-1", comparison: .shape(isScanReply)),
        Case("SCAN", "18446744073709551615", comparison: .shape(isScanReply)),
        Case("SCAN", "-18446744073709551615", comparison: .shape(isScanReply)),
        Case("SCAN", "18446744073709551616"),
        Case("SCAN", " 0"),
        Case("SCAN", "0 "),
        Case("SCAN", "0x1"),
        Case("SCAN", "abc"),
        Case("SCAN", "+"),
        Case("SCAN", "0", "COUNT", "0"),
        Case("SCAN", "0", "COUNT", "-1"),
        Case("SCAN", "0", "COUNT", "x"),
        Case("SCAN", "0", "COUNT", "1", "COUNT", "x"),
        Case("SCAN", "0", "COUNT"),
        Case("SCAN", "0", "MATCH"),
        Case("SCAN", "0", "TYPE"),
        Case("SCAN", "0", "foo", "bar"),
        Case("SCAN", "0", "foo", "COUNT", "0"),
        Case("SCAN", "x", "COUNT", "0"),
        Case("SCAN"),
        Case("RANDOMKEY", comparison: .shape(isKey)),
        Case("RANDOMKEY", "x"),
        Case("SELECT", "9"),
        Case("RANDOMKEY"),
        Case("SCAN", "0"),
        Case("KEYS", "*"),
        Case("SELECT", "0"),
        // TYPE, EXISTS, TOUCH, DBSIZE.
        Case("TYPE", "s"),
        Case("TYPE", "nokey"),
        Case("TYPE"),
        Case("EXISTS", "s", "s", "nokey", "i"),
        Case("EXISTS"),
        Case("TOUCH", "s", "nokey", "i", "i"),
        Case("TOUCH"),
        Case("DBSIZE", "x"),
        // OBJECT.
        Case("OBJECT", "ENCODING", "i"),
        Case("OBJECT", "ENCODING", "big"),
        Case("OBJECT", "ENCODING", "neg"),
        Case("OBJECT", "ENCODING", "s"),
        Case("OBJECT", "ENCODING", "r"),
        Case("OBJECT", "ENCODING", "nokey"),
        Case("OBJECT", "encoding", "s"),
        Case("OBJECT", "REFCOUNT", "i"),
        Case("OBJECT", "REFCOUNT", "big"),
        Case("OBJECT", "REFCOUNT", "neg"),
        Case("OBJECT", "REFCOUNT", "s"),
        Case("OBJECT", "REFCOUNT", "r"),
        Case("OBJECT", "REFCOUNT", "nokey"),
        Case("OBJECT", "FREQ", "s"),
        Case("OBJECT", "FREQ", "nokey"),
        Case("OBJECT", "IDLETIME", "s", comparison: .shape(isIdleTime)),
        Case("OBJECT", "IDLETIME", "nokey"),
        Case("OBJECT", "HELP"),
        Case("OBJECT", "help"),
        Case("OBJECT", "HELP", "x"),
        Case("OBJECT"),
        Case("OBJECT", "FOO", "s"),
        Case("OBJECT", "ENCODING"),
        Case("OBJECT", "ENCODING", "a", "b"),
        Case("OBJECT", "REFCOUNT"),
        Case("OBJECT", "IDLETIME", "a", "b"),
        Case("SET", "n", "5"),
        Case("APPEND", "n", "1"),
        Case("OBJECT", "ENCODING", "n"),
        Case("OBJECT", "REFCOUNT", "n"),
        Case("SET", "c", "0"),
        Case("INCR", "c"),
        Case("OBJECT", "ENCODING", "c"),
        Case("OBJECT", "REFCOUNT", "c"),
        Case("SET", "e", "01"),
        Case("OBJECT", "ENCODING", "e"),
        Case("OBJECT", "REFCOUNT", "e"),
        // MEMORY USAGE.
        Case("MEMORY", "USAGE", "s", comparison: .shape(isByteCount)),
        Case("MEMORY", "USAGE", "r", "SAMPLES", "0", comparison: .shape(isByteCount)),
        Case("MEMORY", "usage", "i", "samples", "5", "SAMPLES", "1", comparison: .shape(isByteCount)),
        Case("MEMORY", "USAGE", "nokey"),
        Case("MEMORY", "USAGE", "nokey", "SAMPLES", "x"),
        Case("MEMORY", "USAGE", "s", "SAMPLES"),
        Case("MEMORY", "USAGE", "s", "SAMPLES", "x"),
        Case("MEMORY", "USAGE", "s", "SAMPLES", "-1"),
        Case("MEMORY", "USAGE", "s", "foo", "1"),
        Case("MEMORY", "USAGE", "s", "SAMPLES", "5", "x"),
        Case("MEMORY", "USAGE"),
        Case("MEMORY"),
        Case("MEMORY", "FOO"),
        Case("FLUSHDB"),
        // RENAME, RENAMENX.
        Case("SET", "a", "1"),
        Case("SET", "b", "2"),
        Case("SET", "t", "v", "EX", "1000"),
        Case("RENAME", "a", "a"),
        Case("RENAME", "nokey", "nokey"),
        Case("RENAME", "nokey", "x"),
        Case("RENAMENX", "a", "a"),
        Case("RENAMENX", "nokey", "a"),
        Case("RENAMENX", "a", "b"),
        Case("RENAMENX", "a", "a2"),
        Case("GET", "a2"),
        Case("EXISTS", "a"),
        Case("RENAME", "a2", "b"),
        Case("GET", "b"),
        Case("RENAME", "t", "t2"),
        Case("TTL", "t2"),
        Case("TTL", "t"),
        Case("SET", "t3", "x"),
        Case("RENAME", "b", "t2"),
        Case("TTL", "t2"),
        Case("RENAME", "t2"),
        Case("RENAMENX", "a", "b", "c"),
        // COPY.
        Case("SET", "t", "v", "EX", "1000"),
        Case("COPY", "t", "t"),
        Case("COPY", "nokey", "nokey"),
        Case("COPY", "nokey", "x"),
        Case("COPY", "t", "c1"),
        Case("TTL", "c1"),
        Case("COPY", "t", "c1"),
        Case("COPY", "t2", "c1", "REPLACE"),
        Case("TTL", "c1"),
        Case("GET", "c1"),
        Case("COPY", "t", "c2", "DB", "0"),
        Case("COPY", "t", "t", "DB", "1"),
        Case("COPY", "t", "t", "db", "1", "replace"),
        Case("COPY", "t", "c3", "DB", "1", "REPLACE", "DB", "2"),
        Case("COPY", "t", "c", "DB", "16"),
        Case("COPY", "t", "c", "DB", "-1"),
        Case("COPY", "t", "c", "DB", "x"),
        Case("COPY", "t", "c", "DB", "2147483648"),
        Case("COPY", "t", "c", "DB", "2147483648", "foo"),
        Case("COPY", "t", "c", "foo", "DB", "x"),
        Case("COPY", "t", "c", "DB"),
        Case("COPY", "t", "c", "REPLACE", "foo"),
        Case("COPY", "t"),
        Case("SELECT", "1"),
        Case("KEYS", "*", comparison: .normalized(sortedArray)),
        Case("TTL", "t"),
        Case("SELECT", "2"),
        Case("GET", "c3"),
        Case("TTL", "c3"),
        Case("SELECT", "0"),
        // MOVE.
        Case("MOVE", "t", "0"),
        Case("MOVE", "nokey", "0"),
        Case("MOVE", "t", "16"),
        Case("MOVE", "t", "-1"),
        Case("MOVE", "t", "x"),
        Case("MOVE", "t", "2147483648"),
        Case("MOVE", "nokey", "3"),
        Case("MOVE", "t", "1"),
        Case("MOVE", "c1", "3"),
        Case("MOVE", "c1", "3"),
        Case("EXISTS", "c1"),
        Case("SELECT", "3"),
        Case("GET", "c1"),
        Case("TTL", "c1"),
        Case("SELECT", "0"),
        Case("MOVE", "t"),
        // SWAPDB.
        Case("DBSIZE"),
        Case("SWAPDB", "0", "3"),
        Case("DBSIZE"),
        Case("KEYS", "*", comparison: .normalized(sortedArray)),
        Case("SWAPDB", "3", "0"),
        Case("DBSIZE"),
        Case("SWAPDB", "5", "5"),
        Case("SWAPDB", "x", "0"),
        Case("SWAPDB", "0", "x"),
        Case("SWAPDB", "x", "y"),
        Case("SWAPDB", "0", "16"),
        Case("SWAPDB", "-1", "0"),
        Case("SWAPDB", "2147483648", "0"),
        Case("SWAPDB", "0", "-2147483649"),
        Case("SWAPDB", "0"),
        // WATCH sees what these commands change (the connection's own change counts too).
        Case("SET", "w", "1"),
        Case("WATCH", "w"),
        Case("RENAME", "w", "w2"),
        Case("MULTI"),
        Case("PING"),
        Case("EXEC"),
        Case("WATCH", "w3"),
        Case("RENAME", "w2", "w3"),
        Case("MULTI"),
        Case("EXEC"),
        Case("WATCH", "w4"),
        Case("COPY", "w3", "w4"),
        Case("MULTI"),
        Case("EXEC"),
        Case("WATCH", "w3"),
        Case("COPY", "w3", "w5"),
        Case("MULTI"),
        Case("EXEC"),
        Case("WATCH", "w3"),
        Case("MOVE", "w3", "4"),
        Case("MULTI"),
        Case("EXEC"),
        Case("WATCH", "w4"),
        Case("SWAPDB", "0", "6"),
        Case("MULTI"),
        Case("EXEC"),
        Case("WATCH", "w4"),
        Case("SWAPDB", "7", "8"),
        Case("MULTI"),
        Case("EXEC"),
        // Inside MULTI.
        Case("MULTI"),
        Case("RENAME", "nokey", "x"),
        Case("KEYS", "*"),
        Case("SCAN", "x"),
        Case("OBJECT", "ENCODING", "w4"),
        Case("EXEC"),
        // WAIT.
        Case("WAIT", "0", "0"),
        Case("WAIT", "1", "1"),
        Case("WAIT", "-1", "0"),
        Case("WAIT", "x", "0"),
        Case("WAIT", "0", "x"),
        Case("WAIT", "0", "-1"),
        Case("WAIT", "0", "1.5"),
        Case("WAIT", "0", "9223372036854775807"),
        Case("WAIT", "0"),
        Case("WAIT", "0", "0", "0"),
    ]

    @Test func keyCommandsRESP2() async throws {
        try await DifferentialTests.compare(Self.cases, label: "keys RESP2")
    }

    @Test func keyCommandsRESP3() async throws {
        try await DifferentialTests.compare(
            [Case("HELLO", "3", comparison: .normalized(DifferentialTests.helloWithoutID))] + Self.cases,
            label: "keys RESP3"
        )
    }

    static let globKeys = [
        "hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "a[b", "a]b", "a\\b", "a-b", "abc", "ABC", "a",
        "x?y", "xzy", "[", "]", "^", "foo:1", "foo:22", "foo:bar",
    ]

    static let globPatterns = [
        "*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo", "h\\*llo", "a[b", "a\\[b", "a[[]b",
        "a[]]b", "a\\]b", "a\\\\b", "a\\", "[", "\\[", "[\\]]", "]", "^", "[^]", "[a-]*", "[-a]*", "a-b", "***a***",
        "*a", "A*", "?", "", "x\\?y", "x?y", "foo:*", "foo:[0-9]*", "foo:[!0-9]*", "[abc", "h[a-e-x]llo", "*[", "[*",
        "a[\\", "h*l*o", "*llo*", "*[a-c]", "[^a-z]*", "\\",
    ]

    /// KEYS and SCAN MATCH with glob patterns: classes, ranges, negation, escapes, `*` runs
    /// and unterminated classes.
    @Test func globPatterns() async throws {
        var cases = [Case("FLUSHALL")] + Self.globKeys.map { Case("SET", $0, "v") }
        for pattern in Self.globPatterns {
            cases.append(Case("KEYS", pattern, comparison: .normalized(Self.sortedArray)))
        }
        try await DifferentialTests.compare(cases, label: "glob")
    }

    /// Runs `body` with a connection to redis-server and one to Sidecache.
    static func withBothServers(_ body: (TestClient, TestClient) async throws -> Void) async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                let reference = try await TestClient.connect(port: redis.port)
                let subject = try await sidecache.connect()
                do {
                    try await body(reference, subject)
                } catch {
                    await reference.close()
                    await subject.close()
                    throw error
                }
                await reference.close()
                await subject.close()
            }
        }
    }

    /// Every key a SCAN iteration returns, from cursor 0 back to 0 (at most `limit` calls).
    static func fullScan(_ client: TestClient, options: [String], limit: Int = 10_000) async throws -> (keys: [String], calls: Int) {
        var keys: [String] = []
        var cursor = "0"
        var calls = 0
        repeat {
            let reply = try await client.command(["SCAN", cursor] + options)
            let pair = try #require(reply.elements, "SCAN answered \(reply.debugText)")
            cursor = try #require(pair.first?.text)
            keys += (pair.last?.elements ?? []).compactMap(\.text)
            calls += 1
        } while cursor != "0" && calls < limit
        #expect(cursor == "0", "SCAN \(options) did not finish in \(limit) calls")
        return (keys, calls)
    }

    /// Whole SCAN iterations over 500 keys with MATCH, COUNT and TYPE return the same set of
    /// keys from both servers (in their own orders and numbers of calls).
    @Test func fullScanIterations() async throws {
        try await Self.withBothServers { reference, subject in
            for client in [reference, subject] {
                _ = try await client.command("FLUSHALL")
                for index in 0..<500 {
                    try await client.send(TestClient.encode(["SET", "key:\(index)", "\(index)"]))
                }
                _ = try await client.readReplies(500)
            }
            let optionSets: [[String]] = [
                [], ["COUNT", "1"], ["COUNT", "7"], ["COUNT", "1000"], ["MATCH", "key:1*"], ["MATCH", "*9", "COUNT", "3"],
                ["TYPE", "string", "COUNT", "50"], ["TYPE", "list"], ["MATCH", "nothing*"],
            ]
            for options in optionSets {
                let expected = try await Self.fullScan(reference, options: options)
                let actual = try await Self.fullScan(subject, options: options)
                #expect(Set(expected.keys) == Set(actual.keys), "SCAN \(options)")
                // SCAN may repeat a key across calls, never within a finished set of 500 distinct keys here.
                #expect(actual.keys.count == Set(actual.keys).count, "SCAN \(options) repeated keys without a resize")
            }
            // SCAN COUNT 1 really pages: many calls, not one.
            #expect(try await Self.fullScan(subject, options: ["COUNT", "1"]).calls > 50)
        }
    }

    /// Which lookups count as keyspace hits and misses (INFO stats) after the same commands.
    @Test func keyspaceStatistics() async throws {
        let commands: [[String]] = [
            ["FLUSHALL"], ["CONFIG", "RESETSTAT"], ["SET", "a", "1"], ["SET", "b", "2"],
            ["OBJECT", "ENCODING", "a"], ["OBJECT", "ENCODING", "nokey"], ["OBJECT", "FREQ", "a"],
            ["MEMORY", "USAGE", "a"], ["MEMORY", "USAGE", "nokey"], ["COPY", "a", "c"], ["COPY", "nokey", "c"],
            ["RENAME", "c", "d"], ["RENAMENX", "d", "b"], ["MOVE", "d", "1"], ["MOVE", "nokey", "1"],
            ["SCAN", "0", "TYPE", "string"], ["SCAN", "0"], ["KEYS", "*"], ["RANDOMKEY"], ["TOUCH", "a", "nokey"],
            ["TYPE", "a"], ["TYPE", "nokey"], ["EXISTS", "a", "nokey"], ["DBSIZE"], ["SWAPDB", "0", "1"],
        ]
        try await Self.withBothServers { reference, subject in
            var fields: [[String: String]] = []
            for client in [reference, subject] {
                for command in commands { _ = try await client.command(command) }
                let info = try await client.command("INFO", "stats").text ?? ""
                var values: [String: String] = [:]
                for line in info.split(whereSeparator: \.isNewline) {
                    let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
                    if parts.count == 2, ["keyspace_hits", "keyspace_misses", "expired_keys"].contains(parts[0]) {
                        values[parts[0]] = parts[1]
                    }
                }
                fields.append(values)
            }
            #expect(fields[0].count == 3)
            #expect(fields[0] == fields[1], "redis-server \(fields[0]), sidecache \(fields[1])")
        }
    }
}
