import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

/// Every hash and set command run on the engine and on a real redis-server 7.0, step by
/// step: the reply, the change counter (`rdb_changes_since_last_save` there, `changes`
/// here) and the keyspace notifications (Redis's received by a second connection subscribed
/// to `__keyevent@0__:*`, fenced by a PUBLISH on a barrier channel after each step; ours from
/// the engine's event sink) must agree.
///
/// Replies of members in a hash table's order are compared sorted (the two tables order
/// differently); random replies (SPOP, SRANDMEMBER, HRANDFIELD below the whole collection)
/// only by their changes and notifications. The hash listpack limit is set to ours (128;
/// redis-server's built-in default is 512).
@Suite(.serialized, .enabled(if: PersistenceTests.RedisServerInstance.isAvailable, "needs /usr/bin/redis-server"))
struct HashAndSetOracleTests {
    enum Comparison {
        case exact
        /// Aggregate elements sorted (a SCAN reply: its second element's).
        case sorted
        /// Only the changes and the notifications.
        case effects
    }

    struct Step {
        let arguments: [String]
        let comparison: Comparison
    }

    static func exact(_ arguments: String...) -> Step { Step(arguments: arguments, comparison: .exact) }
    static func sorted(_ arguments: String...) -> Step { Step(arguments: arguments, comparison: .sorted) }
    static func effects(_ arguments: String...) -> Step { Step(arguments: arguments, comparison: .effects) }

    static func sortedElements(_ value: RESPValue) -> RESPValue {
        func sort(_ elements: [RESPValue]) -> [RESPValue] { elements.sorted { ($0.text ?? "") < ($1.text ?? "") } }
        switch value {
        case .array(.some(let elements)) where elements.count == 2 && elements[1].elements != nil && elements[0].text != nil:
            return .array([elements[0], .array(sort(elements[1].elements!))])
        case .array(.some(let elements)): return .array(sort(elements))
        case .set(let elements): return .set(sort(elements))
        default: return value
        }
    }

