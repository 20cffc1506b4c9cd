/// The sorted-set commands (Redis's t_zset.c): ZADD with every option, ZINCRBY, ZREM, ZCARD,
/// ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT, ZRANGE in all its forms and the older
/// range commands, ZRANGESTORE, ZREMRANGEBY*, ZPOPMIN, ZPOPMAX, ZMPOP, ZUNION, ZINTER, ZDIFF
/// and their STORE forms, ZINTERCARD, ZRANDMEMBER, ZSCAN. Never the blocking forms.
///
/// Sets created here stay small (listpack-encoded on both servers), but other families can
/// put long members under the shared keys, which makes skip lists there. Two things depend
/// on a skip list's random levels or hash seed in Redis and are kept deterministic:
/// - Lexicographic ranges on the shared keys (whose scores differ) always start from an end:
///   `-` as the minimum of forward walks, `+` as the maximum of reversed ones; any bounds are
///   drawn only for the family's own keys (`zl:*`), which only ever hold score 0.
/// - ZSCAN pages and ZRANDMEMBER picks are compared by shape, except ZSCAN of the own keys
///   (always listpack: one whole page).
public struct SortedSetFamily: DifftestFamily {
    public let name = "zsets"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 40 }

    private enum Command: Sendable {
        case zadd, zincrby, zrem, zcard, zscore, zmscore, zrank, zcount, zlexcount, zrange, zrangeStore
        case olderRange, removeRange, pop, zmpop, setOperation, store, zintercard, zrandmember, zscan
        case ownAdd, ownLex, ownScan
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (10, .zadd), (3, .zincrby), (3, .zrem), (2, .zcard), (3, .zscore), (2, .zmscore), (3, .zrank), (2, .zcount),
        (1, .zlexcount), (6, .zrange), (2, .zrangeStore), (4, .olderRange), (3, .removeRange), (3, .pop), (2, .zmpop),
        (3, .setOperation), (2, .store), (1, .zintercard), (2, .zrandmember), (2, .zscan), (3, .ownAdd), (3, .ownLex),
        (1, .ownScan),
    ]

    /// Members: short ones sharing prefixes, the empty one, digits, binary bytes.
    private static let members: [[UInt8]] =
        ["a", "b", "c", "d", "e", "m:1", "m:2", "m:10", "", "10", "2", "member:00001234"].map { Array($0.utf8) } + [
            [0x00, 0xFF], [0x0D, 0x0A],
        ]

    /// Scores, including Redis's spellings of infinity, a negative zero and invalid ones.
    private static let scores = [
        "0", "1", "2", "2", "2.5", "-1", "3", "10", "0.1", "inf", "-inf", "+inf", "-0", "1e100", "1e17", "x", "nan", "",
    ]

    private static let scoreBounds = ["-inf", "+inf", "0", "(0", "1", "(1", "2", "(2.5", "3", "(10", "inf", "x", "(", ""]
    /// Lexicographic bounds (other than `-` and `+`), valid and not.
    private static let lexBounds = ["[a", "(a", "[b", "(c", "[m:1", "(m:2", "[", "(", "[zz", "a", "-x"]
    private static let ranks = ["0", "1", "2", "-1", "-2", "5", "100", "-100", "x"]

    /// The family's own keys: only ever score 0, so that any lexicographic range is defined.
    private static let ownKeys = ["zl:a", "zl:b"]

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose(Self.commands) {
        case .zadd: return [zadd(&g)]
        case .zincrby: return [.command("ZINCRBY", g.key(), g.pick(Self.scores), member(&g))]
        case .zrem: return [.command("ZREM", arguments: [g.key()] + members(&g, 1...3))]
        case .zcard: return [.command("ZCARD", g.key())]
        case .zscore: return [.command("ZSCORE", g.key(), member(&g))]
        case .zmscore: return [.command("ZMSCORE", arguments: [g.key()] + members(&g, 1...3))]
        case .zrank: return [.command(g.pick(["ZRANK", "ZREVRANK"]), g.key(), member(&g))]
        case .zcount: return [.command("ZCOUNT", g.key(), g.pick(Self.scoreBounds), g.pick(Self.scoreBounds))]
        case .zlexcount: return [.command("ZLEXCOUNT", g.key(), "-", "+")]
        case .zrange: return [zrange(&g, store: false)]
        case .zrangeStore: return [zrange(&g, store: true)]
        case .olderRange: return [olderRange(&g)]
        case .removeRange: return [removeRange(&g)]
        case .pop:
            var arguments: [any DifftestArgumentConvertible] = [g.key()]
            if g.chance(60) { arguments.append(g.pick(["0", "1", "2", "5", "-1", "x"])) }
            return [.command(g.pick(["ZPOPMIN", "ZPOPMAX"]), arguments: arguments)]
        case .zmpop: return [zmpop(&g)]
        case .setOperation: return [setOperation(&g, store: false)]
        case .store: return [setOperation(&g, store: true)]
        case .zintercard:
            let keys = g.keys(1...3)
            var arguments: [any DifftestArgumentConvertible] = [keys.count] + keys
            if g.chance(50) { arguments += ["LIMIT", g.pick(["0", "1", "2", "-1", "x"])] }
            return [.command("ZINTERCARD", arguments: arguments)]
        case .zrandmember: return [zrandmember(&g)]
        case .zscan: return [zscan(&g, key: g.key()).compared(.shape)]
        case .ownAdd: return [ownAdd(&g)]
        case .ownLex: return [ownLex(&g)]
        case .ownScan: return [zscan(&g, key: Array(g.pick(Self.ownKeys).utf8))]
        }
    }

    private func member(_ g: inout DifftestGenerator) -> [UInt8] { g.pick(Self.members) }

    private func members(_ g: inout DifftestGenerator, _ count: ClosedRange<Int>) -> [any DifftestArgumentConvertible] {
        (0..<g.integer(in: count)).map { _ in g.pick(Self.members) }
    }

    /// ZADD key with a random subset of NX, XX, GT, LT, CH, INCR (incompatible ones too), then
    /// one to three score/member pairs (rarely an odd count).
    private func zadd(_ g: inout DifftestGenerator) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = [g.key()]
        for option in ["NX", "XX", "GT", "LT", "CH", "INCR"] where g.chance(option == "CH" ? 20 : 12) {
            arguments.append(g.chance(90) ? option : option.lowercased())
        }
        for _ in 0..<g.choose([(6, 1), (3, 2), (2, 3)]) {
            arguments += [g.pick(Self.scores), member(&g)]
        }
        if g.chance(4) { arguments.removeLast() }
        return .command("ZADD", arguments: arguments)
    }

    /// ZRANGE (or ZRANGESTORE) by rank, score or member, with REV, WITHSCORES and LIMIT drawn
    /// independently (so that the invalid combinations come up too).
    private func zrange(_ g: inout DifftestGenerator, store: Bool) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = store ? [g.key(), g.key()] : [g.key()]
        let reverse = g.chance(35)
        switch g.choose([(4, "rank"), (4, "score"), (2, "lex")]) {
        case "score":
            arguments += [g.pick(Self.scoreBounds), g.pick(Self.scoreBounds), "BYSCORE"]
        case "lex":
            arguments += reverse ? ["+", lexBound(&g)] : ["-", lexBound(&g)]
            arguments.append("BYLEX")
        default:
            arguments += [g.pick(Self.ranks), g.pick(Self.ranks)]
        }
        if reverse { arguments.append("REV") }
        if !store && g.chance(40) { arguments.append("WITHSCORES") }
        if g.chance(30) { arguments += ["LIMIT", g.pick(["0", "1", "2", "-1"]), g.pick(["1", "2", "-1", "0", "10"])] }
        return .command(store ? "ZRANGESTORE" : "ZRANGE", arguments: arguments)
    }

    private func lexBound(_ g: inout DifftestGenerator) -> String {
        g.chance(15) ? g.pick(["-", "+"]) : g.pick(Self.lexBounds)
    }

    /// ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX.
    private func olderRange(_ g: inout DifftestGenerator) -> DifftestStep {
        let key = g.key()
        var arguments: [any DifftestArgumentConvertible] = [key]
        let command: String
        switch g.integer(in: 0...4) {
        case 0:
            command = "ZREVRANGE"
            arguments += [g.pick(Self.ranks), g.pick(Self.ranks)]
            if g.chance(40) { arguments.append("WITHSCORES") }
        case 1, 2:
            command = g.pick(["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"])
            arguments += [g.pick(Self.scoreBounds), g.pick(Self.scoreBounds)]
            if g.chance(40) { arguments.append("WITHSCORES") }
        default:
            command = g.pick(["ZRANGEBYLEX", "ZREVRANGEBYLEX"])
            arguments += command == "ZRANGEBYLEX" ? ["-", lexBound(&g)] : ["+", lexBound(&g)]
        }
        if g.chance(30) { arguments += ["LIMIT", g.pick(["0", "1", "-1", "3"]), g.pick(["1", "2", "-1", "0"])] }
        return .command(command, arguments: arguments)
    }

    private func removeRange(_ g: inout DifftestGenerator) -> DifftestStep {
        let key = g.key()
        switch g.integer(in: 0...2) {
        case 0: return .command("ZREMRANGEBYRANK", key, g.pick(Self.ranks), g.pick(Self.ranks))
        case 1: return .command("ZREMRANGEBYSCORE", key, g.pick(Self.scoreBounds), g.pick(Self.scoreBounds))
        default: return .command("ZREMRANGEBYLEX", key, "-", lexBound(&g))
        }
    }

    /// ZMPOP numkeys key... MIN|MAX [COUNT n], sometimes with a wrong numkeys or option.
    private func zmpop(_ g: inout DifftestGenerator) -> DifftestStep {
        let keys = g.keys(1...3)
        var arguments: [any DifftestArgumentConvertible] = [g.chance(90) ? String(keys.count) : g.pick(["0", "-1", "x", "5"])]
        arguments += keys
        arguments.append(g.choose([(5, "MIN"), (5, "MAX"), (1, "max"), (1, "LEFT")]))
        if g.chance(50) { arguments += ["COUNT", g.pick(["1", "2", "10", "0", "-1", "x"])] }
        return .command("ZMPOP", arguments: arguments)
    }

    /// ZUNION/ZINTER/ZDIFF (or their STORE forms) over one to three keys, with WEIGHTS,
    /// AGGREGATE and WITHSCORES drawn independently.
    private func setOperation(_ g: inout DifftestGenerator, store: Bool) -> DifftestStep {
        let operation = g.pick(["ZUNION", "ZINTER", "ZDIFF"])
        let keys = g.keys(1...3)
        var arguments: [any DifftestArgumentConvertible] = store ? [g.key()] : []
        arguments.append(g.chance(92) ? String(keys.count) : g.pick(["0", "x", "4"]))
        arguments += keys
        if g.chance(30) {
            arguments.append("WEIGHTS")
            for _ in keys { arguments.append(g.pick(["1", "2", "0", "-1", "0.5", "inf", "x"])) }
        }
        if g.chance(30) { arguments += ["AGGREGATE", g.pick(["SUM", "MIN", "MAX", "min", "AVG"])] }
        if !store && g.chance(50) { arguments.append("WITHSCORES") }
        return .command(store ? operation + "STORE" : operation, arguments: arguments)
    }

    /// ZRANDMEMBER: the choice is random, so only the kind of reply is compared.
    private func zrandmember(_ g: inout DifftestGenerator) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = [g.key()]
        if g.chance(70) {
            arguments.append(g.pick(["1", "2", "5", "100", "0", "-1", "-5", "x"]))
            if g.chance(40) { arguments.append(g.chance(90) ? "WITHSCORES" : "BOGUS") }
        }
        return DifftestStep.command("ZRANDMEMBER", arguments: arguments).compared(.shape)
    }

    private func zscan(_ g: inout DifftestGenerator, key: [UInt8]) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = [key, g.pick(["0", "0", "1", "x"])]
        if g.chance(40) { arguments += ["MATCH", g.pick(["*", "m*", "[a-c]", "*1*", "["])] }
        if g.chance(40) { arguments += ["COUNT", g.pick(["1", "10", "0", "x"])] }
        return .command("ZSCAN", arguments: arguments)
    }

    /// ZADD to one of the family's own keys, always with score 0.
    private func ownAdd(_ g: inout DifftestGenerator) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = [g.pick(Self.ownKeys)]
        if g.chance(20) { arguments.append(g.pick(["NX", "XX", "CH"])) }
        for _ in 0..<g.integer(in: 1...3) { arguments += ["0", member(&g)] }
        return .command("ZADD", arguments: arguments)
    }

    /// Lexicographic commands with any bounds on the family's own keys, and ZREM / pops there.
    private func ownLex(_ g: inout DifftestGenerator) -> DifftestStep {
        let key = g.pick(Self.ownKeys)
        let low = lexBound(&g)
        let high = lexBound(&g)
        var limit: [any DifftestArgumentConvertible] = []
        if g.chance(30) { limit = ["LIMIT", g.pick(["0", "1", "-1"]), g.pick(["1", "2", "-1"])] }
        switch g.integer(in: 0...6) {
        case 0: return .command("ZRANGEBYLEX", arguments: [key, low, high] + limit)
        case 1: return .command("ZREVRANGEBYLEX", arguments: [key, high, low] + limit)
        case 2: return .command("ZLEXCOUNT", key, low, high)
        case 3: return .command("ZRANGE", arguments: [key, low, high, "BYLEX"] + limit)
        case 4: return .command("ZREMRANGEBYLEX", key, low, high)
        case 5: return .command("ZRANGESTORE", arguments: [g.pick(Self.ownKeys), key, low, high, "BYLEX"] + limit)
        default: return .command("ZREM", arguments: [key] + members(&g, 1...2))
        }
    }
}
