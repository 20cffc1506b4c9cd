import Yams

/// A configuration document as Yams composes it, with the duplicate keys it had to rename.
///
/// Yams refuses a mapping with duplicate keys, and its error names only one key and no path. To report
/// every duplicate with its path along with every other problem, the earlier occurrence of a duplicated
/// key is renamed and the text composed again. Renaming replaces the key's first character with a
/// private-use marker, so every line and column Yams reports stays true to the original text.
struct YAMLDocument {
    /// The root node; nil for an empty document.
    var root: Node?
    /// Each marker that replaced the first character of a duplicate key, and that character.
    var renamedKeys: [Unicode.Scalar: Unicode.Scalar] = [:]

    /// The most duplicate keys renamed in one document; more are reported as one problem.
    static let maximumRenamedKeys = 256

    /// Composes `yaml`. Throws an error with the one problem that keeps it from being read: a syntax error, several
    /// documents, or duplicate keys that could not be renamed.
    init(yaml: String) throws(ConfigurationError) {
        var text = yaml
        while true {
            do {
                root = try Yams.compose(yaml: text)
                return
            } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
                let marker = Unicode.Scalar(0xF0000 + UInt32(renamedKeys.count))!
                guard renamedKeys.count < Self.maximumRenamedKeys,
                      let (renamed, original) = Self.replacingKeyCharacter(at: context.mark, in: text, with: marker)
                else {
                    let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                    throw ConfigurationError(problems: [
                        ConfigurationProblem(path: "", line: context.mark.line, column: context.mark.column,
                                             message: "duplicate key \(names)"),
                    ])
                }
                renamedKeys[marker] = original
                text = renamed
            } catch {
                throw ConfigurationError(problems: [Self.syntaxProblem(error, in: yaml)])
            }
        }
    }

    /// `text` with the first character of the key at `mark` (inside its quotes, if quoted) replaced by
    /// `marker`, and the character replaced; nil when the mark points at nothing that can be renamed.
    private static func replacingKeyCharacter(at mark: Mark, in text: String, with marker: Unicode.Scalar)
        -> (String, Unicode.Scalar)?
    {
        var scalars = text.unicodeScalars
        guard var index = TextPosition.index(of: mark, in: scalars) else { return nil }
        if scalars[index] == "\"" || scalars[index] == "'" {
            index = scalars.index(after: index)
        }
        guard index < scalars.endIndex else { return nil }
        let original = scalars[index]
        guard !["\"", "'", "\\", " ", "\t", "\n", "\r"].contains(original) else { return nil }
        scalars.replaceSubrange(index...index, with: [marker])
        return (String(scalars), original)
    }

    /// The problem for a Yams error other than duplicate keys, with the position Yams gives.
    private static func syntaxProblem(_ error: any Error, in yaml: String) -> ConfigurationProblem {
        switch error {
        case YamlError.scanner(let context, let problem, let mark, _),
             YamlError.parser(let context, let problem, let mark, _),
             YamlError.composer(let context, let problem, let mark, _):
            return ConfigurationProblem(path: "", line: mark.line, column: mark.column,
                                        message: "invalid YAML: " + syntaxMessage(problem, context))
        case YamlError.reader(let problem, let offset, _, _):
            let position = offset.flatMap { TextPosition.position(ofCharacterOffset: $0, in: yaml) }
            return ConfigurationProblem(path: "", line: position?.line, column: position?.column,
                                        message: "invalid YAML: \(problem)")
        default:
            return ConfigurationProblem(path: "", message: "invalid YAML: \(error)")
        }
    }

    /// libyaml's problem with its context: "did not find expected key (while parsing a block mapping at
    /// line 2, column 3)", or "expected a single document in the stream, but found another document".
    private static func syntaxMessage(_ problem: String, _ context: YamlError.Context?) -> String {
        guard let context else { return problem }
        if problem.hasPrefix("but ") { return "\(context.text), \(problem)" }
        return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
    }
}
