/// The list commands (Redis's t_list.c): LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP (with and
/// without a count), LLEN, LRANGE, LINDEX, LSET, LINSERT, LREM, LTRIM, LPOS with its options,
/// LMOVE, RPOPLPUSH, LMPOP, and the blocking forms BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP.
/// Every reply is deterministic and compared exactly.
///
/// The blocking forms are generated only inside MULTI, where they answer at once, and with a
/// timeout of 10 ms, so that a sequence the minimizer shortens (dropping the MULTI) waits at
/// most that long on both servers and still answers alike.
public struct ListFamily: DifftestFamily {
    public let name = "lists"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 40 }

    private enum Command: Sendable {
        case push, pushx, pop, popCount, llen, lrange, lindex, lset, linsert, lrem, ltrim, lpos, lmove, rpoplpush, lmpop
        case blocking
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (12, .push), (3, .pushx), (6, .pop), (4, .popCount), (3, .llen), (6, .lrange), (3, .lindex), (3, .lset),
        (3, .linsert), (3, .lrem), (3, .ltrim), (4, .lpos), (3, .lmove), (2, .rpoplpush), (3, .lmpop), (4, .blocking),
    ]

    /// Elements: short texts that repeat (LREM, LPOS and LINSERT find them), integers of
    /// every listpack width, non-canonical numbers, the empty string, long and binary ones.
    static let elements: [[UInt8]] =
        [
            "a", "a", "b", "c", "x", "1", "-1", "127", "128", "4096", "-4097", "70000", "9223372036854775807", "01", "-0",
            "", String(repeating: "e", count: 70), String(repeating: "0123456789", count: 12),
        ].map { Array($0.utf8) } + [[0x00, 0xFF, 0x0D, 0x0A]]

    /// Counts for LPOP/RPOP, LREM, LPOS and LMPOP: small, zero, negative, huge, not numbers.
    static let counts: [String] = ["0", "1", "2", "3", "5", "-1", "-2", "10", "x", "9223372036854775807", "-9223372036854775808"]

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose(Self.commands) {
        case .push:
            let elements = (0..<g.integer(in: 1...4)).map { _ in element(&g) }
            return [.command(g.pick(["LPUSH", "RPUSH"]), arguments: [g.key()] + elements)]
        case .pushx:
            return [.command(g.pick(["LPUSHX", "RPUSHX"]), g.key(), element(&g))]
        case .pop:
            return [.command(g.pick(["LPOP", "RPOP"]), g.key())]
        case .popCount:
            return [.command(g.pick(["LPOP", "RPOP"]), g.key(), g.pick(Self.counts))]
        case .llen:
            return [.command("LLEN", g.key())]
        case .lrange:
            return [.command("LRANGE", g.key(), g.pick(DifftestPools.indices), g.pick(DifftestPools.indices))]
        case .lindex:
            return [.command("LINDEX", g.key(), g.pick(DifftestPools.indices))]
        case .lset:
            return [.command("LSET", g.key(), g.pick(DifftestPools.indices), element(&g))]
        case .linsert:
            let position = g.choose([(5, "BEFORE"), (5, "after"), (1, "AROUND")])
            return [.command("LINSERT", g.key(), position, element(&g), element(&g))]
        case .lrem:
            return [.command("LREM", g.key(), g.pick(Self.counts), element(&g))]
        case .ltrim:
            return [.command("LTRIM", g.key(), g.pick(DifftestPools.indices), g.pick(DifftestPools.indices))]
        case .lpos:
            return [lpos(&g)]
        case .lmove:
            return [.command("LMOVE", g.key(), g.key(), side(&g), side(&g))]
        case .rpoplpush:
            return [.command("RPOPLPUSH", g.key(), g.key())]
        case .lmpop:
            return [.command("LMPOP", arguments: multiPop(&g))]
        case .blocking:
            guard g.inTransaction else { return [.command("LLEN", g.key())] }
            // Immutable: an appended argument could become a timeout of 0.
            return [blocking(&g).immutable()]
        }
    }

    private func element(_ g: inout DifftestGenerator) -> [UInt8] {
        g.chance(85) ? g.pick(Self.elements) : g.value()
    }

    private func side(_ g: inout DifftestGenerator) -> String {
        g.choose([(10, "LEFT"), (10, "RIGHT"), (1, "left"), (1, "UP")])
    }

    /// LPOS key element with zero to three of RANK, COUNT and MAXLEN in random order.
    private func lpos(_ g: inout DifftestGenerator) -> DifftestStep {
        var options: [[any DifftestArgumentConvertible]] = []
        if g.chance(40) { options.append(["RANK", g.pick(["1", "2", "-1", "-2", "3", "0", "x", "-9223372036854775808"])]) }
        if g.chance(40) { options.append(["COUNT", g.pick(["0", "1", "2", "-1", "x"])]) }
        if g.chance(30) { options.append(["MAXLEN", g.pick(["0", "1", "3", "-1", "x"])]) }
        if g.chance(3) { options.append([g.pick(["RANK", "FOO"])]) }
        if options.count > 1, g.chance(50) { options.swapAt(0, options.count - 1) }
        return .command("LPOS", arguments: [g.key(), element(&g)] + options.flatMap { $0 })
    }

    /// numkeys key... LEFT|RIGHT [COUNT n], numkeys usually right, sometimes not.
    private func multiPop(_ g: inout DifftestGenerator) -> [any DifftestArgumentConvertible] {
        let keys = g.keys(1...3)
        let numkeys = g.chance(90) ? String(keys.count) : g.pick(["0", "-1", "x", "4", "9223372036854775807"])
        var arguments: [any DifftestArgumentConvertible] = [numkeys] + keys + [side(&g)]
        if g.chance(50) { arguments += ["COUNT", g.pick(Self.counts)] }
        return arguments
    }

    /// A blocking form, inside MULTI, with a 10 ms timeout (or a refused one).
    private func blocking(_ g: inout DifftestGenerator) -> DifftestStep {
        let timeout = g.choose([(12, "0.01"), (1, "-1"), (1, "x")])
        switch g.choose([(3, "BLPOP"), (3, "BRPOP"), (2, "BLMOVE"), (2, "BRPOPLPUSH"), (2, "BLMPOP")]) {
        case "BLMOVE":
            return .command("BLMOVE", g.key(), g.key(), side(&g), side(&g), timeout)
        case "BRPOPLPUSH":
            return .command("BRPOPLPUSH", g.key(), g.key(), timeout)
        case "BLMPOP":
            return .command("BLMPOP", arguments: [timeout] + multiPop(&g))
        case let command:
            return .command(command, arguments: g.keys(1...3) + [timeout])
        }
    }
}
