#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scores and weights as Redis reads them from arguments (`getDoubleFromObject`).
enum SortedSetScore {
    /// `strtod` over the whole argument: decimal or hex, `inf`/`infinity` with an optional
    /// sign. Refused (`nil`): empty input, a leading space, trailing or embedded bytes it does
    /// not read (a NUL included), NaN, overflow to infinity and underflow to zero (a denormal
    /// result is accepted).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard let first = bytes.first, isspace(Int32(first)) == 0 else { return nil }
        return withCString(bytes) { text in
            var end: UnsafeMutablePointer<CChar>? = nil
            errno = 0
            let value = strtod(text, &end)
            let failed = errno
            guard let end, end - text == bytes.count else { return nil }
            if failed == ERANGE && (value.isInfinite || value == 0) { return nil }
            return value.isNaN ? nil : value
        }
    }

    /// Calls `body` with `bytes` as a NUL-terminated C string (embedded NULs kept, so C
    /// functions stop at the first one, as they do on Redis's `sds` strings).
    static func withCString<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeMutablePointer<CChar>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            let text = buffer.baseAddress!
            if let source = bytes.baseAddress { UnsafeMutableRawPointer(text).copyMemory(from: source, byteCount: bytes.count) }
            text[bytes.count] = 0
            return body(text)
        }
    }
}
