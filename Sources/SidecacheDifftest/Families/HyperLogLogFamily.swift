/// The HyperLogLog commands (Redis's hyperloglog.c): PFADD, PFCOUNT (one key and unions),
/// PFMERGE, PFDEBUG ENCODING/DECODE/TODENSE/GETREG, and GET to compare the HLL bytes
/// themselves. Elements come from a space of a few thousand, with bulk additions, so that
/// HLLs grow past the sparse limit and turn dense within a sequence; SET writes hand-made HLL
/// values (cached cardinalities, corrupt opcodes) now and then. Every reply is deterministic.
public struct HyperLogLogFamily: DifftestFamily {
    public let name = "hll"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 25 }

    private enum Command: Sendable {
        case add, bulkAdd, count, union, merge, get, debug, setValue
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (10, .add), (3, .bulkAdd), (6, .count), (3, .union), (4, .merge), (4, .get), (3, .debug), (1, .setValue),
    ]

    /// Hand-made HLL strings: empty sparse (cache stale and valid), a cached cardinality that
    /// is not the registers', too few and too many registers, no opcodes, a dense HLL whose
    /// registers are all 63, and a header alone.
    private static let values: [[UInt8]] = {
        let magic = Array("HYLL".utf8)
        let sparse = magic + [1, 0, 0, 0]
        let stale: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x80]
        return [
            sparse + stale + [0x7F, 0xFF],
            sparse + [0, 0, 0, 0, 0, 0, 0, 0] + [0x7F, 0xFF],
            sparse + [0x39, 0x05, 0, 0, 0, 0, 0, 0] + [0x7F, 0xFF],
            sparse + stale + [0x7F, 0xFE],
            sparse + stale + [0x7F, 0xFF, 0x80],
            sparse + stale,
            sparse + stale + [0x80, 0x8F, 0x7F, 0xF9, 0x02],
            magic + [0, 0, 0, 0] + stale + Array(repeating: 0xFF, count: 12_288),
            magic + [1, 0, 0, 0],
        ]
    }()

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose(Self.commands) {
        case .add:
            return [.command("PFADD", arguments: [g.key()] + elements(&g, count: g.integer(in: 0...4)))]
        case .bulkAdd:
            return [.command("PFADD", arguments: [g.key()] + elements(&g, count: g.integer(in: 100...400)))]
        case .count:
            return [.command("PFCOUNT", g.key())]
        case .union:
            return [.command("PFCOUNT", arguments: g.keys(2...4))]
        case .merge:
            return [.command("PFMERGE", arguments: g.keys(1...4))]
        case .get:
            return [.command("GET", g.key())]
        case .debug:
            let subcommand = g.choose([(4, "ENCODING"), (3, "DECODE"), (2, "TODENSE"), (1, "GETREG"), (1, "NOPE")])
            return [.command("PFDEBUG", subcommand, g.key())]
        case .setValue:
            return [.command("SET", g.key(), g.pick(Self.values))]
        }
    }

    /// `count` elements `e0`…`e2999`.
    private func elements(_ g: inout DifftestGenerator, count: Int) -> [any DifftestArgumentConvertible] {
        (0..<count).map { _ in "e\(g.integer(in: 0...2_999))" }
    }
}
