import Testing

/// ACL against a real redis-server 7.0.15: the same ACL SETUSER rules and the same commands on
/// both servers, replies compared byte for byte (RESP2 and RESP3), and the counters they move.
/// Cases keep to users whose rules describe with at most one single-command rule: Redis lists
/// those in its hash table's order, which changes with each process (`ACLOrderFreeTests`).
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ACLDifferentialTests {
    /// Runs as the default user again (it has no password: any password opens it).
    static let backToDefault = RawCase("AUTH", "default", "any")
    static let cleanUp = [
        RawCase("ACL", "DELUSER", "alice", "bob", "carol", "dave", "erin", "sel"), RawCase("ACL", "LOG", "RESET"),
        RawCase("FLUSHALL"),
    ]

    /// Every refused rule with Redis's error, and that a refused SETUSER changes nothing.
    @Test func ruleErrors() async throws {
        let bad: [[String]] = [
            ["bad"], ["~*", "~a"], ["allkeys", "%R~a"], ["&*", "&a"], ["allchannels", "&a"], ["+nope"], ["-nope"],
            ["-@nope"], ["+@"], ["+"], ["-"], ["@read"], ["<nope"], ["!nope"], ["#abc"], ["!abc"],
            ["#" + String(repeating: "A", count: 64)], ["+client|id|x"], ["+get|"], ["-select|0"], ["-client|nope"],
            ["+client|nope"], ["%RR~c"], ["%X~d"], ["%R~a b"], ["~a b"], ["&a b"], [")"], ["on", "(~x"], ["(~x", "+get"],
            ["(", "+get"], ["(+get", "~x)", "(", "-set"], ["on", "+get", "bad", "~x"], ["(+nope)"], ["(~a ~b) (bad)"],
            ["(~* ~a)"],
        ]
        var cases = Self.cleanUp
        for rules in bad {
            cases.append(RawCase(["ACL", "SETUSER", "bob"] + rules))
            cases.append(RawCase("ACL", "GETUSER", "bob"))
        }
        cases += [
            RawCase("ACL", "SETUSER", "a b"), RawCase("ACL", "SETUSER", "a\tb", "on"), RawCase("ACL", "SETUSER"),
            RawCase("ACL", "GETUSER"), RawCase("ACL", "GETUSER", "bob", "x"), RawCase("ACL", "DELUSER"),
            RawCase("ACL", "USERS"), RawCase("ACL", "LIST"),
        ]
        try await RawDifferential.compare(cases, label: "ACL rule errors")
    }

    /// GETUSER and LIST for rules that exercise every kind of rule.
    @Test func getUserAndList() async throws {
        let hash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
        let users: [[String]] = [
            [],
            ["reset"],
            ["on", ">pw1", ">pw2", ">pw1", "<pw1", "#\(hash)", "!\(hash)", "#\(hash)"],
            ["on", "nopass", "allkeys", "allchannels", "allcommands"],
            ["on", ">x", "nopass"],
            ["nopass", "resetpass", "off", "ON", "NoPass"],
            ["~", "%R", "%RW~a", "%WR~b", "%r~lower", "%W~w*", "%R~w*", "~x*", "&", "&ch*", "&ch*", "resetchannels", "&n*"],
            ["~a", "allkeys"], ["~a", "resetkeys", "~b"], ["&a", "allchannels"], ["allchannels", "resetchannels", "&c"],
            ["+@all"], ["allcommands", "-@write"], ["allcommands", "-@dangerous"], ["-@all", "+@read"],
            ["+@all", "-@all"], ["nocommands", "+@hash"], ["+@string"], ["+@pubsub"], ["+@admin"],
            ["+get"], ["+@read", "-get"], ["+@all", "-flushall"], ["+client|id"], ["+select|0"], ["+select|0", "+SELECT|0", "+select|1"],
            ["+select|0", "+select"], ["+select|0", "-select"], ["+@all", "-select", "+select|0"], ["+@all", "-client|kill"],
            ["+acl|whoami"], ["+@all", "-acl"], ["+acl", "-acl|setuser", "+acl|setuser"], ["+get|key"], ["+@string", "-@all"],
            ["skip-sanitize-payload"], ["sanitize-payload"], ["", "on", ""],
            ["(~x* +get)"], ["(", "~x*", "+get", ")"], ["()"], ["(%R~r* &c +@read)", "(+set ~w)", "clearselectors", "(+get)"],
            ["(~a)", "(~a)"], ["on", "(\"~a\" '+get')"], ["(~\"a b\")"], ["(~'unbalanced)"],
            ["reset", "on", "nopass", "~*", "&*", "+@all"],
        ]
        var cases = Self.cleanUp
        for rules in users {
            cases += [
                RawCase("ACL", "DELUSER", "carol"), RawCase(["ACL", "SETUSER", "carol"] + rules),
                RawCase("ACL", "GETUSER", "carol"), RawCase("ACL", "LIST"),
            ]
        }
        cases += [
            RawCase("ACL", "SETUSER", "carol", "on"), RawCase("ACL", "SETUSER", "dave", "+get"), RawCase("ACL", "SETUSER", "alice"),
            RawCase("ACL", "USERS"), RawCase("ACL", "LIST"), RawCase("ACL", "GETUSER", "default"), RawCase("ACL", "GETUSER", "nobody"),
            RawCase("ACL", "DELUSER", "default"), RawCase("ACL", "DELUSER", "carol", "default"), RawCase("ACL", "DELUSER", "nobody", "carol"),
            RawCase("ACL", "DELUSER", "dave", "dave", "alice"), RawCase("ACL", "USERS"),
        ]
        try await RawDifferential.compare(cases, label: "ACL GETUSER/LIST")
    }

    /// Denials for commands, subcommands, first arguments, keys (read and write patterns,
    /// SET with and without GET) and channels, with AUTH switching users, and DRYRUN's answers.
    @Test func denialsAndDryRun() async throws {
        let alice = [
            "ACL", "SETUSER", "alice", "on", ">pw", "~k*", "%R~r*", "%W~w*", "&ch*", "-@all", "+@string", "+@list", "-incr",
            "+client|id", "+select|0", "+publish", "+subscribe", "+psubscribe", "+bitfield", "+exists", "+ping",
            "+multi", "+exec", "+unsubscribe",
        ]
        let probes: [[String]] = [
            ["GET", "k1"], ["GET", "x"], ["GET", "r1"], ["GET", "w1"], ["SET", "k1", "v"], ["SET", "w1", "v"],
            ["SET", "w1", "v", "GET"], ["SET", "w1", "v", "EX", "10", "get"], ["SET", "r1", "v"], ["INCR", "k"], ["APPEND", "k1", "x"],
            ["MGET", "k1", "x", "r1"], ["MGET", "k1", "r1"], ["MSET", "k1", "1", "w2", "2"], ["MSET", "k1", "1", "r2", "2"],
            ["LPUSH", "k2", "a"], ["LMOVE", "k2", "w3", "LEFT", "RIGHT"], ["LMOVE", "r3", "k2", "LEFT", "RIGHT"],
            ["LMOVE", "k2", "r3", "LEFT", "RIGHT"], ["BITFIELD", "r1", "GET", "u8", "0"], ["BITFIELD", "r1", "SET", "u8", "0", "1"],
            ["BITFIELD", "w1", "GET", "u8", "0"], ["BITFIELD", "k1", "INCRBY", "u8", "0", "1", "OVERFLOW", "SAT"], ["EXISTS", "r1", "w1"],
            ["PUBLISH", "x", "m"], ["PUBLISH", "ch1", "m"], ["SPUBLISH", "ch1", "m"], ["PING"], ["CLIENT", "KILL", "ID", "1"],
            ["SELECT", "1"], ["SELECT", "0"], ["CONFIG", "GET", "maxmemory"], ["KEYS", "*"], ["FLUSHALL"], ["ACL", "WHOAMI"],
            ["ACL", "LOG"], ["HSET", "k", "f", "v"], ["GET"], ["NOSUCH"], ["CLIENT", "NOSUCH"],
            ["MULTI"], ["GET", "k1"], ["GET", "x"], ["INCR", "k1"], ["EXEC"],
            ["MULTI"], ["GET", "k1"], ["EXEC"],
        ]
        var cases = Self.cleanUp + [RawCase(alice)]
        for probe in probes where !["MULTI", "EXEC"].contains(probe[0]) {
            cases.append(RawCase(["ACL", "DRYRUN", "alice"] + probe))
        }
        cases += [
            RawCase("ACL", "DRYRUN", "nobody", "GET", "k"), RawCase("ACL", "DRYRUN", "alice", "NOSUCH", "k"),
            RawCase("ACL", "DRYRUN", "alice", "GET"), RawCase("ACL", "DRYRUN", "alice", "CLIENT", "NOSUCH"),
            RawCase("ACL", "DRYRUN", "alice", "CLIENT"), RawCase("ACL", "DRYRUN", "alice"),
            RawCase("ACL", "DRYRUN", "default", "FLUSHALL"),
            RawCase("ACL", "SETUSER", "sel", "on", "nopass", "(~a* +get)", "(%W~b* +set)", "(&c* +publish)"),
            RawCase("ACL", "DRYRUN", "sel", "GET", "a1"), RawCase("ACL", "DRYRUN", "sel", "GET", "b1"),
            RawCase("ACL", "DRYRUN", "sel", "SET", "b1", "v"), RawCase("ACL", "DRYRUN", "sel", "SET", "a1", "v"),
            RawCase("ACL", "DRYRUN", "sel", "PUBLISH", "c1", "m"), RawCase("ACL", "DRYRUN", "sel", "PUBLISH", "d1", "m"),
            RawCase("ACL", "DRYRUN", "sel", "MGET", "a1", "zz", "b1"), RawCase("ACL", "DRYRUN", "sel", "DEL", "a1"),
        ]
        cases.append(RawCase("AUTH", "alice", "pw"))
        cases += probes.map { RawCase($0) }
        cases += [
            Self.backToDefault, RawCase("AUTH", "sel", "x"), RawCase("GET", "a1"), RawCase("GET", "b1"), RawCase("SET", "b1", "v"),
            RawCase("PUBLISH", "d1", "m"), RawCase("MGET", "a1", "b1"), Self.backToDefault,
        ]
        try await RawDifferential.compare(cases, protocolVersions: [2], label: "ACL denials")
    }

    /// AUTH and HELLO AUTH with users: wrong passwords, unknown and disabled users, and the
    /// default user's password from requirepass.
    @Test func authentication() async throws {
        let cases = Self.cleanUp + [
            RawCase("ACL", "SETUSER", "alice", "on", ">pw", "+@all", "~*"), RawCase("ACL", "SETUSER", "bob", "off", ">pw", "+@all"),
            RawCase("ACL", "SETUSER", "carol", "on", "nopass", "+acl|whoami"),
            RawCase("AUTH", "alice", "wrong"), RawCase("AUTH", "nobody", "pw"), RawCase("AUTH", "bob", "pw"), RawCase("AUTH", "pw"),
            RawCase("AUTH", "a", "b", "c"), RawCase("AUTH"),
            RawCase("HELLO", "2", "AUTH", "alice", "wrong"), RawCase("HELLO", "2", "AUTH", "bob", "pw"),
            RawCase("HELLO", "2", "AUTH", "alice"), RawCase("HELLO", "9", "AUTH", "alice", "pw"),
            RawCase("AUTH", "alice", "pw"), RawCase("ACL", "WHOAMI"), RawCase("AUTH", "carol", "anything"),
            RawCase("ACL", "WHOAMI"), RawCase("GET", "x"), RawCase("AUTH", "alice", "wrong"), RawCase("ACL", "WHOAMI"),
            Self.backToDefault, RawCase("ACL", "WHOAMI"),
            RawCase("CONFIG", "SET", "requirepass", "s3cret"), RawCase("ACL", "GETUSER", "default"), RawCase("ACL", "LIST"),
            RawCase("AUTH", "wrong"), RawCase("AUTH", "default", "wrong"), RawCase("AUTH", "s3cret"),
            RawCase("AUTH", "default", "s3cret"), RawCase("ACL", "SETUSER", "default", ">other"),
            RawCase("ACL", "GETUSER", "default"), RawCase("AUTH", "other"),
            RawCase("CONFIG", "SET", "requirepass", ""), RawCase("ACL", "GETUSER", "default"), RawCase("AUTH", "x"),
            RawCase("ACL", "SETUSER", "default", "resetpass", "nopass"),
            RawCase("ACL", "SETUSER", "bob", "on"), RawCase("AUTH", "bob", "pw"), RawCase("ACL", "WHOAMI"), Self.backToDefault,
            RawCase("ACL", "DELUSER", "bob"),
        ]
        try await RawDifferential.compare(cases, label: "ACL authentication")
    }

    /// CAT without a category, HELP, GENPASS's errors, LOG's arguments, SAVE and LOAD without
    /// an ACL file, and the subcommand errors.
    @Test func otherSubcommands() async throws {
        let cases = Self.cleanUp + [
            RawCase("ACL", "CAT"), RawCase("ACL", "CAT", "nope"), RawCase("ACL", "CAT", "read", "x"), RawCase("ACL", "HELP"),
            RawCase("ACL", "HELP", "x"), RawCase("ACL", "GENPASS", "0"), RawCase("ACL", "GENPASS", "4097"),
            RawCase("ACL", "GENPASS", "-1"), RawCase("ACL", "GENPASS", "x"), RawCase("ACL", "GENPASS", "1", "2"),
            RawCase("ACL", "LOG", "x"), RawCase("ACL", "LOG", "-1"), RawCase("ACL", "LOG", "0"), RawCase("ACL", "LOG", "RESET", "x"),
            RawCase("ACL", "LOG", "reset"), RawCase("ACL", "LOG"), RawCase("ACL", "SAVE"), RawCase("ACL", "LOAD"),
            RawCase("ACL", "SAVE", "x"), RawCase("ACL", "NOSUCH"), RawCase("ACL"), RawCase("ACL", "WHOAMI", "x"),
            RawCase("ACL", "USERS", "x"), RawCase("ACL", "LIST", "x"),
        ]
        try await RawDifferential.compare(cases, label: "ACL subcommands")
    }
}
