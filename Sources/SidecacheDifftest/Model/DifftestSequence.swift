/// One generated sequence: where it comes from (run seed and index), the protocol it runs
/// under, and its steps. Regenerating it from the same run seed, index, length, families and
/// RESP3 share gives the same steps.
public struct DifftestSequence: Sendable {
    public var runSeed: UInt64
    public var index: Int
    public var resp3: Bool
    public var steps: [DifftestStep]

    /// Sequence `index` of run seed `runSeed`: whether it runs under RESP3 (with probability
    /// `resp3Percent`/100), then `length` steps from `families`.
    public static func generate(
        runSeed: UInt64, index: Int, length: Int, families: [any DifftestFamily], resp3Percent: Int
    ) -> DifftestSequence {
        var generator = DifftestGenerator(seed: DifftestRandom.sequenceSeed(runSeed: runSeed, index: index))
        let resp3 = generator.chance(resp3Percent)
        let steps = generator.steps(count: length, families: families)
        return DifftestSequence(runSeed: runSeed, index: index, resp3: resp3, steps: steps)
    }
}
