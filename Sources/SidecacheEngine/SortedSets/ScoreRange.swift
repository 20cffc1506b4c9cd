#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A range of scores, each end inclusive or exclusive (Redis's `zrangespec`).
struct ScoreRange {
    var min: Double
    var max: Double
    var minExclusive = false
    var maxExclusive = false

    /// Redis's `zslParseRange`: each end is a number `strtod` reads up to the end of the
    /// argument as a C string (so a leading space, an empty argument, `1e999` and text after
    /// a NUL byte are all accepted), `(` in front making it exclusive; NaN is refused.
    /// `nil` means "ERR min or max is not a float".
    init?(min: UnsafeRawBufferPointer, max: UnsafeRawBufferPointer) {
        guard let low = Self.parseEnd(min), let high = Self.parseEnd(max) else { return nil }
        (self.min, minExclusive) = low
        (self.max, maxExclusive) = high
    }

    init(min: Double, max: Double, minExclusive: Bool = false, maxExclusive: Bool = false) {
        self.min = min
        self.max = max
        self.minExclusive = minExclusive
        self.maxExclusive = maxExclusive
    }

    private static func parseEnd(_ bytes: UnsafeRawBufferPointer) -> (Double, Bool)? {
        SortedSetScore.withCString(bytes) { text in
            let exclusive = text[0] == CChar(UInt8(ascii: "("))
            let start = exclusive ? text + 1 : text
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(start, &end)
            guard let end, end[0] == 0, !value.isNaN else { return nil }
            return (value, exclusive)
        }
    }

    /// Whether no score can be in the range.
    var isEmpty: Bool { min > max || (min == max && (minExclusive || maxExclusive)) }

    /// `zslValueGteMin`
    @inline(__always)
    func isAboveMin(_ score: Double) -> Bool { minExclusive ? score > min : score >= min }

    /// `zslValueLteMax`
    @inline(__always)
    func isBelowMax(_ score: Double) -> Bool { maxExclusive ? score < max : score <= max }

    @inline(__always)
    func contains(_ score: Double) -> Bool { isAboveMin(score) && isBelowMax(score) }
}
