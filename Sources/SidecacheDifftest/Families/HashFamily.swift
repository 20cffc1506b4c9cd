/// The hash commands (Redis's t_hash.c): HSET, HSETNX, HMSET, HGET, HMGET, HGETALL, HKEYS,
/// HVALS, HDEL, HEXISTS, HLEN, HSTRLEN, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN, on the
/// shared keys, so that they meet strings and the other types.
///
/// Fields and values are at most 64 bytes and there are 8 field names, so every hash stays a
/// listpack on both servers and whole-hash replies (HGETALL, HKEYS, HVALS, HSCAN, HRANDFIELD
/// with a count of at least the hash) are compared exactly, in Redis's order. (Two hash
/// tables order their fields differently; tables are covered by the Swift differential
/// tests.) Random picks are compared by shape.
public struct HashFamily: DifftestFamily {
    public let name = "hashes"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 30 }

    private enum Command: Sendable {
        case hset, hsetnx, hmset, hget, hmget, hgetall, hkeys, hvals, hdel, hexists, hlen, hstrlen
        case hincrby, hincrbyfloat, hrandfield, hscan
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (10, .hset), (2, .hsetnx), (2, .hmset), (6, .hget), (3, .hmget), (4, .hgetall), (2, .hkeys), (2, .hvals),
        (4, .hdel), (2, .hexists), (3, .hlen), (2, .hstrlen), (3, .hincrby), (3, .hincrbyfloat), (3, .hrandfield),
        (2, .hscan),
    ]

    /// A few field names, so that commands keep meeting the same fields; integers (a listpack
    /// stores them as integers in Redis), the empty field, binary bytes.
    static let fields: [[UInt8]] =
        ["f", "g", "h", "field", "1", "-7", ""].map { Array($0.utf8) } + [[0x00, 0x0D, 0x0A]]

    /// INCRBYFLOAT's increments without the ones near 1e308, whose sums print hundreds of
    /// digits (a value too long for a listpack).
    static let floatIncrements = DifftestPools.floatIncrements.filter { !String(decoding: $0, as: UTF8.self).contains("e308") }

    /// A value from the shared pool, cut to 64 bytes (`hash-max-listpack-value`).
    private func value(_ g: inout DifftestGenerator) -> [UInt8] {
        Array(g.value().prefix(64))
    }

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose(Self.commands) {
        case .hset:
            return [.command("HSET", arguments: [g.key()] + pairs(&g, 1...3))]
        case .hsetnx:
            return [.command("HSETNX", g.key(), g.pick(Self.fields), value(&g))]
        case .hmset:
            return [.command("HMSET", arguments: [g.key()] + pairs(&g, 1...2))]
        case .hget:
            return [.command("HGET", g.key(), g.pick(Self.fields))]
        case .hmget:
            return [.command("HMGET", arguments: [g.key()] + (0..<g.integer(in: 1...3)).map { _ in g.pick(Self.fields) })]
        case .hgetall:
            return [.command("HGETALL", g.key())]
        case .hkeys:
            return [.command("HKEYS", g.key())]
        case .hvals:
            return [.command("HVALS", g.key())]
        case .hdel:
            return [.command("HDEL", arguments: [g.key()] + (0..<g.integer(in: 1...3)).map { _ in g.pick(Self.fields) })]
        case .hexists:
            return [.command("HEXISTS", g.key(), g.pick(Self.fields))]
        case .hlen:
            return [.command("HLEN", g.key())]
        case .hstrlen:
            return [.command("HSTRLEN", g.key(), g.pick(Self.fields))]
        case .hincrby:
            return [.command("HINCRBY", g.key(), g.pick(Self.fields), g.pick(DifftestPools.increments))]
        case .hincrbyfloat:
            return [.command("HINCRBYFLOAT", g.key(), g.pick(Self.fields), g.pick(Self.floatIncrements))]
        case .hrandfield:
            return [randomFields(&g)]
        case .hscan:
            return [scan(&g)]
        }
    }

    /// Field-value pairs; rarely an odd count (the arity error comes from the command itself).
    private func pairs(_ g: inout DifftestGenerator, _ count: ClosedRange<Int>) -> [any DifftestArgumentConvertible] {
        var arguments: [any DifftestArgumentConvertible] = []
        for _ in 0..<g.integer(in: count) {
            arguments.append(g.pick(Self.fields))
            arguments.append(value(&g))
        }
        if g.chance(3) { arguments.append(g.pick(Self.fields)) }
        return arguments
    }

    /// HRANDFIELD key [count [WITHVALUES]]: a count of at least any hash here answers the
    /// whole hash in its order; smaller counts draw at random (compared by shape); errors
    /// (bad counts, bad options) exactly.
    private func randomFields(_ g: inout DifftestGenerator) -> DifftestStep {
        let key = g.key()
        switch g.integer(in: 0...6) {
        case 0:
            return DifftestStep.command("HRANDFIELD", key).compared(.shape)
        case 1, 2:
            var arguments: [any DifftestArgumentConvertible] = [key, g.pick(["100", "20"])]
            if g.chance(50) { arguments.append("WITHVALUES") }
            // Immune to the generic mutations: without its count it draws one field at random.
            return DifftestStep.command("HRANDFIELD", arguments: arguments).immutable()
        case 3:
            var arguments: [any DifftestArgumentConvertible] = [key, g.pick(["1", "2", "-1", "-5"])]
            if g.chance(50) { arguments.append("WITHVALUES") }
            return DifftestStep.command("HRANDFIELD", arguments: arguments).compared(.shape)
        case 4:
            // Past ±2^62 with WITHVALUES: out of range (without it, a huge negative count would
            // make both servers build a reply of that many fields).
            return .command("HRANDFIELD", key, g.pick(["4611686018427387904", "-4611686018427387904"]), "WITHVALUES")
        default:
            let count = g.pick(["0", "x", "1.5", "-9223372036854775808", "4611686018427387904"])
            var arguments: [any DifftestArgumentConvertible] = [key, count]
            if g.chance(50) { arguments.append(g.choose([(5, "WITHVALUES"), (1, "WITHVALUE"), (1, "withvalues")])) }
            if g.chance(5) { arguments.append("x") }
            return .command("HRANDFIELD", arguments: arguments)
        }
    }

    /// HSCAN key cursor [MATCH pattern] [COUNT count]: a listpack answers whole, cursor 0.
    private func scan(_ g: inout DifftestGenerator) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = [g.key(), g.choose([(8, "0"), (1, "x"), (1, "7")])]
        if g.chance(40) { arguments += ["MATCH", g.pattern()] }
        if g.chance(40) { arguments += ["COUNT", g.choose([(5, "1000"), (2, "1"), (1, "0"), (1, "x")])] }
        if g.chance(5) { arguments += ["TYPE", "hash"] }
        return .command("HSCAN", arguments: arguments)
    }
}
