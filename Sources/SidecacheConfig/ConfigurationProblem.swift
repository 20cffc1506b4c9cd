/// One thing wrong with a configuration document, and where.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// Dotted path of the offending key, e.g. "server.port" or "server.bind[1]"; "" for the document itself.
    public var path: String
    /// 1-based line in the document, when known.
    public var line: Int?
    /// 1-based column in the document (in Unicode scalars), when known.
    public var column: Int?
    /// What is wrong, phrased so that a person can act on it.
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// "server.port (line 3, column 9): must be ...", leaving out what is unknown.
    public var description: String {
        let position = [line.map { "line \($0)" }, column.map { "column \($0)" }].compactMap { $0 }
            .joined(separator: ", ")
        switch (path.isEmpty, position.isEmpty) {
        case (true, true): return message
        case (true, false): return "\(position): \(message)"
        case (false, true): return "\(path): \(message)"
        case (false, false): return "\(path) (\(position)): \(message)"
        }
    }
}
