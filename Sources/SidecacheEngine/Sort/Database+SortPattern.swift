extension Database {
    /// Redis's `lookupKeyByPattern`: the value SORT's BY or GET `pattern` names for `element`.
    /// `#` is the element itself; otherwise the first `*` is replaced by the element and the
    /// key read (counting a hit or miss); `key->field` (a non-empty field after the `*`) reads
    /// a hash field. `nil` when the pattern has no `*`, the key is missing, or it holds the
    /// wrong type (a string for a plain pattern, a hash for `->`).
    func sortPatternValue(_ pattern: [UInt8], for element: [UInt8]) -> [UInt8]? {
        // Redis reads the pattern as a C string: it ends at the first NUL byte.
        let pattern = pattern.prefix { $0 != 0 }
        if pattern.elementsEqual([UInt8(ascii: "#")]) { return element }
        guard let star = pattern.firstIndex(of: UInt8(ascii: "*")) else { return nil }
        var keyEnd = pattern.endIndex
        var field: ArraySlice<UInt8>?
        if let arrow = Self.firstArrow(in: pattern[(star + 1)...]), arrow + 2 < pattern.endIndex {
            keyEnd = arrow
            field = pattern[(arrow + 2)...]
        }
        // The element goes in whole, NUL bytes included (Redis copies its `sds` length).
        let key = Array(pattern[..<star]) + element + Array(pattern[(star + 1)..<keyEnd])
        guard let entry = key.withUnsafeBytes({ lookupRead($0) }) else { return nil }
        if let field {
            guard let hash = entry.value.hash else { return nil }
            return Array(field).withUnsafeBytes { field in hash.withValue(of: field) { $0.map { Array($0) } } }
        }
        guard entry.value.isString else { return nil }
        return entry.stringBytes
    }

    private static func firstArrow(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "-") && bytes[index + 1] == UInt8(ascii: ">") { return index }
            index += 1
        }
        return nil
    }
}
