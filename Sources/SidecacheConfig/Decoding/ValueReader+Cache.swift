import Yams

extension ValueReader<[CacheRuleConfiguration]> {
    /// A list of rule mappings, each read as a section; a rule without `match` is a problem.
    static var cacheRules: Self {
        let rule = ValueReader<CacheRuleConfiguration>.section
        return Self(nestedKeyPaths: rule.nestedKeyPaths) { node, path, context in
            if node.isNull { return [] }
            guard case .sequence(let list) = node else {
                context.record("must be a list of rules (mappings with match, mode, ttl, ...), got \(node.problemDescription)", at: path, node: node)
                return nil
            }
            var rules: [CacheRuleConfiguration] = []
            var valid = true
            for (index, element) in list.enumerated() {
                let elementPath = path.appendingIndex(index)
                guard let decoded = rule.read(element, elementPath, &context) else {
                    valid = false
                    continue
                }
                if decoded.match.isEmpty {
                    context.record("a rule needs match: a key prefix or glob such as \"user:*\"", at: elementPath, node: element)
                    valid = false
                }
                rules.append(decoded)
            }
            return valid ? rules : nil
        }
    }
}

extension ValueReader<String> {
    /// Any non-empty scalar, taken as the text written.
    static var requiredText: Self {
        .expecting("a non-empty string") { node in
            guard let text = node.textValue, !text.isEmpty else { return nil }
            return text
        }
    }
}

extension ValueReader<Double> {
    /// A number from 0 to 1.
    static var fraction: Self {
        .expecting("a fraction between 0 and 1") { node in
            node.textValue.flatMap(Double.init).flatMap { $0 >= 0 && $0 <= 1 ? $0 : nil }
        }
    }

    /// A number strictly between 0 and 1 (a probability that is neither impossible nor certain).
    static var openFraction: Self {
        .expecting("a number between 0 and 1, exclusive") { node in
            node.textValue.flatMap(Double.init).flatMap { $0 > 0 && $0 < 1 ? $0 : nil }
        }
    }
}

extension ValueReader<CacheBloomConfiguration?> {
    /// `off` (or no, false, nothing) for none, or a mapping of the filter's settings.
    static var bloom: Self {
        let section = ValueReader<CacheBloomConfiguration>.section
        return Self(nestedKeyPaths: section.nestedKeyPaths) { node, path, context -> CacheBloomConfiguration?? in
            if node.isNull || node.textValue.flatMap(ConfigValueParser.bool) == false { return .some(nil) }
            guard node.mapping != nil else {
                context.record("must be off or a mapping such as { capacity: 1000000, error_rate: 0.01 }, got \(node.problemDescription)", at: path, node: node)
                return nil
            }
            return section.read(node, path, &context).map { .some($0) }
        }
    }
}

extension ValueReader<[String]?> {
    /// A list of command names (lower-cased); nothing for the default.
    static var commandNames: Self {
        Self { node, path, context -> [String]?? in
            if node.isNull { return .some(nil) }
            guard case .sequence(let list) = node else {
                context.record("must be a list of command names such as [get, mget, hgetall], got \(node.problemDescription)", at: path, node: node)
                return nil
            }
            var names: [String] = []
            for (index, element) in list.enumerated() {
                guard let text = element.textValue, !text.isEmpty, !text.contains(" ") else {
                    context.record("must be a command name, got \(element.problemDescription)", at: path.appendingIndex(index), node: element)
                    return nil
                }
                names.append(text.lowercased())
            }
            return .some(names)
        }
    }
}
