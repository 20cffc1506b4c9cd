import NIOCore
import SidecacheRESP
import Testing

/// SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO, LCS and INCRBYFLOAT sent to
/// a real redis-server 7.0.15 and to Sidecache over TCP, in RESP2 and RESP3; every reply must
/// be the same bytes on the wire.
///
/// `OBJECT ENCODING` after the writers checks that values are stored as Redis stores them.
/// Not covered: WRONGTYPE, since Sidecache stores only strings so far (no command can make a
/// key of another type on both servers).
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct BitCommandsDifferentialTests {
    // MARK: Cases

    /// Values the cases below start from: `s` an embstr, `n` an int, `e` empty, `big` raw,
    /// `ones` all bits set, `zeros` all clear, `bin` arbitrary bytes, `t` a key with a TTL.
    static let setup: [[[UInt8]]] = [
        words("FLUSHALL"),
        words("SET", "s", "foobar"),
        words("SET", "n", "12345"),
        words("SET", "e", ""),
        words("SET", "big", String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 3)),
        words("SET", "ones") + [[0xFF, 0xFF, 0xFF]],
        words("SET", "zeros") + [[0x00, 0x00, 0x00]],
        words("SET", "bin") + [[0x00, 0x01, 0xFF, 0x80, 0x61, 0x00, 0xF0, 0x0F]],
        words("SET", "t", "ttl-value", "EX", "1000"),
    ]

    static func words(_ texts: String...) -> [[UInt8]] { texts.map { Array($0.utf8) } }

    static let setbitCases: [[String]] = [
        ["SETBIT", "sb", "7", "1"], ["GET", "sb"], ["STRLEN", "sb"],
        ["SETBIT", "sb", "7", "1"], ["SETBIT", "sb", "7", "0"], ["GET", "sb"],
        ["SETBIT", "sb", "100", "0"], ["STRLEN", "sb"], ["GET", "sb"],
        ["OBJECT", "ENCODING", "sb"], ["SET", "s3", "abc"], ["SETBIT", "s3", "0", "0"], ["OBJECT", "ENCODING", "s3"],
        ["SETBIT", "s", "1", "0"], ["GET", "s"], ["SETBIT", "s", "0", "0"], ["GET", "s"], ["OBJECT", "ENCODING", "s"],
        ["SETBIT", "n", "0", "1"], ["GET", "n"], ["SETBIT", "n", "6", "1"], ["GET", "n"], ["OBJECT", "ENCODING", "n"],
        ["SET", "n3", "7"], ["SETBIT", "n3", "2", "1"], ["OBJECT", "ENCODING", "n3"],
        ["SETBIT", "e", "0", "0"], ["GET", "e"], ["OBJECT", "ENCODING", "e"],
        ["SETBIT", "t", "3", "1"], ["GET", "t"], ["TTL", "t"],
        ["SETBIT", "sb", "-1", "1"], ["SETBIT", "sb", "abc", "1"], ["SETBIT", "sb", "1.5", "1"],
        ["SETBIT", "sb", "", "1"], ["SETBIT", "sb", " 1", "1"], ["SETBIT", "sb", "01", "1"],
        ["SETBIT", "sb", "4294967296", "1"], ["SETBIT", "sb", "9223372036854775808", "1"],
        ["SETBIT", "sb", "0", "2"], ["SETBIT", "sb", "0", "-1"], ["SETBIT", "sb", "0", "x"], ["SETBIT", "sb", "0", ""],
        ["SETBIT", "sb", "-1", "x"], ["SETBIT", "nokey", "0", "x"], ["EXISTS", "nokey"],
        ["SETBIT", "sb", "0"], ["SETBIT", "sb", "0", "1", "1"], ["setbit", "sb", "0", "1"],
    ]

    static let getbitCases: [[String]] = [
        ["GETBIT", "s", "0"], ["GETBIT", "s", "1"], ["GETBIT", "s", "2"], ["GETBIT", "s", "47"], ["GETBIT", "s", "48"],
        ["GETBIT", "s", "4294967295"], ["GETBIT", "n", "2"], ["GETBIT", "n", "3"], ["GETBIT", "nokey", "0"],
        ["GETBIT", "e", "0"], ["GETBIT", "ones", "0"], ["GETBIT", "ones", "1"],
        ["SET", "gi", "12"], ["GETBIT", "gi", "2"], ["OBJECT", "ENCODING", "gi"],
        ["GETBIT", "s", "-1"], ["GETBIT", "s", "x"], ["GETBIT", "s", "4294967296"], ["GETBIT", "nokey", "-1"],
        ["GETBIT", "s"], ["GETBIT", "s", "0", "0"],
    ]

    static let bitcountCases: [[String]] = [
        ["BITCOUNT", "s"], ["BITCOUNT", "n"], ["BITCOUNT", "e"], ["BITCOUNT", "big"], ["BITCOUNT", "bin"],
        ["BITCOUNT", "s", "0", "0"], ["BITCOUNT", "s", "1", "1"], ["BITCOUNT", "s", "0", "-1"], ["BITCOUNT", "s", "-2", "-1"],
        ["BITCOUNT", "s", "-100", "100"], ["BITCOUNT", "s", "3", "1"], ["BITCOUNT", "s", "10", "20"],
        ["BITCOUNT", "s", "-1", "-2"], ["BITCOUNT", "s", "-1", "-2", "foo"], ["BITCOUNT", "s", "5", "1", "foo"],
        ["BITCOUNT", "s", "0", "0", "BYTE"], ["BITCOUNT", "s", "0", "0", "byte"], ["BITCOUNT", "s", "1", "1", "BIT"],
        ["BITCOUNT", "s", "5", "30", "bit"], ["BITCOUNT", "s", "-5", "-1", "BiT"], ["BITCOUNT", "s", "-100", "-3", "BIT"],
        ["BITCOUNT", "s", "47", "47", "BIT"], ["BITCOUNT", "s", "48", "100", "BIT"], ["BITCOUNT", "s", "3", "2", "BIT"],
        ["BITCOUNT", "s", "0", "0", "bits"], ["BITCOUNT", "s", "0"], ["BITCOUNT", "s", "0", "1", "BIT", "x"],
        ["BITCOUNT", "s", "x", "1"], ["BITCOUNT", "s", "0", "x"], ["BITCOUNT", "s", "x", "y", "foo"],
        ["BITCOUNT", "s", "9223372036854775807", "-9223372036854775808"],
        ["BITCOUNT", "s", "-9223372036854775808", "9223372036854775807", "BIT"],
        ["BITCOUNT", "nokey"], ["BITCOUNT", "nokey", "x"], ["BITCOUNT", "nokey", "0", "1", "foo", "bar"],
        ["BITCOUNT"],
    ]

    static let bitposCases: [[String]] = [
        ["BITPOS", "s", "1"], ["BITPOS", "s", "0"], ["BITPOS", "ones", "1"], ["BITPOS", "ones", "0"],
        ["BITPOS", "zeros", "1"], ["BITPOS", "zeros", "0"], ["BITPOS", "e", "0"], ["BITPOS", "e", "1"],
        ["BITPOS", "n", "1"], ["BITPOS", "big", "0"], ["BITPOS", "bin", "1", "2"],
        ["BITPOS", "nokey", "0"], ["BITPOS", "nokey", "1"], ["BITPOS", "nokey", "1", "x", "y", "z", "w"],
        ["BITPOS", "s", "1", "1"], ["BITPOS", "s", "1", "-1"], ["BITPOS", "s", "0", "2", "4"], ["BITPOS", "s", "1", "3", "2"],
        ["BITPOS", "s", "1", "7", "15", "BIT"], ["BITPOS", "s", "0", "7", "15", "bit"], ["BITPOS", "s", "1", "0", "-1", "BYTE"],
        ["BITPOS", "s", "1", "-3", "-1", "bit"], ["BITPOS", "s", "0", "100"], ["BITPOS", "s", "1", "100", "200", "BIT"],
        ["BITPOS", "ones", "0", "0"], ["BITPOS", "ones", "0", "0", "-1"], ["BITPOS", "ones", "0", "1", "20", "BIT"],
        ["BITPOS", "ones", "0", "8", "8", "BIT"], ["BITPOS", "ones", "0", "0", "23", "BIT"], ["BITPOS", "zeros", "1", "0", "-1", "BIT"],
        ["BITPOS", "s", "2"], ["BITPOS", "s", "-1"], ["BITPOS", "s", "x"], ["BITPOS", "nokey", "2"],
        ["BITPOS", "s", "1", "x"], ["BITPOS", "s", "1", "0", "x"], ["BITPOS", "s", "1", "0", "x", "foo"],
        ["BITPOS", "s", "1", "0", "1", "foo"], ["BITPOS", "s", "1", "x", "1", "foo"], ["BITPOS", "s", "1", "0", "1", "BIT", "x"],
        ["BITPOS", "s"],
    ]

    static let bitopCases: [[String]] = [
        ["BITOP", "AND", "d", "s", "big"], ["GET", "d"], ["STRLEN", "d"], ["OBJECT", "ENCODING", "d"],
        ["BITOP", "or", "d", "s", "n", "nokey"], ["GET", "d"],
        ["BITOP", "XoR", "d", "s", "s"], ["GET", "d"],
        ["BITOP", "NOT", "d", "bin"], ["GET", "d"],
        ["BITOP", "AND", "d", "s", "nokey"], ["GET", "d"],
        ["BITOP", "AND", "d", "s"], ["GET", "d"],
        ["BITOP", "XOR", "s2", "s", "n", "bin", "ones"], ["GET", "s2"],
        ["BITOP", "OR", "s2", "s2", "zeros"], ["GET", "s2"],
        ["SET", "dt", "x", "EX", "100"], ["BITOP", "OR", "dt", "s"], ["TTL", "dt"], ["GET", "dt"],
        ["BITOP", "AND", "d", "nokey", "nokey2"], ["EXISTS", "d"], ["GET", "d"],
        ["BITOP", "AND", "d", "nokey", "nokey2"], ["EXISTS", "d"],
        ["BITOP", "OR", "d", "e", "e"], ["EXISTS", "d"],
        ["BITOP", "NOT", "d", "e"],
        ["BITOP", "NOT", "d", "s", "n"], ["BITOP", "NOT", "d", "nokey", "nokey"], ["BITOP", "NAND", "d", "s"],
        ["BITOP", "", "d", "s"], ["BITOP", "AN", "d", "s"], ["BITOP", "NAND", "d", "s", "n"],
        ["BITOP", "AND", "d"], ["BITOP", "NOT"],
    ]

    static let bitfieldCases: [[String]] = [
        ["BITFIELD", "s", "GET", "u8", "0"], ["BITFIELD", "s", "GET", "i8", "0", "GET", "u4", "4", "get", "i16", "#1"],
        ["BITFIELD", "s", "GET", "u63", "0"], ["BITFIELD", "s", "GET", "i64", "0"], ["BITFIELD", "s", "GET", "u8", "1000"],
        ["BITFIELD", "n", "GET", "u8", "0"], ["OBJECT", "ENCODING", "n"], ["BITFIELD", "nokey", "GET", "u8", "0"], ["EXISTS", "nokey"],
        ["BITFIELD", "bf", "SET", "u8", "0", "255"], ["GET", "bf"], ["OBJECT", "ENCODING", "bf"],
        ["BITFIELD", "bf", "SET", "u8", "0", "255"],
        ["BITFIELD", "bf", "INCRBY", "u8", "0", "1"], ["BITFIELD", "bf", "INCRBY", "i8", "0", "-200"],
        ["BITFIELD", "bf", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "INCRBY", "i8", "8", "-300"],
        ["BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300", "SET", "i4", "#3", "100", "GET", "u16", "0"],
        ["BITFIELD", "bf", "OVERFLOW", "fail", "SET", "u2", "100", "4"], ["STRLEN", "bf"], ["GET", "bf"],
        ["BITFIELD", "newbf", "OVERFLOW", "FAIL", "SET", "u2", "0", "4"], ["EXISTS", "newbf"], ["GET", "newbf"],
        ["BITFIELD", "bf", "OVERFLOW", "WRAP", "SET", "i64", "0", "-9223372036854775808", "INCRBY", "i64", "0", "-1"],
        [
            "BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "i8", "0", "-1000", "SET", "u8", "0", "-1", "INCRBY", "u63", "0",
            "9223372036854775807",
        ],
        ["BITFIELD", "bf", "SET", "u8", "#2", "65", "GET", "u8", "#2", "SET", "u8", "0", "66", "OVERFLOW", "SAT"],
        ["GET", "bf"],
        ["BITFIELD", "s", "SET", "i5", "3", "3"], ["GET", "s"],
        ["BITFIELD", "n", "INCRBY", "u8", "100", "0"], ["GET", "n"], ["SET", "n4", "5"],
        ["BITFIELD", "n4", "OVERFLOW", "FAIL", "SET", "u2", "0", "9"], ["GET", "n4"], ["OBJECT", "ENCODING", "n4"],
        ["BITFIELD", "t", "SET", "u8", "0", "0"], ["TTL", "t"],
        ["BITFIELD", "s"], ["BITFIELD", "nokey"],
        ["BITFIELD", "s", "GET", "u64", "0"], ["BITFIELD", "s", "GET", "i65", "0"], ["BITFIELD", "s", "GET", "i0", "0"],
        ["BITFIELD", "s", "GET", "U8", "0"], ["BITFIELD", "s", "GET", "x8", "0"], ["BITFIELD", "s", "GET", "u", "0"],
        ["BITFIELD", "s", "GET", "u8", "-1"], ["BITFIELD", "s", "GET", "u8", "x"], ["BITFIELD", "s", "GET", "u8", "#x"],
        ["BITFIELD", "s", "GET", "u8", "4294967296"], ["BITFIELD", "s", "GET", "u8", "#536870912"],
        ["BITFIELD", "s", "GET", "u8", "#-1"], ["BITFIELD", "s", "SET", "u8", "0", "x"], ["BITFIELD", "s", "INCRBY", "u8", "0", "1.5"],
        ["BITFIELD", "s", "GET", "u8"], ["BITFIELD", "s", "SET", "u8", "0"], ["BITFIELD", "s", "FOO", "u8", "0"],
        ["BITFIELD", "s", "OVERFLOW", "FOO", "GET", "u8", "0"], ["BITFIELD", "s", "OVERFLOW"],
        ["BITFIELD", "s", "GET", "u8", "0", "OVERFLOW", "SAT"], ["BITFIELD", "s", "SET", "x8", "0", "1", "FOO"],
        ["BITFIELD", "s", "GET", "u8", "0", "SET", "u8", "0", "x", "GET", "u99", "0"], ["GET", "s"],
        ["BITFIELD_RO", "s", "GET", "u8", "0", "GET", "i4", "#3"], ["BITFIELD_RO", "nokey", "GET", "u8", "0"],
        ["BITFIELD_RO", "s"], ["BITFIELD_RO", "s", "SET", "u8", "0", "1"], ["BITFIELD_RO", "s", "INCRBY", "u8", "0", "1"],
        ["BITFIELD_RO", "s", "GET", "u8", "0", "SET", "u8", "0", "1", "GET", "x1", "0"],
        ["BITFIELD_RO", "s", "OVERFLOW", "SAT", "GET", "u8", "0"], ["BITFIELD_RO", "s", "SET", "u8", "0", "x"],
        ["BITFIELD_RO", "s", "GET"], ["BITFIELD"], ["BITFIELD_RO"],
    ]

    static let lcsCases: [[String]] = [
        ["MSET", "a", "ohmytext", "b", "mynewtext", "x", "ACGTTGCAAGT", "y", "GTTACAGTAC"],
        ["LCS", "a", "b"], ["OBJECT", "ENCODING", "a"], ["LCS", "a", "b", "LEN"], ["LCS", "a", "b", "IDX"],
        ["LCS", "a", "b", "idx", "withmatchlen"],
        ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4"], ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
        ["LCS", "a", "b", "MINMATCHLEN", "-5", "IDX"], ["LCS", "a", "b", "MINMATCHLEN", "2"], ["LCS", "a", "b", "WITHMATCHLEN"],
        ["LCS", "a", "b", "LEN", "LEN"], ["LCS", "x", "y"], ["LCS", "x", "y", "IDX", "WITHMATCHLEN"], ["LCS", "y", "x", "IDX"],
        ["LCS", "a", "a"], ["LCS", "a", "a", "IDX"], ["LCS", "a", "nokey"], ["LCS", "nokey", "nokey2", "IDX"],
        ["LCS", "nokey", "b", "LEN"], ["LCS", "n", "big"], ["LCS", "n", "n", "IDX", "WITHMATCHLEN"], ["LCS", "e", "s", "IDX"],
        ["LCS", "bin", "zeros", "IDX"], ["LCS", "big", "big", "LEN"],
        ["LCS", "a", "b", "LEN", "IDX"], ["LCS", "a", "b", "IDX", "LEN", "FOO"], ["LCS", "a", "b", "FOO"],
        ["LCS", "a", "b", "MINMATCHLEN"], ["LCS", "a", "b", "MINMATCHLEN", "x"], ["LCS", "a", "b", "IDX", "MINMATCHLEN", "1.5"],
        ["LCS", "nokey", "nokey", "FOO"], ["LCS", "a"],
    ]

    static let incrbyfloatCases: [[String]] = [
        ["INCRBYFLOAT", "f", "10.5"], ["GET", "f"], ["INCRBYFLOAT", "f", "0.1"], ["INCRBYFLOAT", "f", "-5"],
        ["INCRBYFLOAT", "f", "5.0e3"], ["INCRBYFLOAT", "f", "-5.0E+3"], ["INCRBYFLOAT", "f", "0x10"], ["INCRBYFLOAT", "f", "-0.6"],
        ["INCRBYFLOAT", "f", "-10"], ["GET", "f"], ["OBJECT", "ENCODING", "f"],
        ["INCRBYFLOAT", "n", "1"], ["OBJECT", "ENCODING", "n"], ["INCRBYFLOAT", "n", "1.5"], ["INCRBYFLOAT", "n", "-12347.5"],
        ["GET", "n"],
        ["SET", "g", "3.0"], ["INCRBYFLOAT", "g", "0"], ["SET", "g", "1e300"], ["INCRBYFLOAT", "g", "1"], ["OBJECT", "ENCODING", "g"],
        ["SET", "g", "-1.5e-10"], ["INCRBYFLOAT", "g", "1.5e-10"], ["INCRBYFLOAT", "g", "1.23456789012345678901"],
        ["INCRBYFLOAT", "g", "1e4000"], ["INCRBYFLOAT", "g", "-1e4000"], ["INCRBYFLOAT", "g", "1e-4950"],
        ["INCRBYFLOAT", "t", "1"], ["SET", "t", "5", "EX", "1000"], ["INCRBYFLOAT", "t", "1"], ["TTL", "t"],
        ["SET", "h", "1"], ["INCRBYFLOAT", "h", "123456789012345678901234567890123456789012"], ["OBJECT", "ENCODING", "h"],
        ["INCRBYFLOAT", "h", "3000000000000000000000000000000000000000000"], ["OBJECT", "ENCODING", "h"], ["STRLEN", "h"],
        ["INCRBYFLOAT", "s", "1"], ["INCRBYFLOAT", "e", "1"], ["INCRBYFLOAT", "big", "1"], ["GET", "e"],
        ["INCRBYFLOAT", "g", "abc"], ["INCRBYFLOAT", "g", ""], ["INCRBYFLOAT", "g", " 1"], ["INCRBYFLOAT", "g", "1 "],
        ["INCRBYFLOAT", "g", "inf"], ["INCRBYFLOAT", "g", "-inf"], ["INCRBYFLOAT", "g", "nan"], ["INCRBYFLOAT", "g", "1e5000"],
        ["INCRBYFLOAT", "g", "1e-5000"], ["SET", "g", "inf"], ["INCRBYFLOAT", "g", "1"], ["INCRBYFLOAT", "g", "-inf"],
        ["SET", "g", "1.7976931348623157e308"], ["INCRBYFLOAT", "g", "1.7976931348623157e308"],
        ["INCRBYFLOAT", "nokey2", "abc"], ["EXISTS", "nokey2"], ["INCRBYFLOAT", "nokey2", "-0"], ["GET", "nokey2"],
        ["INCRBYFLOAT", "g"], ["INCRBYFLOAT", "g", "1", "2"],
    ]

    /// proto-max-bulk-len bounds bit offsets and the LCS table (1mb is its minimum).
    static let limitCases: [[String]] = [
        ["CONFIG", "SET", "proto-max-bulk-len", "1mb"],
        ["SETBIT", "lim", "8388608", "1"], ["GETBIT", "lim", "8388608"], ["BITFIELD", "lim", "GET", "u8", "8388608"],
        ["BITFIELD", "lim", "SET", "u8", "#1048576", "1"], ["EXISTS", "lim"],
        ["SETBIT", "lim", "8388607", "1"], ["STRLEN", "lim"], ["GETBIT", "lim", "8388607"], ["BITCOUNT", "lim"],
        ["BITPOS", "lim", "1"], ["BITFIELD", "lim2", "SET", "i64", "8388607", "-1"], ["STRLEN", "lim2"],
        ["BITFIELD", "lim2", "GET", "i64", "8388607", "GET", "u8", "#1048576"],
        ["SETRANGE", "la", "599", "a"], ["SETRANGE", "lb", "599", "b"], ["LCS", "la", "lb"], ["LCS", "la", "lb", "LEN"],
        ["SETRANGE", "la", "400", ""], ["SETRANGE", "lc", "400", "c"], ["LCS", "la", "lc", "IDX"],
        ["DEL", "lim", "lim2"],
        ["CONFIG", "SET", "proto-max-bulk-len", "512mb"],
    ]

    /// MULTI/EXEC around the commands: replies inside EXEC's array, and the watch rules below.
    static let transactionCases: [[String]] = [
        ["MULTI"], ["SETBIT", "tx", "3", "1"], ["BITFIELD", "tx", "INCRBY", "u4", "0", "3"], ["BITCOUNT", "tx"],
        ["LCS", "tx", "s", "IDX"], ["INCRBYFLOAT", "tx2", "1.5"], ["BITOP", "NOT", "tx3", "tx"], ["EXEC"],
        ["MULTI"], ["SETBIT", "tx", "x", "1"], ["BITFIELD", "tx", "GET", "u4", "0"], ["EXEC"],
    ]

    static var allCases: [[[UInt8]]] {
        let cases =
            setbitCases + getbitCases + bitcountCases + bitposCases + bitopCases + bitfieldCases + lcsCases
            + incrbyfloatCases + limitCases + transactionCases
        return setup + cases.map { $0.map { Array($0.utf8) } }
    }

    // MARK: Tests

    @Test func everyCommandAndErrorRESP2() async throws {
        try await Self.withPeers { peers in
            for arguments in Self.allCases { try await peers.compare(arguments, label: "RESP2") }
        }
    }

    @Test func everyCommandAndErrorRESP3() async throws {
        try await Self.withPeers { peers in
            try await peers.hello3()
            for arguments in Self.allCases { try await peers.compare(arguments, label: "RESP3") }
        }
    }

    /// Which commands look keys up for reading (counted in `keyspace_hits`/`keyspace_misses`)
    /// and which for writing (not counted) must match too.
    @Test func keyspaceHitsAndMisses() async throws {
        let ours: Set<String> = ["SETBIT", "GETBIT", "BITCOUNT", "BITPOS", "BITOP", "BITFIELD", "BITFIELD_RO", "LCS", "INCRBYFLOAT"]
        let cases = Self.allCases.filter { ours.contains(String(decoding: $0[0], as: UTF8.self).uppercased()) }
        try await Self.withPeers { peers in
            for arguments in Self.setup { try await peers.compare(arguments, label: "stats setup") }
            try await peers.compare(["CONFIG", "RESETSTAT"], label: "stats")
            for arguments in cases {
                let request = Self.encode(arguments)
                try await peers.reference.send(request)
                try await peers.subject.send(request)
                _ = try await Self.rawReply(peers.reference)
                _ = try await Self.rawReply(peers.subject)
            }
            func counters(_ client: TestClient) async throws -> [Substring] {
                let info = try await client.command("INFO", "stats").text ?? ""
                return info.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("keyspace_hits:") || $0.hasPrefix("keyspace_misses:") }
            }
            let expected = try await counters(peers.reference)
            let actual = try await counters(peers.subject)
            #expect(expected.count == 2)
            #expect(expected == actual)
        }
    }

    /// A key is signalled to WATCH (and so EXEC answers null) exactly when Redis signals it:
    /// SETBIT and BITFIELD only when the value changed or grew, BITOP when it stored or
    /// deleted, INCRBYFLOAT always, reads and refused commands never.
    @Test func watchersSeeWhatRedisSignals() async throws {
        let commands: [[String]] = [
            ["SETBIT", "w", "0", "1"], ["SETBIT", "w", "0", "1"], ["SETBIT", "w", "1", "0"], ["SETBIT", "w", "9", "0"],
            ["SETBIT", "w", "x", "1"], ["GETBIT", "w", "0"], ["BITCOUNT", "w"], ["BITPOS", "w", "1"], ["LCS", "w", "w"],
            ["BITFIELD", "w", "SET", "u8", "0", "128"], ["BITFIELD", "w", "SET", "u8", "0", "128"],
            ["BITFIELD", "w", "SET", "u8", "0", "129"], ["BITFIELD", "w", "INCRBY", "u8", "0", "0"],
            ["BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"],
            ["BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "u8", "40", "1000"],
            ["BITFIELD", "w", "GET", "u8", "0"], ["BITFIELD_RO", "w", "GET", "u8", "0"],
            ["BITOP", "OR", "w", "w"], ["BITOP", "AND", "w", "nokey"], ["BITOP", "AND", "w", "nokey"],
            ["INCRBYFLOAT", "w", "1"], ["INCRBYFLOAT", "w", "0"], ["INCRBYFLOAT", "w", "x"],
        ]
        for version in ["2", "3"] {
            try await Self.withPeers { peers in
                if version == "3" { try await peers.hello3() }
                for command in commands {
                    try await peers.compare(["WATCH", "w"], label: "watch RESP\(version)")
                    try await peers.compare(command, label: "watch RESP\(version)")
                    try await peers.compare(["MULTI"], label: "watch RESP\(version)")
                    try await peers.compare(["PING"], label: "watch RESP\(version)")
                    try await peers.compare(["EXEC"], label: "watch RESP\(version) after \(command.joined(separator: " "))")
                }
            }
        }
    }

    @Test func seededRandomSequenceRESP2() async throws {
        try await Self.withPeers { peers in
            try await Self.runRandomSequence(peers, seed: 0xB175_0001, count: 400, label: "random RESP2")
        }
    }

    @Test func seededRandomSequenceRESP3() async throws {
        try await Self.withPeers { peers in
            try await peers.hello3()
            try await Self.runRandomSequence(peers, seed: 0xB175_0003, count: 400, label: "random RESP3")
        }
    }

    // MARK: Random sequence

    /// `count` commands over three keys mixing writers (SETBIT, BITFIELD, BITOP, APPEND, SETRANGE,
    /// INCRBYFLOAT, SET) and readers (GET, GETBIT, BITCOUNT, BITPOS, BITFIELD_RO, LCS, OBJECT
    /// ENCODING), with offsets small enough that values stay short.
    static func runRandomSequence(_ peers: Peers, seed: UInt64, count: Int, label: String) async throws {
        var random = SplitMix64(seed: seed)
        let keys = ["r0", "r1", "r2"]
        try await peers.compare(["FLUSHALL"], label: label)
        for step in 0..<count {
            let command = randomCommand(&random, keys: keys)
            try await peers.compare(command, label: "\(label) step \(step) (seed \(seed))")
        }
        for key in keys { try await peers.compare([Array("GET".utf8), Array(key.utf8)], label: "\(label) final") }
    }

    static func randomCommand(_ random: inout SplitMix64, keys: [String]) -> [[UInt8]] {
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
        func int(_ range: ClosedRange<Int>) -> String { String(Int.random(in: range, using: &random)) }
        func bytes(_ maxLength: Int) -> [UInt8] {
            (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in
                pick([0x00, 0xFF, UInt8(ascii: "1"), UInt8(ascii: "."), UInt8.random(in: 0...255, using: &random)])
            }
        }
        func type() -> String { (Bool.random(using: &random) ? "i" : "u") + int(1...12) }
        func number() -> String {
            pick([int(-1000...1000), int(-50...50) + "." + int(0...999), int(1...9) + "e" + int(-3...3), "0.1", "-0.5", "x"])
        }
        let key = pick(keys)
        var command: [String]
        switch Int.random(in: 0..<20, using: &random) {
        case 0: command = ["SETBIT", key, int(0...130), int(0...1)]
        case 1: command = ["GETBIT", key, int(0...140)]
        case 2: command = ["BITCOUNT", key] + (Bool.random(using: &random) ? [int(-20...20), int(-20...20), pick(["BYTE", "BIT"])] : [])
        case 3:
            command =
                ["BITPOS", key, int(0...1)]
                + pick([[], [int(-10...10)], [int(-10...10), int(-10...10)], [int(-60...60), int(-60...60), "BIT"]])
        case 4:
            command =
                ["BITOP", pick(["AND", "OR", "XOR", "NOT"]), key]
                + (0..<Int.random(in: 1...3, using: &random)).map { _ in pick(keys + ["none"]) }
        case 5:
            command = [
                "BITFIELD", key, "OVERFLOW", pick(["WRAP", "SAT", "FAIL"]), "INCRBY", type(), int(0...100), int(-300...300), "GET", type(),
                int(0...100),
            ]
        case 6: command = ["BITFIELD", key, "SET", type(), pick([int(0...100), "#" + int(0...8)]), int(-5000...5000)]
        case 7: command = ["BITFIELD_RO", key, "GET", type(), int(0...150)]
        case 8: return [Array("APPEND".utf8), Array(key.utf8), bytes(6)]
        case 9: return [Array("SETRANGE".utf8), Array(key.utf8), Array(int(0...20).utf8), bytes(6)]
        case 10, 11: command = ["INCRBYFLOAT", key, number()]
        case 12: command = ["SET", key, pick([number(), "abc", int(0...99999), String(repeating: "z", count: 50)])]
        case 13: command = ["LCS", key, pick(keys)] + pick([[], ["LEN"], ["IDX"], ["IDX", "WITHMATCHLEN", "MINMATCHLEN", int(0...3)]])
        case 14: command = ["STRLEN", key]
        case 15: command = ["DEL", key]
        case 16: command = ["OBJECT", "ENCODING", key]
        default: command = ["GET", key]
        }
        return command.map { Array($0.utf8) }
    }

    // MARK: Two servers

    /// One connection to redis-server and one to Sidecache, fed the same requests.
    struct Peers {
        let reference: TestClient
        let subject: TestClient

        /// Sends `arguments` to both and expects byte-identical replies.
        func compare(_ arguments: [String], label: String) async throws {
            try await compare(arguments.map { Array($0.utf8) }, label: label)
        }

        func compare(_ arguments: [[UInt8]], label: String) async throws {
            let request = BitCommandsDifferentialTests.encode(arguments)
            try await reference.send(request)
            try await subject.send(request)
            let expected = try await BitCommandsDifferentialTests.rawReply(reference)
            let actual = try await BitCommandsDifferentialTests.rawReply(subject)
            let same = expected == actual
            #expect(
                same,
                """
                [\(label)] \(BitCommandsDifferentialTests.render(arguments: arguments))
                  redis-server: \(BitCommandsDifferentialTests.render(expected))
                  sidecache:    \(BitCommandsDifferentialTests.render(actual))
                """
            )
        }

        /// Switches both connections to RESP3 (the HELLO replies differ in `id` and are not compared).
        func hello3() async throws {
            let request = BitCommandsDifferentialTests.encode([Array("HELLO".utf8), Array("3".utf8)])
            try await reference.send(request)
            try await subject.send(request)
            _ = try await BitCommandsDifferentialTests.rawReply(reference)
            _ = try await BitCommandsDifferentialTests.rawReply(subject)
        }
    }

    /// Runs `body` with a fresh redis-server and Sidecache, stopping both afterwards.
    static func withPeers(_ body: (Peers) async throws -> Void) async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                let reference = try await TestClient.connect(port: redis.port)
                let subject = try await sidecache.connect()
                do {
                    let peers = Peers(reference: reference, subject: subject)
                    try await body(peers)
                    await reference.close()
                    await subject.close()
                } catch {
                    await reference.close()
                    await subject.close()
                    throw error
                }
            }
        }
    }

    // MARK: Wire helpers

    /// The bytes of `client`'s next whole reply, exactly as the server sent them.
    static func rawReply(_ client: TestClient, timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (reply, closed): ([UInt8]?, Bool) = try client.inbox.state.withLock { state in
                let start = state.buffer.readerIndex
                let before = state.buffer
                let value: RESPValue?
                do {
                    value = try client.parser.next(from: &state.buffer)
                } catch {
                    throw TestClientError(description: "unparsable reply: \(error)")
                }
                guard value != nil else { return (nil, state.closed) }
                // `before` still holds the consumed bytes as readable ones.
                return (before.getBytes(at: start, length: state.buffer.readerIndex - start), state.closed)
            }
            if let reply { return reply }
            if closed { throw TestClientError(description: "server closed the connection") }
            if ContinuousClock.now >= deadline { throw TestClientError(description: "no reply within \(timeout)") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    static func encode(_ arguments: [[UInt8]]) -> [UInt8] {
        var out = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            out += Array("$\(argument.count)\r\n".utf8)
            out += argument
            out += [0x0D, 0x0A]
        }
        return out
    }

    /// Bytes as readable text: printable ASCII as is, anything else escaped.
    static func render(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case 0x20..<0x7F where byte != UInt8(ascii: "\\"): text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return text
    }

    static func render(arguments: [[UInt8]]) -> String {
        arguments.map { render($0) }.joined(separator: " ")
    }

    /// SplitMix64: a small seeded generator, so that a failing sequence can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
