import Yams

/// One key and its value in a mapping, as the section reader sees it, with the names of duplicate keys
/// that `YAMLDocument` renamed restored.
struct MappingEntry {
    /// The key's name; nil when the key is not a scalar.
    var name: String?
    var key: Node
    var value: Node
    /// The first key of the same name in the mapping, when this entry repeats it.
    var firstKey: Node?

    /// The entries of `mapping` in document order, every occurrence of a duplicate key included.
    static func entries(of mapping: Node.Mapping, renamedKeys: [Unicode.Scalar: Unicode.Scalar]) -> [MappingEntry] {
        var firstKeys: [String: Node] = [:]
        return mapping.map { key, value in
            guard case .scalar(let scalar) = key else {
                return MappingEntry(name: nil, key: key, value: value)
            }
            var name = scalar.string.unicodeScalars
            if let first = name.first, let original = renamedKeys[first] {
                name.replaceSubrange(name.startIndex...name.startIndex, with: [original])
            }
            let text = String(name)
            let firstKey = firstKeys[text]
            if firstKey == nil { firstKeys[text] = key }
            return MappingEntry(name: text, key: key, value: value, firstKey: firstKey)
        }
    }
}
