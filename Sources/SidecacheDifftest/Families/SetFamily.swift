/// The set commands (Redis's t_set.c): SADD, SREM, SISMEMBER, SMISMEMBER, SMEMBERS, SCARD,
/// SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SUNION, SDIFF and their STORE forms, SSCAN.
///
/// Two worlds, so that OBJECT ENCODING (asked by the key family of any shared key) compares
/// only where Sidecache and redis-server 7.0.15 agree:
/// - the shared keys hold sets of integers only: intsets on both, whose members come back
///   ascending, so every reply is compared exactly;
/// - three keys of this family's own (`set:a`, `set:b`, `set:c`) hold any members: a listpack
///   here (Redis 7.2's encoding), a hash table in redis-server 7.0.15, so their members are
///   compared as sets and SSCAN pages by shape.
/// A STORE form or SMOVE writes within one world. SPOP of a random member would leave the two
/// servers holding different sets, so it is followed by deleting the key (both steps immune
/// to the generic mutations); SPOP with a count larger than any set here pops everything.
public struct SetFamily: DifftestFamily {
    public let name = "sets"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 30 }

    private enum Command: Sendable {
        case sadd, srem, sismember, smismember, smembers, scard, spopAll, spopRandom, srandmember, smove
        case sinter, sintercard, sunion, sdiff, store, sscan
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (10, .sadd), (4, .srem), (3, .sismember), (2, .smismember), (4, .smembers), (3, .scard), (2, .spopAll),
        (2, .spopRandom), (3, .srandmember), (3, .smove), (3, .sinter), (2, .sintercard), (3, .sunion), (3, .sdiff),
        (4, .store), (2, .sscan),
    ]

    /// This family's own keys, holding sets of any members.
    static let ownKeys: [(key: [UInt8], weight: Int)] = [
        (Array("set:a".utf8), 3), (Array("set:b".utf8), 3), (Array("set:c".utf8), 2),
    ]

    /// Members of the sets on shared keys: integers in Redis's canonical form (2, 4 and 8
    /// bytes wide in an intset).
    static let integers: [[UInt8]] = [
        "0", "1", "2", "3", "-1", "10", "42", "-100", "70000", "9223372036854775807", "-9223372036854775808",
    ].map { Array($0.utf8) }

    /// Members of this family's own sets: some integers, non-canonical integers, text, empty,
    /// binary, one longer than `set-max-listpack-value`.
    static let anyMembers: [[UInt8]] =
        ["1", "2", "42", "007", "-0", "a", "b", "c", "hello", ""].map { Array($0.utf8) }
        + [[0x00, 0xFF, 0x0D, 0x0A], Array(repeating: 0x61, count: 70)]

    /// One step's keys and members: shared keys with integer members, or the family's own.
    private struct World {
        let isShared: Bool

        func key(_ g: inout DifftestGenerator) -> [UInt8] {
            isShared ? g.key() : g.choose(SetFamily.ownKeys.map { (weight: $0.weight, choice: $0.key) })
        }

        func member(_ g: inout DifftestGenerator) -> [UInt8] {
            g.pick(isShared ? SetFamily.integers : SetFamily.anyMembers)
        }

        func members(_ g: inout DifftestGenerator, _ count: ClosedRange<Int>) -> [[UInt8]] {
            (0..<g.integer(in: count)).map { _ in member(&g) }
        }

        /// How a reply listing members is compared: in order for intsets, as a set otherwise.
        var membersComparison: ReplyComparison { isShared ? .exact : .unordered }
    }

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        let world = World(isShared: g.chance(65))
        switch g.choose(Self.commands) {
        case .sadd:
            // On a shared key, immune to the generic mutations: their extra argument may be text.
            let step = DifftestStep.command("SADD", arguments: [world.key(&g)] + world.members(&g, 1...4))
            return [world.isShared ? step.immutable() : step]
        case .srem:
            return [.command("SREM", arguments: [world.key(&g)] + world.members(&g, 1...3))]
        case .sismember:
            return [.command("SISMEMBER", world.key(&g), world.member(&g))]
        case .smismember:
            return [.command("SMISMEMBER", arguments: [world.key(&g)] + world.members(&g, 1...3))]
        case .smembers:
            return [DifftestStep.command("SMEMBERS", world.key(&g)).compared(world.membersComparison)]
        case .scard:
            return [.command("SCARD", world.key(&g))]
        case .spopAll:
            return [DifftestStep.command("SPOP", world.key(&g), "1000").compared(world.membersComparison).immutable()]
        case .spopRandom:
            let key = world.key(&g)
            let arguments: [any DifftestArgumentConvertible] = g.chance(50) ? [key] : [key, g.pick(["1", "2", "0", "-1", "x"])]
            return [
                DifftestStep.command("SPOP", arguments: arguments).compared(.shape).immutable(),
                DifftestStep.command("DEL", key).immutable(),
            ]
        case .srandmember:
            return [randomMembers(&g, world)]
        case .smove:
            return [.command("SMOVE", world.key(&g), world.key(&g), world.member(&g))]
        case .sinter:
            return [read("SINTER", &g, world)]
        case .sunion:
            return [read("SUNION", &g, world)]
        case .sdiff:
            return [read("SDIFF", &g, world)]
        case .sintercard:
            return [intersectionCardinality(&g, world)]
        case .store:
            let command = g.pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"])
            return [.command(command, arguments: [world.key(&g)] + (0..<g.integer(in: 1...3)).map { _ in world.key(&g) })]
        case .sscan:
            return [scan(&g, world)]
        }
    }

    /// SINTER, SUNION or SDIFF of one to three keys; now and then one key of the other world,
    /// which makes the order that of a hash table.
    private func read(_ command: String, _ g: inout DifftestGenerator, _ world: World) -> DifftestStep {
        var keys = (0..<g.integer(in: 1...3)).map { _ in world.key(&g) }
        var comparison = world.membersComparison
        if g.chance(15) {
            keys.append(World(isShared: !world.isShared).key(&g))
            comparison = .unordered
        }
        return DifftestStep.command(command, arguments: keys).compared(comparison)
    }

    /// SINTERCARD numkeys key... [LIMIT n], with bad counts and options now and then.
    private func intersectionCardinality(_ g: inout DifftestGenerator, _ world: World) -> DifftestStep {
        let keys = (0..<g.integer(in: 1...3)).map { _ in world.key(&g) }
        var arguments: [any DifftestArgumentConvertible] = [g.chance(90) ? "\(keys.count)" : g.pick(["0", "-1", "x", "9"])]
        arguments += keys
        if g.chance(40) { arguments += ["LIMIT", g.choose([(5, "1"), (3, "0"), (3, "2"), (1, "-1"), (1, "x")])] }
        if g.chance(5) { arguments.append("FOO") }
        return .command("SINTERCARD", arguments: arguments)
    }

    /// SRANDMEMBER key [count]: a count larger than any set here answers the whole set;
    /// other draws are random (compared by shape); errors exactly.
    private func randomMembers(_ g: inout DifftestGenerator, _ world: World) -> DifftestStep {
        let key = world.key(&g)
        switch g.integer(in: 0...4) {
        case 0:
            return DifftestStep.command("SRANDMEMBER", key).compared(.shape)
        case 1, 2:
            // Immune to the generic mutations: without its count it draws one member at random.
            return DifftestStep.command("SRANDMEMBER", key, "20").compared(world.membersComparison).immutable()
        case 3:
            return DifftestStep.command("SRANDMEMBER", key, g.pick(["1", "2", "-3"])).compared(.shape)
        default:
            var arguments: [any DifftestArgumentConvertible] = [key, g.pick(["0", "x", "-9223372036854775808", "1.5"])]
            if g.chance(10) { arguments.append("1") }
            return .command("SRANDMEMBER", arguments: arguments)
        }
    }

    /// SSCAN key cursor [MATCH pattern] [COUNT count]: an intset answers whole, cursor 0.
    private func scan(_ g: inout DifftestGenerator, _ world: World) -> DifftestStep {
        var arguments: [any DifftestArgumentConvertible] = [world.key(&g), g.choose([(8, "0"), (1, "x"), (1, "3")])]
        if g.chance(40) { arguments += ["MATCH", g.pattern()] }
        if g.chance(40) { arguments += ["COUNT", g.choose([(5, "1000"), (2, "1"), (1, "0"), (1, "x")])] }
        if g.chance(5) { arguments += ["TYPE", "set"] }
        return DifftestStep.command("SSCAN", arguments: arguments).compared(world.isShared ? .exact : .shape)
    }
}
