/// Redis's `stringmatchlen`: glob matching on bytes, used by KEYS, SCAN MATCH, PSUBSCRIBE
/// and CONFIG GET. `*` and `?`, classes `[abc]`, ranges `[a-z]`, negation `[^a]`, and `\`
/// escapes; `nocase` folds ASCII case. Runs of `*` collapse, and a failed `*` stops the whole
/// match early (Redis's `skipLongerMatches`), so patterns cannot take exponential time.
public enum GlobMatcher {
    public static func matches(
        pattern: UnsafeRawBufferPointer,
        _ string: UnsafeRawBufferPointer,
        nocase: Bool = false
    ) -> Bool {
        var skipLongerMatches = false
        return match(pattern[...], string[...], nocase: nocase, skipLongerMatches: &skipLongerMatches, nesting: 0)
    }

    public static func matches(pattern: String, _ string: String, nocase: Bool = false) -> Bool {
        Array(pattern.utf8).withUnsafeBytes { p in
            Array(string.utf8).withUnsafeBytes { s in matches(pattern: p, s, nocase: nocase) }
        }
    }

    @inline(__always)
    private static func fold(_ byte: UInt8, _ nocase: Bool) -> UInt8 {
        nocase && byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    private static func match(
        _ pattern: Slice<UnsafeRawBufferPointer>,
        _ string: Slice<UnsafeRawBufferPointer>,
        nocase: Bool,
        skipLongerMatches: inout Bool,
        nesting: Int
    ) -> Bool {
        // Redis caps recursion at 1000 levels: deeper patterns simply do not match.
        if nesting > 1000 { return false }
        var p = pattern.startIndex
        var s = string.startIndex
        let pEnd = pattern.endIndex
        let sEnd = string.endIndex
        while p < pEnd && s < sEnd {
            switch pattern[p] {
            case UInt8(ascii: "*"):
                while p + 1 < pEnd && pattern[p + 1] == UInt8(ascii: "*") { p += 1 }
                if p + 1 == pEnd { return true }
                while s < sEnd {
                    if match(
                        pattern[(p + 1)...], string[s...], nocase: nocase,
                        skipLongerMatches: &skipLongerMatches, nesting: nesting + 1
                    ) { return true }
                    if skipLongerMatches { return false }
                    s += 1
                }
                skipLongerMatches = true
                return false
            case UInt8(ascii: "?"):
                s += 1
            case UInt8(ascii: "["):
                p += 1
                let negate = p < pEnd && pattern[p] == UInt8(ascii: "^")
                if negate { p += 1 }
                var matched = false
                while true {
                    if p < pEnd && pattern[p] == UInt8(ascii: "\\") && p + 1 < pEnd {
                        p += 1
                        if fold(pattern[p], nocase) == fold(string[s], nocase) { matched = true }
                    } else if p < pEnd && pattern[p] == UInt8(ascii: "]") {
                        break
                    } else if p >= pEnd {
                        p -= 1
                        break
                    } else if p + 2 < pEnd && pattern[p + 1] == UInt8(ascii: "-") {
                        var start = fold(pattern[p], nocase)
                        var end = fold(pattern[p + 2], nocase)
                        let c = fold(string[s], nocase)
                        if start > end { swap(&start, &end) }
                        p += 2
                        if c >= start && c <= end { matched = true }
                    } else if fold(pattern[p], nocase) == fold(string[s], nocase) {
                        matched = true
                    }
                    p += 1
                }
                if negate { matched.toggle() }
                if !matched { return false }
                s += 1
            case UInt8(ascii: "\\"):
                if p + 1 < pEnd { p += 1 }
                fallthrough
            default:
                if fold(pattern[p], nocase) != fold(string[s], nocase) { return false }
                s += 1
            }
            p += 1
            if s == sEnd {
                while p < pEnd && pattern[p] == UInt8(ascii: "*") { p += 1 }
                break
            }
        }
        return p == pEnd && s == sEnd
    }
}
