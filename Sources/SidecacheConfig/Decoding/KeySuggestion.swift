/// Suggestions for unknown keys: "unknown key 'prot'; did you mean 'port'?".
enum KeySuggestion {
    /// "unknown key 'prot'; did you mean 'port'?", or only "unknown key 'prot'" when nothing is close.
    static func unknownKeyMessage(_ name: String, at path: String, siblings: [String], knownKeyPaths: [String]) -> String {
        let suggestion = suggest(for: name, at: path, siblings: siblings, knownKeyPaths: knownKeyPaths)
        return "unknown key '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    }

    /// The key the user most likely meant by the unknown `name` in the mapping at `path`: the nearest of
    /// `siblings` by edit distance when it is close, else a known key of that name in another section
    /// ("port" at the top level suggests "server.port"); nil when nothing is close.
    private static func suggest(for name: String, at path: String, siblings: [String], knownKeyPaths: [String]) -> String? {
        let wanted = normalized(name)
        let nearSibling = siblings
            .map { (key: $0, distance: editDistance(wanted, normalized($0))) }
            .filter { $0.distance <= max(1, min(3, $0.key.count / 3)) }
            .min { $0.distance < $1.distance }
        if let nearSibling { return nearSibling.key }
        return knownKeyPaths.first { knownPath in
            knownPath != path.appendingKey(name) && normalized(String(knownPath.split(separator: ".").last ?? "")) == wanted
        }
    }

    /// Compares names the way people mistype them: case and Redis-style dashes ("proto-max-bulk-len") do not count.
    private static func normalized(_ name: String) -> [Character] {
        name.lowercased().map { $0 == "-" ? "_" : $0 }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1.
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previousRow: [Int] = []
        var row = Array(0...b.count)
        for i in 1...a.count {
            let rowBeforePrevious = previousRow
            previousRow = row
            row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], rowBeforePrevious[j - 2] + 1)
                }
            }
        }
        return row[b.count]
    }
}
