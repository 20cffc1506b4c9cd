#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Redis's order of sorted-set members: by score, then by member bytes as `sdscmp` compares
/// them (`memcmp` over the common length, then the shorter first).
enum SortedSetOrder {
    /// Negative, zero or positive as `a` sorts before, equal to or after `b` (`sdscmp`).
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let result = memcmp(a.baseAddress!, b.baseAddress!, common)
            if result != 0 { return Int(result) }
        }
        return a.count - b.count
    }

    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Whether `(scoreA, memberA)` sorts before `(scoreB, memberB)`.
    @inline(__always)
    static func precedes(
        _ scoreA: Double, _ memberA: UnsafeRawBufferPointer,
        _ scoreB: Double, _ memberB: UnsafeRawBufferPointer
    ) -> Bool {
        scoreA < scoreB || (scoreA == scoreB && compare(memberA, memberB) < 0)
    }
}
