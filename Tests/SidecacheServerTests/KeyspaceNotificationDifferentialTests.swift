import SidecacheEngine
import Testing

/// Keyspace notifications against a real redis-server 7.0.15: the same string and key
/// commands run on both servers while subscribers listen on `__keyspace@*` / `__keyevent@*`;
/// the events each subscriber receives, and the commands' own replies, compared byte for byte.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct KeyspaceNotificationDifferentialTests {
    /// `notify-keyspace-events` as CONFIG SET accepts or refuses it and CONFIG GET prints it.
    @Test func configSetAndGetFlags() async throws {
        let values = [
            "", "KEA", "AKE", "KEAmn", "gx$E", "Kg$lshzxetdnm", "g$lshzxetd", "AAKK", "n", "m", "Ax", "KEx", "E",
            "KEq", "kea", "K E", "xyz", "A!",
        ]
        var cases: [RawCase] = [RawCase("CONFIG", "GET", "notify-keyspace-events")]
        for value in values {
            cases.append(RawCase("CONFIG", "SET", "notify-keyspace-events", value))
            cases.append(RawCase("CONFIG", "GET", "notify-keyspace-events"))
        }
        cases += [
            RawCase("CONFIG", "SET", "NOTIFY-KEYSPACE-EVENTS", "Eg"), RawCase("CONFIG", "GET", "notify-key*"),
            RawCase("CONFIG", "SET", "notify-keyspace-events", "Kx", "hz", "nope"),
            RawCase("CONFIG", "GET", "notify-keyspace-events"),
            RawCase("CONFIG", "SET", "notify-keyspace-events", ""),
        ]
        try await RawDifferential.compare(cases, label: "notify-keyspace-events")
    }

    /// Every string and key command Redis notifies for, with the events' classes and names,
    /// and the commands that notify nothing (failed conditions, no change).
    static let stringAndKeyCommands: [[String]] = [
        ["SET", "k", "v"], ["SET", "k", "v2", "GET"], ["SET", "k", "v", "EX", "100"], ["SET", "k", "v", "NX"],
        ["SET", "k", "v", "XX", "PX", "100000"], ["SET", "k", "v", "KEEPTTL"], ["SET", "absent", "v", "XX"],
        ["SETNX", "k2", "1"], ["SETNX", "k2", "1"], ["SETEX", "k3", "100", "v"], ["PSETEX", "k4", "100000", "v"],
        ["GETSET", "k", "z"], ["GETSET", "fresh", "z"], ["GETDEL", "k"], ["GETDEL", "k"], ["SET", "k", "1"],
        ["GETEX", "k"], ["GETEX", "k", "EX", "100"], ["GETEX", "k", "PERSIST"], ["GETEX", "k", "PERSIST"],
        ["GETEX", "k", "PXAT", "1"], ["GETEX", "k", "EX", "100"],
        ["MSET", "a", "1", "b", "2"], ["MSETNX", "c", "1", "d", "2"], ["MSETNX", "c", "1", "e", "2"],
        ["APPEND", "a", "x"], ["APPEND", "new", "x"], ["INCR", "b"], ["DECR", "b"], ["INCRBY", "b", "5"],
        ["DECRBY", "b", "2"], ["INCR", "a"], ["INCRBYFLOAT", "b", "1.5"], ["INCR", "nn"], ["INCRBYFLOAT", "nf", "1"],
        ["INCRBYFLOAT", "a", "x"], ["SETRANGE", "a", "1", "zz"], ["SETRANGE", "sr", "0", ""], ["SETRANGE", "sr", "2", "x"],
        ["SETRANGE", "a", "0", ""],
        ["SETBIT", "bb", "3", "1"], ["SETBIT", "bb", "3", "1"], ["SETBIT", "bb", "3", "0"], ["SETBIT", "bb", "100", "0"],
        ["BITFIELD", "bf", "SET", "u8", "0", "1"], ["BITFIELD", "bf", "GET", "u8", "0"],
        ["BITFIELD", "bf", "INCRBY", "u8", "0", "1", "SET", "u8", "8", "3"], ["BITFIELD", "bf", "SET", "u8", "8", "3"],
        ["BITFIELD", "bf2", "GET", "u8", "0"], ["BITFIELD_RO", "bf", "GET", "u8", "0"],
        ["BITOP", "AND", "dest", "bb", "bf"], ["BITOP", "AND", "dest", "none1", "none2"], ["BITOP", "OR", "dest", "n1"],
        ["GET", "a"], ["GET", "missing"], ["MGET", "a", "missing", "m2"], ["EXISTS", "missing"], ["TYPE", "missing"],
        ["TTL", "missing"], ["STRLEN", "missing"], ["GETRANGE", "missing", "0", "1"], ["GETBIT", "missing", "1"],
        ["BITCOUNT", "missing"], ["BITPOS", "missing", "1"], ["DUMP", "missing"], ["OBJECT", "ENCODING", "missing"],
        ["TOUCH", "a", "missing"], ["LCS", "a", "missing"], ["COPY", "missing", "x"], ["OBJECT", "FREQ", "missing"],
        ["OBJECT", "IDLETIME", "missing"], ["MEMORY", "USAGE", "missing"], ["PTTL", "missing"],
        ["EXPIRETIME", "missing"], ["KEYS", "dest"], ["SCAN", "0", "MATCH", "dest", "COUNT", "1000"], ["SUBSTR", "missing", "0", "1"],
        ["DEL", "a", "b", "zz"], ["UNLINK", "c"], ["EXPIRE", "d", "100"], ["PEXPIRE", "d", "200000", "GT"],
        ["EXPIRE", "d", "10", "GT"], ["EXPIREAT", "d", "1"], ["EXPIRE", "e", "0"], ["SET", "e", "1"], ["EXPIRE", "e", "-1"],
        ["SET", "p", "1", "EX", "100"], ["PERSIST", "p"], ["PERSIST", "p"], ["PEXPIREAT", "missing", "1"],
        ["RENAME", "p", "p2"], ["RENAMENX", "p2", "p3"], ["SET", "q", "1"], ["RENAMENX", "q", "p3"], ["RENAME", "p3", "q"],
        ["RENAME", "q", "q"], ["RENAME", "missing", "x"],
        ["COPY", "q", "q2"], ["COPY", "q", "q2"], ["COPY", "q", "q2", "REPLACE"], ["COPY", "q", "q9", "DB", "1"],
        ["MOVE", "q", "2"], ["SET", "m", "1"], ["MOVE", "m", "2"], ["MOVE", "missing", "2"],
        ["SWAPDB", "0", "1"], ["SWAPDB", "0", "1"], ["FLUSHDB"], ["SET", "again", "1"], ["FLUSHALL"],
    ]

    /// Steps of `commands` on connection `connection`, a few commands a step.
    static func steps(_ commands: [[String]], on connection: Int) -> [PubSubStep] {
        stride(from: 0, to: commands.count, by: 6).map { start in
            PubSubStep(connection, bytes: commands[start..<min(start + 6, commands.count)].map { $0.map { Array($0.utf8) } })
        }
    }

    /// A RESP2 subscriber to every keyspace and keyevent channel watches another connection
    /// run the commands, under several `notify-keyspace-events` settings.
    @Test(arguments: ["KEA", "KEAnm", "Kg$", "Ex", "E$n", "Km", "K", "Axm"])
    func otherConnectionReceivesTheEvents(flags: String) async throws {
        let setUp = [
            PubSubStep(1, ["CONFIG", "SET", "notify-keyspace-events", flags]),
            PubSubStep(0, ["PSUBSCRIBE", "__keyspace@*__:*", "__keyevent@*__:*"]),
        ]
        let restore = DumpPayload.encode(.string(Array("restored".utf8)))
        let restores = PubSubStep(1, bytes: [
            [Array("RESTORE".utf8), Array("r".utf8), Array("0".utf8), restore],
            [Array("RESTORE".utf8), Array("r".utf8), Array("0".utf8), restore],
            [Array("RESTORE".utf8), Array("r".utf8), Array("0".utf8), restore, Array("REPLACE".utf8)],
            [Array("RESTORE".utf8), Array("r".utf8), Array("1".utf8), restore, Array("REPLACE".utf8), Array("ABSTTL".utf8)],
            [Array("RESTORE".utf8), Array("r2".utf8), Array("100000".utf8), restore],
        ])
        try await PubSubDifferential.compare(
            setUp + Self.steps(Self.stringAndKeyCommands, on: 1) + [restores],
            connections: 2,
            label: "events with \(flags)"
        )
    }

    /// A RESP3 connection subscribed to its own events gets each push where Redis writes it:
    /// before the reply for most commands, after it for EXPIRE, BITFIELD, GETEX and the like.
    @Test func resp3ConnectionSeesItsOwnEventsInRedisOrder() async throws {
        let setUp = [
            .hello(0, "3"),
            PubSubStep(0, ["CONFIG", "SET", "notify-keyspace-events", "KEAnm"], ["PSUBSCRIBE", "__keyevent@*__:*"]),
        ]
        try await PubSubDifferential.compare(
            setUp + Self.steps(Self.stringAndKeyCommands, on: 0), connections: 1, label: "own events RESP3")
    }

    /// `expired` events from lazy and active expiry (which one fires depends on timing, the
    /// stream does not), and the `del` of an expiry set in the past.
    @Test func expiryEvents() async throws {
        let steps = [
            .hello(1, "3"),
            PubSubStep(1, ["CONFIG", "SET", "notify-keyspace-events", "KEAm"], ["PSUBSCRIBE", "__keyevent@*__:*"]),
            PubSubStep(0, ["PSUBSCRIBE", "__keyspace@*__:*", "__keyevent@*__:*"]),
            PubSubStep(1, ["SET", "k", "v", "PX", "1"], pauseMilliseconds: 30),
            PubSubStep(1, ["GET", "k"], ["SET", "k", "v", "PX", "1"], pauseMilliseconds: 30),
            PubSubStep(1, ["EXISTS", "k"], ["SET", "k", "v"], ["PEXPIRE", "k", "1"], pauseMilliseconds: 30),
            PubSubStep(1, ["SCAN", "0"], ["SET", "k", "v", "EX", "100"], ["EXPIRE", "k", "-1"], ["SET", "k", "v"]),
            PubSubStep(1, ["SELECT", "3"], ["SET", "k", "v", "PX", "1"], pauseMilliseconds: 30),
            PubSubStep(1, ["TTL", "k"], ["SELECT", "0"], ["GET", "k"]),
        ]
        try await PubSubDifferential.compare(steps, connections: 2, wholeStreams: true, label: "expiry")
    }
}
