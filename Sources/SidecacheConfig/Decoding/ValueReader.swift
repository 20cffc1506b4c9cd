import Yams

/// How one kind of configuration value is read from its YAML node.
///
/// A reader either returns the value or records at least one problem and returns nil; it never throws,
/// so that decoding goes on and every problem in a document is reported.
struct ValueReader<Value> {
    /// Dotted paths of the keys below a value of this kind, relative to it; empty for a leaf value.
    var nestedKeyPaths: [String] = []
    /// Reads `node`, found at `path`.
    var read: (_ node: Node, _ path: String, _ context: inout DecodingContext) -> Value?
}

extension ValueReader {
    /// A leaf reader: `convert` returns the value, or nil and the problem "must be `expected`, got ...".
    static func expecting(_ expected: String, _ convert: @escaping (Node) -> Value?) -> Self {
        Self { node, path, context in
            if let value = convert(node) { return value }
            context.record("must be \(expected), got \(node.problemDescription)", at: path, node: node)
            return nil
        }
    }
}

extension ValueReader<Int> {
    /// A plain YAML integer within `range`.
    static func integer(in range: ClosedRange<Int>) -> Self {
        .expecting("an integer \(range.phrase { "\($0)" })") { node in
            node.integerValue.flatMap { range.contains($0) ? $0 : nil }
        }
    }

    /// A number of bytes of at least `minimum`: an integer, or text with a unit as `ConfigValueParser.memory` reads it.
    static func size(atLeast minimum: Int) -> Self {
        let range = minimum...Int.max
        let expected = "a size \(range.phrase(byteCountText)) (bytes, or a number with unit b, k, kb, m, mb, g, gb)"
        return .expecting(expected) { node in
            let bytes = node.isInteger ? node.integerValue : node.textValue.flatMap(ConfigValueParser.memory)
            return bytes.flatMap { range.contains($0) ? $0 : nil }
        }
    }

    /// A whole number of seconds within `range`: an integer, or text with a unit as `ConfigValueParser.duration` reads it.
    static func seconds(in range: ClosedRange<Int>) -> Self {
        let expected = "a duration of whole seconds \(range.phrase { "\($0)" }) (seconds, or a number with unit s, m, h, d)"
        return .expecting(expected) { node in
            let seconds: Int?
            if node.isInteger {
                seconds = node.integerValue
            } else {
                let duration = node.textValue.flatMap(ConfigValueParser.duration)
                seconds = duration.flatMap { $0.components.attoseconds == 0 ? Int($0.components.seconds) : nil }
            }
            return seconds.flatMap { range.contains($0) ? $0 : nil }
        }
    }
}

extension ValueReader<String?> {
    /// Any scalar, taken as the text written; null or empty text means nil.
    static var optionalText: Self {
        .expecting("a string") { node -> String?? in
            guard case .scalar(let scalar) = node else { return nil }
            return node.isNull || scalar.string.isEmpty ? .some(nil) : scalar.string
        }
    }
}

extension ValueReader where Value: CaseIterable & RawRepresentable<String> {
    /// One of the enumeration's raw values, case-insensitive.
    static var choice: Self {
        let names = Value.allCases.map(\.rawValue)
        return .expecting("one of \(names.joined(separator: ", "))") { node in
            node.textValue.flatMap { Value(rawValue: $0.lowercased()) }
        }
    }
}

extension ClosedRange<Int> {
    /// "between 0 and 65535", or "of at least 1" when there is no practical upper bound.
    func phrase(_ format: (Int) -> String) -> String {
        upperBound == Int.max ? "of at least \(format(lowerBound))" : "between \(format(lowerBound)) and \(format(upperBound))"
    }
}

/// 1048576 as "1mb", 1024 as "1kb", other counts in bytes.
private func byteCountText(_ bytes: Int) -> String {
    for (unit, size) in [("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10)] where bytes >= size && bytes % size == 0 {
        return "\(bytes / size)\(unit)"
    }
    return "\(bytes)"
}
