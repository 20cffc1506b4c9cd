/// How a `ShardRing` turns a key's hash into a node, as twemproxy's `distribution:` does.
/// The raw values are twemproxy's configuration names.
public enum ShardDistribution: String, CaseIterable, Sendable {
    /// Consistent hashing (nc_ketama.c): 160 points per live node, scaled by weight, at the
    /// MD5 words of `"<name>-<i>"`; a key goes to the first point at or after its hash.
    /// Removing a node moves only that node's keys.
    case ketama
    /// `hash % total weight` over the live nodes, each repeated `weight` times in order
    /// (nc_modula.c). Removing a node moves most keys.
    case modula
    /// A live node picked at random for every request, weights ignored (nc_random.c). Which
    /// node holds a key cannot be reproduced, by twemproxy or by anyone: only for data that
    /// every node may answer (a read-only replicated set) or that no one reads back by key.
    case random

    /// twemproxy's default when a pool names no `distribution:`.
    public static let `default` = ShardDistribution.ketama

    /// The name twemproxy's configuration uses for this distribution.
    public var name: String { rawValue }
}
