/// What a run did, and the divergence it stopped at, if any.
public struct DifftestReport: Sendable {
    /// Sequences replayed in full or up to their divergence (minimization replays not counted).
    public var sequences: Int
    /// Steps sent to each server, minimization replays included.
    public var steps: Int
    /// Reference replies compared, and the share of them that were errors and nulls.
    public var replies: Int
    public var errorReplies: Int
    public var nullReplies: Int
    public var elapsed: Duration
    public var divergence: DifftestDivergence?

    /// One line for a run without divergence, the divergence report otherwise.
    public var summary: String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func percent(_ part: Int) -> Int { replies == 0 ? 0 : part * 100 / replies }
        let timing =
            "\(sequences) sequences, \(steps) steps in \((seconds * 10).rounded() / 10) s; "
            + "\(percent(errorReplies))% of replies were errors, \(percent(nullReplies))% nulls"
        guard let divergence else { return "no divergence: \(timing)" }
        return divergence.report + "\n\n(\(timing))"
    }
}
