import Yams

/// One key of a configuration section: its YAML name, the property it sets and how its value is read.
struct ConfigurationKey<Section> {
    let name: String
    /// Dotted paths of this key and of the keys below it: ["port"], or ["server.bind", "server.port", ...].
    let keyPaths: [String]
    /// Reads `node` (the key's value, found at `path`) into `section`, or records why it cannot.
    let decode: (_ section: inout Section, _ node: Node, _ path: String, _ context: inout DecodingContext) -> Void
    /// The dotted paths, below this key, whose values differ between two sections: ["port"], or
    /// ["server.hz"] for a section key; empty when equal.
    let changes: (_ old: Section, _ new: Section) -> [String]

    init<Value: Equatable>(_ name: String, _ property: WritableKeyPath<Section, Value>, _ reader: ValueReader<Value>) {
        self.name = name
        keyPaths = reader.nestedKeyPaths.isEmpty ? [name] : reader.nestedKeyPaths.map { "\(name).\($0)" }
        decode = { section, node, path, context in
            if let value = reader.read(node, path, &context) {
                section[keyPath: property] = value
            }
        }
        changes = { old, new in old[keyPath: property] == new[keyPath: property] ? [] : [name] }
    }

    /// A key whose value is a section: changes are reported key by key inside it.
    init<Value: ConfigurationSection & Equatable>(
        _ name: String, _ property: WritableKeyPath<Section, Value>, _ reader: ValueReader<Value>
    ) {
        self.name = name
        keyPaths = reader.nestedKeyPaths.map { "\(name).\($0)" }
        decode = { section, node, path, context in
            if let value = reader.read(node, path, &context) {
                section[keyPath: property] = value
            }
        }
        changes = { old, new in
            let (old, new) = (old[keyPath: property], new[keyPath: property])
            guard old != new else { return [] }
            return Value.configurationKeys.flatMap { $0.changes(old, new) }.map { "\(name).\($0)" }
        }
    }
}