    func dirty(_ redis: RedisConnection) throws -> Int {
        let info = try redis.command("INFO", "persistence").text ?? ""
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("rdb_changes_since_last_save:") }
        return Int(line?.split(separator: ":").last ?? "") ?? -1
    }

    /// Redis's notifications up to the barrier message.
    func events(_ listener: RedisConnection) throws -> [String] {
        var events: [String] = []
        while true {
            let message = try listener.readReply().elements ?? []
            let texts = message.map { $0.text ?? "" }
            if texts.first == "message" { return events }
            guard texts.count == 4, texts[0] == "pmessage" else { continue }
            events.append("\(texts[2].dropFirst("__keyevent@0__:".count)) \(texts[3])")
        }
    }

    func run(_ steps: [Step], label: String) throws {
        let server = try PersistenceTests.RedisServerInstance.start()
        defer { server.stop() }
        let redis = try RedisConnection(port: server.port)
        let listener = try RedisConnection(port: server.port)
        try redis.command("CONFIG", "SET", "notify-keyspace-events", "KEA")
        try redis.command("CONFIG", "SET", "hash-max-listpack-entries", "128")
        try listener.command("PSUBSCRIBE", "__keyevent@0__:*")
        try listener.command("SUBSCRIBE", "barrier")
        let engine = CollectionsEngine()
        for (number, step) in steps.enumerated() {
            let arguments = step.arguments.map { Array($0.utf8) }
            let before = try dirty(redis)
            let expected = try redis.command(arguments)
            let expectedChanges = try dirty(redis) - before
            try redis.command("PUBLISH", "barrier", "x")
            let expectedEvents = try events(listener)
            let actual = engine.run(bytes: arguments)
            let context = "[\(label) #\(number)] \(step.arguments.joined(separator: " "))"
            switch step.comparison {
            case .exact: #expect(actual == expected, "\(context): redis-server \(expected), sidecache \(actual)")
            case .sorted:
                #expect(
                    Self.sortedElements(actual) == Self.sortedElements(expected),
                    "\(context): redis-server \(expected), sidecache \(actual)"
                )
            case .effects: #expect(actual.isError == expected.isError, "\(context): redis-server \(expected), sidecache \(actual)")
            }
            #expect(engine.changes == expectedChanges, "\(context): changes: redis-server \(expectedChanges), sidecache \(engine.changes)")
            // Setting up a string key: the string commands do not notify yet.
            if step.arguments[0] == "SET" { continue }
            #expect(
                engine.events.map(\.description) == expectedEvents,
                "\(context): notifications: redis-server \(expectedEvents), sidecache \(engine.events.map(\.description))"
            )
        }
    }

    @Test func hashCommands() throws {
        let long = String(repeating: "x", count: 70)
        try run(
            [
                Self.exact("HSET", "h", "a", "1", "b", "2", "c", "3", "a", "4"),
                Self.exact("HSET", "h", "a"),
                Self.exact("HMSET", "h", "d", "4", "e"),
                Self.exact("HMSET", "h", "d", "4", "e", "5"),
                Self.exact("HGETALL", "h"),
                Self.exact("HSETNX", "h", "a", "x"),
                Self.exact("HSETNX", "h", "z", "26"),
                Self.exact("HSETNX", "new", "f", "v"),
                Self.exact("HGET", "h", "z"),
                Self.exact("HGET", "h", "nope"),
                Self.exact("HGET", "nokey", "a"),
                Self.exact("HMGET", "h", "a", "nope", "z"),
                Self.exact("HMGET", "nokey", "a", "b"),
                Self.exact("HKEYS", "h"),
                Self.exact("HVALS", "h"),
                Self.exact("HKEYS", "nokey"),
                Self.exact("HGETALL", "nokey"),
                Self.exact("HLEN", "h"),
                Self.exact("HLEN", "nokey"),
                Self.exact("HSTRLEN", "h", "z"),
                Self.exact("HSTRLEN", "h", "nope"),
                Self.exact("HEXISTS", "h", "a"),
                Self.exact("HEXISTS", "h", "nope"),
                Self.exact("HDEL", "h", "b", "nope", "b"),
                Self.exact("HDEL", "nokey", "b"),
                Self.exact("HINCRBY", "h", "a", "10"),
                Self.exact("HINCRBY", "h", "fresh", "-5"),
                Self.exact("HINCRBY", "h", "a", "9223372036854775807"),
                Self.exact("HINCRBY", "h", "a", "x"),
                Self.exact("HINCRBY", "other", "f", "1"),
                Self.exact("HSET", "h", "text", "hello", "float", "1.5"),
                Self.exact("HINCRBY", "h", "text", "1"),
                Self.exact("HINCRBY", "h", "float", "1"),
                Self.exact("HINCRBYFLOAT", "h", "float", "2.25"),
                Self.exact("HINCRBYFLOAT", "h", "a", "-0.5"),
                Self.exact("HINCRBYFLOAT", "h", "text", "1"),
                Self.exact("HINCRBYFLOAT", "h", "a", "inf"),
                Self.exact("HINCRBYFLOAT", "h", "a", "abc"),
                Self.exact("HINCRBYFLOAT", "h", "new", "3.0e3"),
                Self.exact("HINCRBYFLOAT", "fresh", "f", "1.1"),
                Self.exact("HGETALL", "h"),
                Self.exact("HRANDFIELD", "h", "100"),
                Self.exact("HRANDFIELD", "h", "100", "WITHVALUES"),
                Self.exact("HRANDFIELD", "h", "0"),
                Self.exact("HRANDFIELD", "nokey"),
                Self.exact("HRANDFIELD", "nokey", "3"),
                Self.exact("HRANDFIELD", "h", "x"),
                Self.exact("HRANDFIELD", "h", "1", "WITHVALUE"),
                Self.exact("HRANDFIELD", "h", "1", "WITHVALUES", "x"),
                Self.exact("HRANDFIELD", "h", "-9223372036854775808"),
                Self.exact("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"),
                Self.exact("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"),
                Self.effects("HRANDFIELD", "h", "-20", "WITHVALUES"),
                Self.effects("HRANDFIELD", "h", "3"),
                Self.effects("HRANDFIELD", "h"),
                Self.exact("HSCAN", "h", "0"),
                Self.exact("HSCAN", "h", "0", "MATCH", "[a-e]", "COUNT", "1"),
                Self.exact("HSCAN", "h", "0", "COUNT", "0"),
                Self.exact("HSCAN", "h", "0", "TYPE", "hash"),
                Self.exact("HSCAN", "h", "x"),
                Self.exact("HSCAN", "nokey", "0", "COUNT", "0"),
                Self.exact("HSET", "h", long, "v"),
                Self.exact("OBJECT", "ENCODING", "h"),
                Self.sorted("HGETALL", "h"),
                Self.sorted("HSCAN", "h", "0", "COUNT", "1000"),
                Self.exact("HDEL", "h", "a", "c", "d", "e", "z", "fresh", "text", "float", "new", long),
                Self.exact("EXISTS", "h"),
                Self.exact("SET", "str", "v"),
                Self.exact("HSET", "str", "f", "v"),
                Self.exact("HGET", "str", "f"),
                Self.exact("HMGET", "str", "f"),
                Self.exact("HINCRBY", "str", "f", "1"),
                Self.exact("HINCRBYFLOAT", "str", "f", "1"),
                Self.exact("HRANDFIELD", "str", "-1"),
                Self.exact("HSCAN", "str", "0"),
                Self.exact("HSETNX", "str", "f", "v"),
                Self.exact("HDEL", "str", "f"),
            ],
            label: "hashes"
        )
    }

    @Test func setCommands() throws {
        let many = (0..<600).map(String.init)
        try run(
            [
                Self.exact("SADD", "s", "3", "1", "2", "3"),
                Self.exact("SADD", "s", "1"),
                Self.exact("SMEMBERS", "s"),
                Self.exact("OBJECT", "ENCODING", "s"),
                Self.exact("SADD", "t", "2", "3", "4", "x"),
                Self.sorted("SMEMBERS", "t"),
                Self.exact("SCARD", "t"),
                Self.exact("SCARD", "nokey"),
                Self.exact("SISMEMBER", "t", "x"),
                Self.exact("SISMEMBER", "t", "y"),
                Self.exact("SISMEMBER", "nokey", "y"),
                Self.exact("SMISMEMBER", "t", "x", "y", "2"),
                Self.exact("SMISMEMBER", "nokey", "x", "y"),
                Self.exact("SREM", "t", "x", "y", "x"),
                Self.exact("SREM", "nokey", "x"),
                Self.exact("SINTER", "s", "t"),
                Self.exact("SINTER", "s", "nokey", "t"),
                Self.exact("SINTERCARD", "2", "s", "t"),
                Self.exact("SINTERCARD", "2", "s", "t", "LIMIT", "1"),
                Self.exact("SINTERCARD", "1", "s", "limit", "0"),
                Self.exact("SINTERCARD", "0", "s"),
                Self.exact("SINTERCARD", "x", "s"),
                Self.exact("SINTERCARD", "3", "s", "t"),
                Self.exact("SINTERCARD", "1", "s", "LIMIT", "-1"),
                Self.exact("SINTERCARD", "1", "s", "LIMIT"),
                Self.exact("SINTERCARD", "1", "s", "FOO", "1"),
                Self.exact("SUNION", "s", "t", "nokey"),
                Self.exact("SDIFF", "t", "s"),
                Self.exact("SDIFF", "nokey", "s"),
                Self.exact("SDIFF", "s", "s"),
                Self.exact("SINTERSTORE", "d", "s", "t"),
                Self.exact("SMEMBERS", "d"),
                Self.exact("SUNIONSTORE", "d", "s", "t"),
                Self.exact("SDIFFSTORE", "d", "s", "t"),
                Self.exact("SDIFFSTORE", "d", "s", "s"),
                Self.exact("SDIFFSTORE", "d", "s", "s"),
                Self.exact("SINTERSTORE", "d", "s", "nokey"),
                Self.exact("SUNIONSTORE", "d", "nokey"),
                Self.exact("SADD", "w", "a", "b", "c"),
                Self.exact("SMOVE", "w", "s", "a"),
                Self.exact("SMOVE", "w", "s", "a"),
                Self.exact("SMOVE", "w", "fresh", "b"),
                Self.exact("SMOVE", "w", "fresh", "c"),
                Self.exact("SMOVE", "fresh", "fresh", "b"),
                Self.exact("SMOVE", "nokey", "fresh", "b"),
                Self.exact("SPOP", "nokey"),
                Self.exact("SPOP", "nokey", "2"),
                Self.exact("SPOP", "s", "-1"),
                Self.exact("SPOP", "s", "x"),
                Self.exact("SPOP", "s", "0"),
                Self.exact("SPOP", "s", "1", "2"),
                Self.exact("SRANDMEMBER", "nokey"),
                Self.exact("SRANDMEMBER", "nokey", "5"),
                Self.exact("SRANDMEMBER", "s", "x"),
                Self.exact("SRANDMEMBER", "s", "-9223372036854775808"),
                Self.exact("SRANDMEMBER", "s", "1", "2"),
                Self.exact("SRANDMEMBER", "s", "0"),
                Self.effects("SRANDMEMBER", "s", "-5"),
                Self.effects("SRANDMEMBER", "s", "2"),
                Self.effects("SRANDMEMBER", "s"),
                Self.exact("SADD", "ints", "5", "4", "3", "2", "1"),
                Self.exact("SRANDMEMBER", "ints", "10"),
                Self.effects("SPOP", "ints"),
                Self.effects("SPOP", "ints", "2"),
                Self.effects("SPOP", "ints", "10"),
                Self.exact("EXISTS", "ints"),
                Self.exact("SADD", "one", "x"),
                Self.exact("SPOP", "one"),
                Self.sorted("SSCAN", "s", "0"),
                Self.exact("SSCAN", "s", "0", "MATCH", "*3*"),
                Self.exact("SSCAN", "s", "0", "TYPE", "set"),
                Self.exact("SSCAN", "s", "0", "COUNT", "0"),
                Self.exact("SSCAN", "nokey", "0", "COUNT", "0"),
                Step(arguments: ["SADD", "big"] + many, comparison: .exact),
                Self.exact("OBJECT", "ENCODING", "big"),
                Self.sorted("SMEMBERS", "big"),
                Self.exact("SCARD", "big"),
                Self.sorted("SSCAN", "big", "0", "COUNT", "10000"),
                Self.effects("SPOP", "big", "590"),
                Self.exact("SCARD", "big"),
                Self.exact("SET", "str", "v"),
                Self.exact("SADD", "str", "a"),
                Self.exact("SREM", "str", "a"),
                Self.exact("SMEMBERS", "str"),
                Self.exact("SINTER", "nokey", "str"),
                Self.exact("SINTERCARD", "2", "nokey", "str"),
                Self.exact("SUNIONSTORE", "d", "s", "str"),
                Self.exact("SMOVE", "s", "str", "1"),
                Self.exact("SMOVE", "str", "s", "1"),
                Self.exact("SPOP", "str"),
                Self.exact("SRANDMEMBER", "str", "1"),
                Self.exact("SSCAN", "str", "0"),
                Self.exact("SISMEMBER", "str", "a"),
                Self.exact("SMISMEMBER", "str", "a"),
                Self.exact("SUNIONSTORE", "str", "s"),
                Self.exact("TYPE", "str"),
            ],
            label: "sets"
        )
    }
}
