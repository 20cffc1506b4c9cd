/// The registry of command families. A new family is one file plus one line in `all` (and in
/// `defaultNames` once Sidecache implements its commands).
public enum DifftestFamilies {
    /// Every family, in the canonical order: a selection is always used in this order, so that
    /// `--families keys,strings` and `--families strings,keys` generate the same sequences.
    public static let all: [any DifftestFamily] = [
        StringFamily(), KeyFamily(), ExpiryFamily(), TransactionFamily(), ConnectionFamily(), TypeClashFamily(),
        HyperLogLogFamily(), HashFamily(), SetFamily(), ListFamily(), SortedSetFamily(),
    ]

    /// The families run when none are named: the engine's string, key, expiry and transaction
    /// commands, SELECT, and the data types.
    public static let defaultNames = [
        "strings", "keys", "expiry", "transactions", "connection", "hll", "hashes", "sets", "lists", "zsets",
    ]

    /// The families called `names` in canonical order; throws `DifftestError.setup` naming
    /// the unknown ones.
    public static func named(_ names: [String]) throws(DifftestError) -> [any DifftestFamily] {
        let wanted = Set(names.map { $0.lowercased() })
        let unknown = wanted.subtracting(all.map(\.name))
        guard unknown.isEmpty else {
            throw .setup(
                "unknown families: \(unknown.sorted().joined(separator: ", ")) (known: \(all.map(\.name).joined(separator: ", ")))")
        }
        guard !wanted.isEmpty else { throw .setup("no families selected") }
        return all.filter { wanted.contains($0.name) }
    }
}
