public import SidecacheRESP

/// How the two replies to one step are compared.
///
/// Everything is `.exact` unless the reply is inherently non-deterministic between two correct
/// servers; each other case names the reason it exists. Error replies are compared by their
/// full text under every comparison.
public indirect enum ReplyComparison: Sendable, Hashable {
    /// Same RESP types all the way down, same bytes.
    case exact
    /// Integers within `tolerance` of each other when both are >= 0 (remaining time to live
    /// and absolute expiry times: each server computes them from its own clock, and the two
    /// servers receive the command a few milliseconds apart); negative integers (-1 no TTL,
    /// -2 no key) and every other reply exactly.
    case approximately(tolerance: Int64)
    /// Aggregates compared as sets: elements sorted and duplicates dropped (KEYS and a whole
    /// SCAN iteration: the order depends on each server's hash seed, and SCAN may return an
    /// element twice).
    case unordered
    /// Only the kind of reply: same RESP type (integer, bulk string, null, array...), whatever
    /// the content; errors still by their full text (OBJECT IDLETIME and FREQ, MEMORY USAGE,
    /// DUMP payloads, a SCAN page inside EXEC).
    case shape
    /// An EXEC reply: element `i` compared with the comparison of the `i`-th queued command;
    /// anything else (nil, EXECABORT, a count that differs) exactly. Built by the runner, which
    /// knows which commands were queued.
    case transaction([ReplyComparison])

    /// Whether `first` and `second` count as the same reply.
    public func matches(_ first: RESPValue, _ second: RESPValue) -> Bool {
        if first.isError || second.isError { return first.isIdentical(to: second) }
        switch self {
        case .exact:
            return first.isIdentical(to: second)
        case .approximately(let tolerance):
            if case .integer(let a) = first, case .integer(let b) = second, a >= 0, b >= 0 {
                return a >= b ? a - b <= tolerance : b - a <= tolerance
            }
            return first.isIdentical(to: second)
        case .unordered:
            guard let a = Self.sortedDistinct(first), let b = Self.sortedDistinct(second) else {
                return first.isIdentical(to: second)
            }
            return Self.sameAggregateKind(first, second) && a == b
        case .shape:
            return Self.kind(first) == Self.kind(second)
        case .transaction(let comparisons):
            guard case .array(.some(let a)) = first, case .array(.some(let b)) = second,
                a.count == comparisons.count, b.count == comparisons.count
            else { return first.isIdentical(to: second) }
            return zip(comparisons, zip(a, b)).allSatisfy { comparison, pair in comparison.matches(pair.0, pair.1) }
        }
    }

    /// A short name for reports.
    public var label: String {
        switch self {
        case .exact: "exact"
        case .approximately(let tolerance): "integers within \(tolerance)"
        case .unordered: "as a set"
        case .shape: "type only"
        case .transaction: "EXEC, element by element"
        }
    }

    private static func sortedDistinct(_ value: RESPValue) -> [[UInt8]]? {
        switch value {
        case .array(.some(let elements)), .set(let elements):
            return Set(elements.map(\.canonicalBytes)).sorted { $0.lexicographicallyPrecedes($1) }
        default:
            return nil
        }
    }

    private static func sameAggregateKind(_ first: RESPValue, _ second: RESPValue) -> Bool {
        kind(first) == kind(second)
    }

    /// The RESP type of a value, with RESP2's null bulk string and null array kept apart from
    /// their non-null forms.
    private static func kind(_ value: RESPValue) -> String {
        switch value {
        case .simpleString: "simple string"
        case .simpleError: "simple error"
        case .integer: "integer"
        case .bulkString(.some): "bulk string"
        case .bulkString(.none): "null bulk string"
        case .array(.some): "array"
        case .array(.none): "null array"
        case .null: "null"
        case .double: "double"
        case .boolean: "boolean"
        case .bigNumber: "big number"
        case .blobError: "blob error"
        case .verbatimString: "verbatim string"
        case .map: "map"
        case .set: "set"
        case .attribute: "attribute"
        case .push: "push"
        }
    }
}
