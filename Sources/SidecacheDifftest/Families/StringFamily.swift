/// The string commands (Redis's t_string.c and bitops.c): GET, SET with every option, SETNX,
/// SETEX, PSETEX, GETSET, GETDEL, GETEX, MGET, MSET, MSETNX, APPEND, STRLEN, INCR and
/// friends, INCRBYFLOAT, GETRANGE, SUBSTR, SETRANGE, LCS, SETBIT, GETBIT, BITCOUNT, BITPOS,
/// BITOP, BITFIELD, BITFIELD_RO. Every reply is deterministic and compared exactly.
public struct StringFamily: DifftestFamily {
    public let name = "strings"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 45 }

    private enum Command: Sendable {
        case get, set, setnx, setex, psetex, getset, getdel, getex, mget, mset, msetnx, append, strlen
        case incr, decr, incrby, decrby, incrbyfloat, getrange, substr, setrange, lcs
        case setbit, getbit, bitcount, bitpos, bitop, bitfield, bitfieldReadOnly
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (8, .get), (10, .set), (2, .setnx), (2, .setex), (2, .psetex), (2, .getset), (2, .getdel), (3, .getex),
        (3, .mget), (3, .mset), (2, .msetnx), (4, .append), (3, .strlen), (3, .incr), (2, .decr), (3, .incrby),
        (2, .decrby), (3, .incrbyfloat), (3, .getrange), (1, .substr), (3, .setrange), (2, .lcs), (3, .setbit),
        (2, .getbit), (3, .bitcount), (2, .bitpos), (2, .bitop), (3, .bitfield), (1, .bitfieldReadOnly),
    ]

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose(Self.commands) {
        case .get:
            return [.command("GET", g.key())]
        case .set:
            return [set(&g)]
        case .setnx:
            return [.command("SETNX", g.key(), g.value())]
        case .setex:
            let key = g.key()
            let ttl = g.ttl(.seconds)
            return [DifftestStep.command("SETEX", key, ttl.argument, g.value()).settling(key, for: ttl)]
        case .psetex:
            let key = g.key()
            let ttl = g.ttl(.milliseconds)
            return [DifftestStep.command("PSETEX", key, ttl.argument, g.value()).settling(key, for: ttl)]
        case .getset:
            return [.command("GETSET", g.key(), g.value())]
        case .getdel:
            return [.command("GETDEL", g.key())]
        case .getex:
            return [getex(&g)]
        case .mget:
            return [.command("MGET", arguments: g.keys(1...4))]
        case .mset:
            return [.command("MSET", arguments: pairs(&g))]
        case .msetnx:
            return [.command("MSETNX", arguments: pairs(&g))]
        case .append:
            return [.command("APPEND", g.key(), g.value())]
        case .strlen:
            return [.command("STRLEN", g.key())]
        case .incr:
            return [.command("INCR", g.key())]
        case .decr:
            return [.command("DECR", g.key())]
        case .incrby:
            return [.command("INCRBY", g.key(), g.pick(DifftestPools.increments))]
        case .decrby:
            return [.command("DECRBY", g.key(), g.pick(DifftestPools.increments))]
        case .incrbyfloat:
            return [.command("INCRBYFLOAT", g.key(), g.pick(DifftestPools.floatIncrements))]
        case .getrange:
            return [.command("GETRANGE", g.key(), g.pick(DifftestPools.indices), g.pick(DifftestPools.indices))]
        case .substr:
            return [.command("SUBSTR", g.key(), g.pick(DifftestPools.indices), g.pick(DifftestPools.indices))]
        case .setrange:
            return [.command("SETRANGE", g.key(), g.pick(DifftestPools.setRangeOffsets), g.value())]
        case .lcs:
            return [lcs(&g)]
        case .setbit:
            return [.command("SETBIT", g.key(), g.pick(DifftestPools.bitOffsets), g.choose([(5, "1"), (4, "0"), (1, "2"), (1, "x")]))]
        case .getbit:
            return [.command("GETBIT", g.key(), g.pick(DifftestPools.bitOffsets + ["9223372036854775807"].map { Array($0.utf8) }))]
        case .bitcount:
            var arguments: [any DifftestArgumentConvertible] = [g.key()]
            if g.chance(60) {
                arguments += [g.pick(DifftestPools.indices), g.pick(DifftestPools.indices)]
                if g.chance(40) { arguments.append(g.pick(["BYTE", "BIT", "bit", "WORD"])) }
            } else if g.chance(10) {
                arguments.append(g.pick(DifftestPools.indices))
            }
            return [.command("BITCOUNT", arguments: arguments)]
        case .bitpos:
            var arguments: [any DifftestArgumentConvertible] = [g.key(), g.choose([(5, "1"), (5, "0"), (1, "2")])]
            if g.chance(60) {
                arguments.append(g.pick(DifftestPools.indices))
                if g.chance(60) {
                    arguments.append(g.pick(DifftestPools.indices))
                    if g.chance(40) { arguments.append(g.pick(["BYTE", "BIT"])) }
                }
            }
            return [.command("BITPOS", arguments: arguments)]
        case .bitop:
            let operation = g.choose([(3, "AND"), (3, "OR"), (3, "XOR"), (3, "NOT"), (1, "NAND")])
            let sources = g.keys(operation == "NOT" && g.chance(80) ? 1...1 : 1...3)
            let arguments: [any DifftestArgumentConvertible] = [operation, g.key()]
            return [.command("BITOP", arguments: arguments + sources)]
        case .bitfield:
            return [bitfield(&g, readOnly: false)]
        case .bitfieldReadOnly:
            return [bitfield(&g, readOnly: true)]
        }
    }

    /// SET key value with a random subset of NX/XX, GET, and one (rarely two) of EX, PX, EXAT,
    /// PXAT, KEEPTTL, in random order.
    private func set(_ g: inout DifftestGenerator) -> DifftestStep {
        let key = g.key()
        var options: [[any DifftestArgumentConvertible]] = []
        if g.chance(35) { options.append([g.choose([(5, "NX"), (5, "XX"), (1, "nx")])]) }
        if g.chance(5) { options.append([g.pick(["NX", "XX"])]) }
        if g.chance(25) { options.append(["GET"]) }
        var ttl: TimeToLive?
        for _ in 0..<(g.chance(45) ? (g.chance(8) ? 2 : 1) : 0) {
            let option = g.pick(["EX", "PX", "EXAT", "PXAT", "KEEPTTL", "ex"])
            if option == "KEEPTTL" {
                options.append(["KEEPTTL"])
                continue
            }
            let form: TimeToLive.Form =
                switch option.uppercased() {
                case "EX": .seconds
                case "PX": .milliseconds
                case "EXAT": .unixSeconds
                default: .unixMilliseconds
                }
            let drawn = g.ttl(form)
            ttl = drawn
            options.append([option, drawn.argument])
        }
        shuffle(&options, &g)
        let step = DifftestStep.command("SET", arguments: [key, g.value()] + options.flatMap { $0 })
        guard let ttl else { return step }
        return step.settling(key, for: ttl)
    }

    /// GETEX key with none, one or (rarely) two of EX, PX, EXAT, PXAT, PERSIST.
    private func getex(_ g: inout DifftestGenerator) -> DifftestStep {
        let key = g.key()
        var arguments: [any DifftestArgumentConvertible] = [key]
        var settle: TimeToLive?
        for _ in 0..<g.choose([(3, 0), (8, 1), (1, 2)]) {
            let option = g.pick(["EX", "PX", "EXAT", "PXAT", "PERSIST"])
            let form: TimeToLive.Form
            switch option {
            case "PERSIST":
                arguments.append(option)
                continue
            case "EX": form = .seconds
            case "PX": form = .milliseconds
            case "EXAT": form = .unixSeconds
            default: form = .unixMilliseconds
            }
            let ttl = g.ttl(form)
            if ttl.settlePause != nil { settle = ttl }
            arguments += [option, ttl.argument]
        }
        let step = DifftestStep.command("GETEX", arguments: arguments)
        guard let settle else { return step }
        return step.settling(key, for: settle)
    }

    /// One to three key/value pairs (MSET, MSETNX).
    private func pairs(_ g: inout DifftestGenerator) -> [any DifftestArgumentConvertible] {
        var arguments: [any DifftestArgumentConvertible] = []
        for _ in 0..<g.integer(in: 1...3) {
            arguments.append(g.key())
            arguments.append(g.value())
        }
        return arguments
    }

    /// LCS key1 key2 with LEN, or IDX with MINMATCHLEN and WITHMATCHLEN, or (rarely) both.
    private func lcs(_ g: inout DifftestGenerator) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = [g.key(), g.key()]
        switch g.integer(in: 0...4) {
        case 0: arguments.append("LEN")
        case 1, 2:
            arguments.append("IDX")
            if g.chance(50) { arguments += ["MINMATCHLEN", g.pick(["0", "1", "2", "4", "-1", "x"])] }
            if g.chance(50) { arguments.append("WITHMATCHLEN") }
            if g.chance(10) { arguments.append("LEN") }
        default: break
        }
        return .command("LCS", arguments: arguments)
    }

    /// BITFIELD (or BITFIELD_RO) key with one to three GET, SET, INCRBY and OVERFLOW
    /// subcommands over small offsets.
    private func bitfield(_ g: inout DifftestGenerator, readOnly: Bool) -> DifftestStep {
        let types = ["u1", "u4", "u8", "i8", "i16", "u16", "i32", "i64", "u63", "i1", "u64", "i65", "x8", "u0"]
        let offsets = ["0", "1", "5", "8", "13", "#0", "#1", "#3", "100", "-1", "#-1", "x"]
        var arguments: [any DifftestArgumentConvertible] = [g.key()]
        for _ in 0..<g.integer(in: 1...3) {
            let subcommand =
                readOnly ? g.choose([(10, "GET"), (1, "SET")]) : g.choose([(4, "GET"), (3, "SET"), (3, "INCRBY"), (2, "OVERFLOW")])
            switch subcommand {
            case "GET":
                arguments += ["GET", g.pick(types), g.pick(offsets)]
            case "OVERFLOW":
                arguments += ["OVERFLOW", g.choose([(3, "WRAP"), (3, "SAT"), (3, "FAIL"), (1, "BAD")])]
            default:
                arguments += [subcommand, g.pick(types), g.pick(offsets), g.pick(DifftestPools.increments)]
            }
        }
        return .command(readOnly ? "BITFIELD_RO" : "BITFIELD", arguments: arguments)
    }

    private func shuffle<Element>(_ elements: inout [Element], _ g: inout DifftestGenerator) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(index, g.integer(in: 0...index))
        }
    }
}
