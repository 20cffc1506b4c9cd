extension ValueReader<String> {
    /// The letters Redis's `notify-keyspace-events` accepts.
    static let keyspaceEventLetters = "Ag$lshzxeKEtmdn"

    /// Keyspace notification classes: text made of `keyspaceEventLetters` (empty for none),
    /// kept as written; the engine reads the letters as Redis does.
    static var keyspaceEventClasses: Self {
        .expecting("letters from \(keyspaceEventLetters) (empty for none)") { node in
            node.textValue.flatMap { text in text.allSatisfy(keyspaceEventLetters.contains) ? text : nil }
        }
    }
}
