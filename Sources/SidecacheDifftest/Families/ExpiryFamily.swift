/// The expiry commands (Redis's expire.c): EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX, XX,
/// GT, LT (and their invalid combinations), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
///
/// Times that are set either outlive the sequence or fire at once and are settled (see
/// `TimeToLive`). GT and LT go only with EXPIREAT and PEXPIREAT: they compare the new expiry
/// time with the old one, and two relative times of the same length set a few milliseconds
/// apart compare differently on two servers that received them a millisecond apart. An
/// absolute time is resolved once and sent to both servers, and the pools keep absolute
/// offsets hundreds of seconds away from every relative duration. Remaining times are compared within a tolerance: the two servers receive
/// each command a few milliseconds apart and each measures from its own clock.
public struct ExpiryFamily: DifftestFamily {
    /// Tolerance for TTL and EXPIRETIME (seconds).
    public static let secondsTolerance: Int64 = 2
    /// Tolerance for PTTL and PEXPIRETIME (milliseconds).
    public static let millisecondsTolerance: Int64 = 2000

    public let name = "expiry"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 20 }

    private enum Command: Sendable {
        case expire, pexpire, expireat, pexpireat, ttl, pttl, expiretime, pexpiretime, persist
    }

    private static let commands: [(weight: Int, choice: Command)] = [
        (5, .expire), (5, .pexpire), (3, .expireat), (3, .pexpireat), (4, .ttl), (4, .pttl),
        (2, .expiretime), (2, .pexpiretime), (3, .persist),
    ]

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose(Self.commands) {
        case .expire: return [set("EXPIRE", .seconds, &g)]
        case .pexpire: return [set("PEXPIRE", .milliseconds, &g)]
        case .expireat: return [set("EXPIREAT", .unixSeconds, &g)]
        case .pexpireat: return [set("PEXPIREAT", .unixMilliseconds, &g)]
        case .ttl: return [DifftestStep.command("TTL", g.key()).compared(.approximately(tolerance: Self.secondsTolerance))]
        case .pttl: return [DifftestStep.command("PTTL", g.key()).compared(.approximately(tolerance: Self.millisecondsTolerance))]
        case .expiretime:
            return [DifftestStep.command("EXPIRETIME", g.key()).compared(.approximately(tolerance: Self.secondsTolerance))]
        case .pexpiretime:
            return [DifftestStep.command("PEXPIRETIME", g.key()).compared(.approximately(tolerance: Self.millisecondsTolerance))]
        case .persist: return [.command("PERSIST", g.key())]
        }
    }

    /// `command key time [NX|XX|GT|LT ...]`, settling the key when the time may fire.
    private func set(_ command: String, _ form: TimeToLive.Form, _ g: inout DifftestGenerator) -> DifftestStep {
        let key = g.key()
        let ttl = g.ttl(form)
        var arguments: [any DifftestArgumentConvertible] = [key, ttl.argument]
        let absolute = form == .unixSeconds || form == .unixMilliseconds
        if g.chance(40) {
            let comparing = absolute ? 3 : 0
            arguments.append(
                g.choose([(3, "NX"), (3, "XX"), (comparing, "GT"), (comparing, "LT"), (absolute ? 1 : 0, "gt"), (1, "nx"), (1, "BOGUS")])
            )
            if g.chance(10) { arguments.append(g.pick(absolute ? ["NX", "XX", "GT", "LT"] : ["NX", "XX"])) }
        }
        return DifftestStep.command(command, arguments: arguments).settling(key, for: ttl)
    }
}
