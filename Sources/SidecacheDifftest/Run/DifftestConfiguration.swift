/// What a run does: which sequences (seed, first index, length, families, RESP3 share), how
/// many (a count, a time budget, or both: whichever ends first), and the bounds that keep it
/// from hanging (reply timeout, minimization budget).
public struct DifftestConfiguration: Sendable {
    /// Used when neither `count` nor `seconds` is set.
    public static let defaultCount = 100

    public var seed: UInt64
    /// Stop after this many sequences.
    public var count: Int?
    /// Stop starting new sequences after this many seconds.
    public var seconds: Double?
    /// Steps per sequence.
    public var length: Int
    public var families: [any DifftestFamily]
    /// Share of sequences (in percent) that run under RESP3 after `HELLO 3`.
    public var resp3Percent: Int
    /// Index of the first sequence (sequence `i` of a seed is the same whatever ran before it).
    public var firstSequence: Int
    /// How long to wait for any one reply before declaring the server hung.
    public var replyTimeout: Duration
    /// Most replays the minimizer may spend, and most time.
    public var maxMinimizationReplays: Int
    public var maxMinimizationSeconds: Double
    /// How often to report progress through the runner's log (nil: never).
    public var progressInterval: Duration?

    public init(
        seed: UInt64 = 1,
        count: Int? = nil,
        seconds: Double? = nil,
        length: Int = 30,
        families: [any DifftestFamily] = DifftestFamilies.all.filter { DifftestFamilies.defaultNames.contains($0.name) },
        resp3Percent: Int = 25,
        firstSequence: Int = 0,
        replyTimeout: Duration = .seconds(5),
        maxMinimizationReplays: Int = 2000,
        maxMinimizationSeconds: Double = 60,
        progressInterval: Duration? = nil
    ) {
        self.seed = seed
        self.count = count
        self.seconds = seconds
        self.length = length
        self.families = families
        self.resp3Percent = resp3Percent
        self.firstSequence = firstSequence
        self.replyTimeout = replyTimeout
        self.maxMinimizationReplays = maxMinimizationReplays
        self.maxMinimizationSeconds = maxMinimizationSeconds
        self.progressInterval = progressInterval
    }

    /// The options of `sidecache-difftest` that regenerate sequence `index` of this run.
    public func reproduceArguments(sequence index: Int) -> String {
        let names = families.map(\.name).joined(separator: ",")
        return "--seed \(seed) --sequence \(index) --length \(length) --families \(names) --resp3-percent \(resp3Percent)"
    }
}
