import Yams

/// Typed views of a node for the readers, safe on any input (Yams's own `Node.int` can trap on a
/// sexagesimal integer that overflows).
extension Node {
    /// The tag YAML resolves this node to, such as `Tag.Name.int` for a plain `6380`.
    var tagName: Tag.Name {
        Tag.Name(rawValue: tag.rawValue)
    }

    /// Whether this is a null scalar: `~`, `null` or nothing at all.
    var isNull: Bool {
        scalar != nil && tagName == .null
    }

    /// Whether YAML resolves this scalar as an integer (written plainly, like `6380` or `0x10`).
    var isInteger: Bool {
        scalar != nil && tagName == .int
    }

    /// The integer of a plain integer scalar: decimal, or 0x/0o/0b with an optional sign and `_` separators;
    /// nil when it is not one, does not fit in an `Int`, or is sexagesimal (`1:30`).
    var integerValue: Int? {
        guard isInteger, let text = scalar?.string else { return nil }
        var digits = Substring(text.filter { $0 != "_" })
        let sign = digits.first == "-" || digits.first == "+" ? String(digits.removeFirst()) : ""
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
            return Int(sign + digits.dropFirst(prefix.count), radix: radix)
        }
        return Int(sign + digits, radix: 10)
    }

    /// The text of a scalar that is not null, whatever YAML resolves it as.
    var textValue: String? {
        isNull ? nil : scalar?.string
    }

    /// How a problem message shows this node after "got": `70000`, `'abc'`, `nothing`, `a list`, `a mapping`.
    var problemDescription: String {
        switch self {
        case .scalar(let scalar):
            if isNull { return "nothing" }
            let text = scalar.string.count > 60 ? "\(scalar.string.prefix(57))..." : scalar.string
            return tagName == .str ? "'\(text)'" : text
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }
}
