import Yams

/// A configuration type read from one YAML mapping: `init()` gives its defaults, `configurationKeys`
/// lists the keys a document may set. Adding a key is adding one line to that list.
protocol ConfigurationSection {
    init()
    static var configurationKeys: [ConfigurationKey<Self>] { get }
}

extension ValueReader where Value: ConfigurationSection {
    /// A mapping of the section's keys, each optional; null (a section with every key commented out) gives
    /// the defaults. Unknown and duplicate keys are problems; every occurrence of a duplicate is still
    /// checked, and the last one wins.
    static var section: Self {
        let keys = Value.configurationKeys
        let names = keys.map(\.name)
        return Self(nestedKeyPaths: keys.flatMap(\.keyPaths)) { node, path, context in
            if node.isNull { return Value() }
            guard let mapping = node.mapping else {
                let message = "must be a mapping with keys \(names.joined(separator: ", ")), got \(node.problemDescription)"
                context.record(message, at: path, node: node)
                return nil
            }
            var section = Value()
            for entry in MappingEntry.entries(of: mapping, renamedKeys: context.renamedKeys) {
                guard let name = entry.name else {
                    context.record("keys must be names, got \(entry.key.problemDescription)", at: path, node: entry.key)
                    continue
                }
                let keyPath = path.appendingKey(name)
                if let first = entry.firstKey?.mark {
                    let message = "duplicate key '\(name)'; first set at line \(first.line), column \(first.column)"
                    context.record(message, at: keyPath, node: entry.key)
                }
                guard let key = keys.first(where: { $0.name == name }) else {
                    let message = KeySuggestion.unknownKeyMessage(name, at: path, siblings: names, knownKeyPaths: context.knownKeyPaths)
                    context.record(message, at: keyPath, node: entry.key)
                    continue
                }
                key.decode(&section, entry.value, keyPath, &context)
            }
            return section
        }
    }
}
