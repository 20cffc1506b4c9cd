/// A range of members by their bytes, each end inclusive or exclusive or unbounded
/// (Redis's `zlexrangespec`, with `shared.minstring`/`maxstring` as `.minimum`/`.maximum`).
struct LexRange {
    enum Bound {
        /// `-`: before every member.
        case minimum
        /// `+`: after every member.
        case maximum
        case member([UInt8])
    }

    var min: Bound
    var max: Bound
    var minExclusive: Bool
    var maxExclusive: Bool

    /// Redis's `zslParseLexRange`: each end is `(member` (exclusive), `[member` (inclusive),
    /// or exactly `-` or `+` (read as C strings: bytes after a NUL do not count). `nil` means
    /// "ERR min or max not valid string range item".
    init?(min: UnsafeRawBufferPointer, max: UnsafeRawBufferPointer) {
        guard let low = Self.parseEnd(min), let high = Self.parseEnd(max) else { return nil }
        (self.min, minExclusive) = low
        (self.max, maxExclusive) = high
    }

    private static func parseEnd(_ bytes: UnsafeRawBufferPointer) -> (Bound, Bool)? {
        guard let first = bytes.first else { return nil }
        let alone = bytes.count == 1 || bytes[1] == 0
        switch first {
        case UInt8(ascii: "+"): return alone ? (.maximum, true) : nil
        case UInt8(ascii: "-"): return alone ? (.minimum, true) : nil
        case UInt8(ascii: "("): return (.member(Array(bytes[1...])), true)
        case UInt8(ascii: "["): return (.member(Array(bytes[1...])), false)
        default: return nil
        }
    }

    /// `sdscmplex(member, bound)`: negative, zero or positive.
    @inline(__always)
    static func compare(_ member: UnsafeRawBufferPointer, _ bound: Bound) -> Int {
        switch bound {
        case .minimum: 1
        case .maximum: -1
        case .member(let bytes): bytes.withUnsafeBytes { SortedSetOrder.compare(member, $0) }
        }
    }

    /// `sdscmplex(min, max)`.
    private static func compare(_ a: Bound, _ b: Bound) -> Int {
        switch (a, b) {
        case (.minimum, .minimum), (.maximum, .maximum): 0
        case (.minimum, _), (_, .maximum): -1
        case (.maximum, _), (_, .minimum): 1
        case (.member(let x), .member(let y)): x.withUnsafeBytes { x in y.withUnsafeBytes { SortedSetOrder.compare(x, $0) } }
        }
    }

    /// Whether no member can be in the range.
    var isEmpty: Bool {
        let order = Self.compare(min, max)
        return order > 0 || (order == 0 && (minExclusive || maxExclusive))
    }

    /// `zslLexValueGteMin`
    @inline(__always)
    func isAboveMin(_ member: UnsafeRawBufferPointer) -> Bool {
        let order = Self.compare(member, min)
        return minExclusive ? order > 0 : order >= 0
    }

    /// `zslLexValueLteMax`
    @inline(__always)
    func isBelowMax(_ member: UnsafeRawBufferPointer) -> Bool {
        let order = Self.compare(member, max)
        return maxExclusive ? order < 0 : order <= 0
    }
}
