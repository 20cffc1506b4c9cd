import Yams

extension ValueReader<[UpstreamNodeConfiguration]> {
    /// A list of nodes, each `host:port`, `host:port:weight` or either with a name after a space.
    static var upstreamNodes: Self {
        Self { node, path, context in
            guard case .sequence(let list) = node else {
                context.record("must be a list of \"host:port\" strings, got \(node.problemDescription)", at: path, node: node)
                return nil
            }
            var nodes: [UpstreamNodeConfiguration] = []
            var valid = true
            for (index, element) in list.enumerated() {
                guard let text = element.textValue, let parsed = UpstreamNodeConfiguration(parsing: text) else {
                    let message = "must be \"host:port\", \"host:port:weight\" or either followed by a name, got \(element.problemDescription)"
                    context.record(message, at: path.appendingIndex(index), node: element)
                    valid = false
                    continue
                }
                nodes.append(parsed)
            }
            return valid ? nodes : nil
        }
    }
}

extension ValueReader<Int> {
    /// A duration in whole milliseconds within `range`: an integer (milliseconds), or text with a
    /// unit as `ConfigValueParser.duration` reads it ("500ms", "2s").
    static func milliseconds(in range: ClosedRange<Int>) -> Self {
        let expected = "a duration \(range.phrase { "\($0)ms" }) (milliseconds, or a number with unit us, ms, s, m, h)"
        return .expecting(expected) { node in
            let milliseconds: Int?
            if node.isInteger {
                milliseconds = node.integerValue
            } else {
                let duration = node.textValue.flatMap(ConfigValueParser.duration)
                milliseconds = duration.flatMap { duration -> Int? in
                    let (seconds, attoseconds) = duration.components
                    guard attoseconds % 1_000_000_000_000_000 == 0, seconds < Int64(Int.max / 1000) else { return nil }
                    return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
                }
            }
            return milliseconds.flatMap { range.contains($0) ? $0 : nil }
        }
    }
}

extension ValueReader<String?> {
    /// twemproxy's `hash_tag`: exactly two characters (the opening and closing marks), or empty
    /// for none.
    static var hashTag: Self {
        .expecting("two characters such as \"{}\", or empty for none") { node -> String?? in
            guard case .scalar(let scalar) = node else { return nil }
            if node.isNull || scalar.string.isEmpty { return .some(nil) }
            guard scalar.string.utf8.count == 2 else { return .none }
            return .some(scalar.string)
        }
    }
}

extension ValueReader<Bool> {
    /// yes/true/on or no/false/off.
    static var boolean: Self {
        .expecting("yes or no") { node in node.textValue.flatMap(ConfigValueParser.bool) }
    }
}
