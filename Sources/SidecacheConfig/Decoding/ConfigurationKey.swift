import Yams

/// One key of a configuration section: its YAML name, the property it sets and how its value is read.
struct ConfigurationKey<Section> {
    let name: String
    /// Dotted paths of this key and of the keys below it: ["port"], or ["server.bind", "server.port", ...].
    let keyPaths: [String]
    /// Reads `node` (the key's value, found at `path`) into `section`, or records why it cannot.
    let decode: (_ section: inout Section, _ node: Node, _ path: String, _ context: inout DecodingContext) -> Void

    init<Value>(_ name: String, _ property: WritableKeyPath<Section, Value>, _ reader: ValueReader<Value>) {
        self.name = name
        keyPaths = reader.nestedKeyPaths.isEmpty ? [name] : reader.nestedKeyPaths.map { "\(name).\($0)" }
        decode = { section, node, path, context in
            if let value = reader.read(node, path, &context) {
                section[keyPath: property] = value
            }
        }
    }
}
