/// A divergence found by a run, after minimization: where it came from, the minimal sequence
/// and the two replies that differ.
public struct DifftestDivergence: Sendable {
    public var sequence: DifftestSequence
    /// The mismatch in the generated sequence, as first seen.
    public var original: DifftestMismatch
    /// The smallest subsequence found that still diverges (the generated prefix up to the
    /// mismatch when the minimal one could not be reproduced).
    public var minimalSteps: [DifftestStep]
    /// Whether `minimalSteps` diverge under RESP3 (`HELLO 3` first); a RESP3 sequence whose
    /// minimal steps also diverge under RESP2 is reported under RESP2.
    public var minimalUsesRESP3: Bool
    /// The mismatch of the last replay of `minimalSteps`.
    public var mismatch: DifftestMismatch
    /// Whether the last replay of `minimalSteps` diverged again (false: timing-dependent, and
    /// `minimalSteps`, `mismatch` are the original ones).
    public var reproduced: Bool
    /// Replays the minimizer spent.
    public var replays: Int
    /// The options of `sidecache-difftest` that regenerate the sequence.
    public var reproduceArguments: String
    public var referenceName: String
    public var candidateName: String

    /// The report printed by the executable: seed and sequence, how to reproduce, the minimal
    /// sequence as redis-cli input, and both replies.
    public var report: String {
        let now = LockstepReplayer.nowMilliseconds()
        var lines: [String] = []
        lines.append(
            "DIVERGENCE: seed \(sequence.runSeed), sequence \(sequence.index) (\(sequence.resp3 ? "RESP3" : "RESP2")), "
                + "step \(original.stepIndex + 1) of \(sequence.steps.count)"
        )
        lines.append("reproduce: sidecache-difftest \(reproduceArguments)")
        if reproduced {
            lines.append("minimized to \(minimalSteps.count) step(s) in \(replays) replays.")
        } else {
            lines.append("NOT reproduced when replayed (timing-dependent?); showing the generated steps up to the divergence.")
        }
        lines.append("")
        lines.append("Minimal sequence (redis-cli input on a fresh connection after FLUSHALL; lines starting with # are notes):")
        if minimalUsesRESP3 { lines.append("  HELLO 3") }
        for step in minimalSteps {
            lines += step.cliLines(nowMilliseconds: now).map { "  " + $0 }
        }
        lines.append("")
        lines.append("Replies to step \(mismatch.stepIndex + 1): \(mismatch.label)   [compared: \(mismatch.comparison.label)]")
        let width = max(referenceName.count, candidateName.count) + 1
        lines.append(
            "  " + (referenceName + ":").padding(toLength: width, withPad: " ", startingAt: 0) + " "
                + mismatch.reference.difftestDescription)
        lines.append(
            "  " + (candidateName + ":").padding(toLength: width, withPad: " ", startingAt: 0) + " "
                + mismatch.candidate.difftestDescription)
        return lines.joined(separator: "\n")
    }
}
