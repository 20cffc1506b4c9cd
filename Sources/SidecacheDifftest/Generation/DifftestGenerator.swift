/// What families generate with: the sequence's random source, the shared pools, and a small
/// model of the connection (whether a MULTI is open) that families may consult.
///
/// The generator never sees a reply: a sequence depends only on its seed, its length and the
/// list of families, which is what makes it reproducible and replayable while minimizing.
public struct DifftestGenerator: Sendable {
    /// Milliseconds to wait before settling a key whose TTL was 1 or 2 ms: long enough for
    /// both servers to consider it expired, counted from the second server's reply.
    public static let shortTTLPause = 5

    public var random: DifftestRandom
    /// Whether a MULTI is open, as far as the generated commands say (MULTI opens it, EXEC and
    /// DISCARD close it; the generic mutations never touch these three).
    public private(set) var inTransaction = false
    /// Steps generated since the MULTI that opened the transaction.
    public private(set) var stepsInTransaction = 0

    public init(seed: UInt64) {
        random = DifftestRandom(seed: seed)
    }

    // MARK: - Drawing from the pools

    /// A key of the shared key space (weighted towards the short names).
    public mutating func key() -> [UInt8] {
        let index = random.weightedIndex(DifftestPools.keys.map(\.weight))
        return DifftestPools.keys[index].key
    }

    /// Between `count.lowerBound` and `count.upperBound` keys, repeats allowed.
    public mutating func keys(_ count: ClosedRange<Int>) -> [[UInt8]] {
        (0..<random.integer(in: count)).map { _ in key() }
    }

    /// A value from the shared value pool.
    public mutating func value() -> [UInt8] {
        random.pick(DifftestPools.values)
    }

    /// A database index for SELECT, MOVE, SWAPDB, COPY ... DB: mostly 0, 1 and 2, sometimes
    /// one that is out of range or not a number.
    public mutating func database() -> [UInt8] {
        let index = random.weightedIndex(DifftestPools.databases.map(\.weight))
        return DifftestPools.databases[index].index
    }

    /// A KEYS / SCAN MATCH pattern.
    public mutating func pattern() -> [UInt8] {
        random.pick(DifftestPools.patterns)
    }

    /// One element of `elements`, uniformly.
    public mutating func pick<Element>(_ elements: [Element]) -> Element {
        random.pick(elements)
    }

    /// `true` with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool {
        random.percent(percent)
    }

    /// A uniform integer in `range`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        random.integer(in: range)
    }

    /// One of the `choices`, with probability proportional to its weight.
    public mutating func choose<Choice>(_ choices: [(weight: Int, choice: Choice)]) -> Choice {
        choices[random.weightedIndex(choices.map(\.weight))].choice
    }

    /// An expiry argument written in `form`: mostly times that outlive any sequence (>= 100 s),
    /// sometimes one that fires at once (past, zero, negative, or 1-2 ms ahead, with the pause
    /// its key needs before settling), sometimes one that is not a valid time.
    ///
    /// Relative durations are 100, 1000 or 86400 s in either unit; absolute times are now plus
    /// 500 or 50000 s, at least 400 s away from any relative duration, so that comparing an
    /// absolute time with one set relatively (EXPIREAT ... GT) never depends on the few
    /// milliseconds between the two servers.
    public mutating func ttl(_ form: TimeToLive.Form) -> TimeToLive {
        let invalid: [DifftestArgument] = [
            "abc", "1.5", "", "9223372036854775807", "-9223372036854775808", "9223372036854776",
        ]
        enum Kind { case long, immediate, short, invalid }
        let kind = choose([
            (10, Kind.long), (3, .immediate), (form == .milliseconds || form == .unixMilliseconds ? 4 : 0, .short), (2, .invalid),
        ])
        switch (kind, form) {
        case (.invalid, _):
            return TimeToLive(argument: pick(invalid), settlePause: nil)
        case (.long, .seconds):
            return TimeToLive(argument: pick(["100", "1000", "86400"]), settlePause: nil)
        case (.long, .milliseconds):
            return TimeToLive(argument: pick(["100000", "1000000", "86400000"]), settlePause: nil)
        case (.long, .unixSeconds):
            return TimeToLive(argument: .unixTime(offsetMilliseconds: pick([500_000, 50_000_000]), unit: .seconds), settlePause: nil)
        case (.long, .unixMilliseconds):
            return TimeToLive(argument: .unixTime(offsetMilliseconds: pick([500_000, 50_000_000]), unit: .milliseconds), settlePause: nil)
        case (.immediate, .seconds), (.immediate, .milliseconds):
            return TimeToLive(argument: pick(["0", "-1", "-100"]), settlePause: 0)
        case (.immediate, .unixSeconds):
            return TimeToLive(argument: pick([.unixTime(offsetMilliseconds: -100_000, unit: .seconds), "1", "0"]), settlePause: 0)
        case (.immediate, .unixMilliseconds):
            return TimeToLive(argument: pick([.unixTime(offsetMilliseconds: -100_000, unit: .milliseconds), "1", "0"]), settlePause: 0)
        case (.short, .unixMilliseconds):
            return TimeToLive(argument: .unixTime(offsetMilliseconds: pick([1, 2]), unit: .milliseconds), settlePause: Self.shortTTLPause)
        case (.short, _):
            return TimeToLive(argument: pick(["1", "2"]), settlePause: Self.shortTTLPause)
        }
    }

    // MARK: - Sequences

    /// `count` steps drawn from `families` (see `DifftestFamily`), with the generic mutations
    /// applied: now and then a command name in mixed case, a missing last argument or an extra
    /// argument, so that arity and syntax errors of every command are exercised.
    public mutating func steps(count: Int, families: [any DifftestFamily]) -> [DifftestStep] {
        var steps: [DifftestStep] = []
        while steps.count < count {
            let weights = families.map { $0.weight(in: self) }
            guard weights.contains(where: { $0 > 0 }) else { break }
            let family = families[random.weightedIndex(weights)]
            for step in family.generate(&self) where steps.count < count {
                let mutated = mutate(step)
                observe(mutated)
                steps.append(mutated)
            }
        }
        return steps
    }

    private mutating func mutate(_ step: DifftestStep) -> DifftestStep {
        guard step.mutable, case .command(var arguments) = step.action, let name = arguments.first?.bytes,
            !["MULTI", "EXEC", "DISCARD"].contains(step.commandName)
        else { return step }
        let roll = random.below(100)
        if roll < 4 {
            var mixed = name
            for index in mixed.indices where (mixed[index] | 0x20) >= UInt8(ascii: "a") && (mixed[index] | 0x20) <= UInt8(ascii: "z") {
                if random.percent(50) { mixed[index] ^= 0x20 }
            }
            arguments[0] = .bytes(mixed)
        } else if roll < 6, arguments.count > 1 {
            arguments.removeLast()
        } else if roll < 8 {
            arguments.append(.bytes(random.percent(50) ? key() : pick(DifftestPools.values.filter { $0.count <= 5 })))
        } else {
            return step
        }
        var copy = step
        copy.action = .command(arguments)
        return copy
    }

    private mutating func observe(_ step: DifftestStep) {
        guard case .command = step.action else {
            if inTransaction { stepsInTransaction += 1 }
            return
        }
        switch step.commandName {
        case "MULTI":
            if !inTransaction { stepsInTransaction = 0 }
            inTransaction = true
        case "EXEC", "DISCARD":
            inTransaction = false
            stepsInTransaction = 0
        default:
            if inTransaction { stepsInTransaction += 1 }
        }
    }
}
