/// The keyspace commands (Redis's db.c, object.c, cluster.c's DUMP/RESTORE): DEL, UNLINK,
/// EXISTS, TYPE, RENAME, RENAMENX, COPY, MOVE, SWAPDB, KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB,
/// FLUSHALL, TOUCH, OBJECT, MEMORY USAGE, DUMP, RESTORE, WAIT.
///
/// Normalized replies: KEYS and a whole SCAN iteration as sets; RANDOMKEY as "some key that
/// exists" or nil; OBJECT IDLETIME, FREQ and REFCOUNT, MEMORY USAGE and DUMP by type only; DUMP payloads
/// checked by RESTORE on the server that produced them.
public struct KeyFamily: DifftestFamily {
    public let name = "keys"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 25 }

    private enum Command: Sendable {
        case del, unlink, exists, type, rename, renamenx, copy, move, swapdb, keys, scan, randomkey, dbsize
        case flushdb, flushall, touch, objectEncoding, objectRefcount, objectLoose, objectBad, memoryUsage
        case dump, dumpRestore, restoreGarbage, wait
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (5, .del), (2, .unlink), (5, .exists), (4, .type), (3, .rename), (2, .renamenx), (3, .copy), (2, .move),
        (1, .swapdb), (3, .keys), (3, .scan), (2, .randomkey), (3, .dbsize), (1, .flushdb), (1, .flushall),
        (2, .touch), (3, .objectEncoding), (1, .objectRefcount), (2, .objectLoose), (1, .objectBad),
        (2, .memoryUsage), (1, .dump), (3, .dumpRestore), (1, .restoreGarbage), (1, .wait),
    ]

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose(Self.commands) {
        case .del:
            return [.command("DEL", arguments: g.keys(1...3))]
        case .unlink:
            return [.command("UNLINK", arguments: g.keys(1...3))]
        case .exists:
            return [.command("EXISTS", arguments: g.keys(1...4))]
        case .type:
            return [.command("TYPE", g.key())]
        case .rename:
            return [.command("RENAME", g.key(), g.key())]
        case .renamenx:
            return [.command("RENAMENX", g.key(), g.key())]
        case .copy:
            var arguments: [any DifftestArgumentConvertible] = [g.key(), g.key()]
            var options: [[any DifftestArgumentConvertible]] = []
            if g.chance(40) { options.append(["DB", g.database()]) }
            if g.chance(40) { options.append(["REPLACE"]) }
            if g.chance(5) { options.append(["BOGUS"]) }
            if options.count == 2, g.chance(50) { options.swapAt(0, 1) }
            arguments += options.flatMap { $0 }
            return [.command("COPY", arguments: arguments)]
        case .move:
            return [.command("MOVE", g.key(), g.database())]
        case .swapdb:
            return [.command("SWAPDB", g.database(), g.database())]
        case .keys:
            return [DifftestStep.command("KEYS", g.pattern()).compared(.unordered)]
        case .scan:
            var options: [DifftestArgument] = []
            if g.chance(50) { options += ["MATCH", .bytes(g.pattern())] }
            if g.chance(50) { options += ["COUNT", g.choose([(5, "1"), (5, "2"), (5, "10"), (3, "1000"), (1, "0"), (1, "x")])] }
            if g.chance(25) { options += ["TYPE", g.choose([(5, "string"), (2, "list"), (2, "hash"), (1, "nosuchtype")])] }
            return [DifftestStep(action: .scanAll(options: options), comparison: .unordered, mutable: false)]
        case .randomkey:
            return [DifftestStep(action: .randomKeyExists, mutable: false)]
        case .dbsize:
            return [.command("DBSIZE")]
        case .flushdb:
            return [.command("FLUSHDB", arguments: g.choose([(4, []), (1, ["ASYNC"]), (1, ["SYNC"]), (1, ["NOW"])]))]
        case .flushall:
            return [.command("FLUSHALL", arguments: g.choose([(4, []), (1, ["ASYNC"]), (1, ["SYNC"])]))]
        case .touch:
            return [.command("TOUCH", arguments: g.keys(1...3))]
        case .objectEncoding:
            return [.command("OBJECT", "ENCODING", g.key())]
        case .objectRefcount:
            // By type only: Redis answers 1 for a COPY of a shared integer (0-9999), Sidecache
            // 2147483647, a known difference the README lists; the key-command tests check the
            // other cases exactly.
            return [DifftestStep.command("OBJECT", "REFCOUNT", g.key()).compared(.shape)]
        case .objectLoose:
            // The idle time ticks with each server's clock; FREQ is an error unless an LFU
            // policy is set, and a counter with probabilistic increments otherwise.
            return [DifftestStep.command("OBJECT", g.pick(["IDLETIME", "FREQ"]), g.key()).compared(.shape)]
        case .objectBad:
            return [.command("OBJECT", arguments: g.choose([(1, ["NOSUCH", "a"]), (1, ["ENCODING"]), (1, [])]))]
        case .memoryUsage:
            // Bytes used depend on the allocator and the representation: integer or null only.
            var arguments: [any DifftestArgumentConvertible] = ["USAGE", g.key()]
            if g.chance(25) { arguments += ["SAMPLES", g.pick(["0", "5", "-1", "x"])] }
            return [DifftestStep.command("MEMORY", arguments: arguments).compared(.shape)]
        case .dump:
            // Payload bytes are the server's own serialization: compared as payload-or-nil.
            return [DifftestStep.command("DUMP", g.key()).compared(.shape)]
        case .dumpRestore:
            return [dumpRestore(&g)]
        case .restoreGarbage:
            var arguments: [any DifftestArgumentConvertible] = [g.key(), g.pick(["0", "-1", "x"]), g.pick(["garbage", "", "\u{0}\u{1}"])]
            if g.chance(50) { arguments.append("REPLACE") }
            return [.command("RESTORE", arguments: arguments)]
        case .wait:
            // With zero replicas to wait for, WAIT answers at once (never WAIT 1 0: it blocks).
            return [DifftestStep.command("WAIT", "0", g.pick(["0", "10"])).immutable()]
        }
    }

    /// DUMP a key and RESTORE the payload under a key (often the same one, often with REPLACE),
    /// with a TTL that is none, long, relative or absolute, or already past.
    private func dumpRestore(_ g: inout DifftestGenerator) -> DifftestStep {
        let source = g.key()
        let destination = g.chance(40) ? source : g.key()
        var options: [DifftestArgument] = []
        if g.chance(60) { options.append("REPLACE") }
        var ttl: DifftestArgument = "0"
        var settle: TimeToLive?
        switch g.integer(in: 0...9) {
        case 0...5:
            break
        case 6, 7:
            let drawn = g.ttl(.milliseconds)
            ttl = drawn.argument
            settle = drawn
        default:
            let drawn = g.ttl(.unixMilliseconds)
            ttl = drawn.argument
            settle = drawn
            options.append("ABSTTL")
        }
        if g.chance(15) { options += [g.pick(["IDLETIME", "FREQ"]), g.pick(["0", "10", "-1", "x"])] }
        let step = DifftestStep(
            action: .dumpRestore(source: source, destination: destination, ttl: ttl, options: options),
            mutable: false
        )
        guard let settle else { return step }
        return step.settling(destination, for: settle)
    }
}
