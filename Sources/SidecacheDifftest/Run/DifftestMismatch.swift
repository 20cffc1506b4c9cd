public import SidecacheRESP

/// The first pair of replies that did not match in one replay of a sequence.
public struct DifftestMismatch: Sendable {
    /// The index of the step in the replayed sequence.
    public var stepIndex: Int
    /// The command whose replies differ, as sent to the reference server (for settling and
    /// compound steps, the command of the step that differs).
    public var label: String
    public var reference: RESPValue
    public var candidate: RESPValue
    public var comparison: ReplyComparison

    public init(stepIndex: Int, label: String, reference: RESPValue, candidate: RESPValue, comparison: ReplyComparison) {
        self.stepIndex = stepIndex
        self.label = label
        self.reference = reference
        self.candidate = candidate
        self.comparison = comparison
    }
}
