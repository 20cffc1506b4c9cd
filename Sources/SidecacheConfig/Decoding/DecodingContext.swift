import Yams

/// What decoding one document carries along: the problems found so far, every key path the decoder
/// knows (for suggestions) and the duplicate keys `YAMLDocument` renamed.
struct DecodingContext {
    let knownKeyPaths: [String]
    let renamedKeys: [Unicode.Scalar: Unicode.Scalar]
    private(set) var problems: [ConfigurationProblem] = []

    init(knownKeyPaths: [String], renamedKeys: [Unicode.Scalar: Unicode.Scalar]) {
        self.knownKeyPaths = knownKeyPaths
        self.renamedKeys = renamedKeys
    }

    /// Records a problem at `path`, located at `node`'s mark when Yams gives one.
    mutating func record(_ message: String, at path: String, node: Node) {
        problems.append(ConfigurationProblem(path: path, line: node.mark?.line, column: node.mark?.column, message: message))
    }

    /// The problems in document order (problems without a position first).
    var sortedProblems: [ConfigurationProblem] {
        problems.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }
}

extension String {
    /// The path of `key` inside the mapping at this path: "server" + "port" is "server.port".
    func appendingKey(_ key: String) -> String {
        isEmpty ? key : "\(self).\(key)"
    }

    /// The path of element `index` inside the list at this path: "server.bind[1]".
    func appendingIndex(_ index: Int) -> String {
        "\(self)[\(index)]"
    }
}
