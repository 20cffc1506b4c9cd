/// A configuration document that cannot be used, with every problem found in it (never empty).
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One problem on one line; several as a count followed by one indented line each.
    public var description: String {
        if problems.count == 1 {
            return "invalid configuration: \(problems[0])"
        }
        let lines = problems.map { "  \($0)" }.joined(separator: "\n")
        return "invalid configuration, \(problems.count) problems:\n\(lines)"
    }
}
