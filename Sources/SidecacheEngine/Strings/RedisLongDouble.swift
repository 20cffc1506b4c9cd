#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Redis's `long double` numbers, as INCRBYFLOAT and HINCRBYFLOAT use them: `string2ld` to
/// read and `ld2string` in `LD_STR_HUMAN` mode to write (`util.c`).
///
/// On x86_64 Linux, where redis-server 7.0 runs with the x87 80-bit `long double`, `Value`
/// is `Float80` and the C library does the reading (`strtold`) and writing (`%.17Lf`), so the
/// results are redis-server's bit for bit. Elsewhere Swift has no `long double` type and
/// `Value` is `Double`: results may differ from Redis in the last digits and in range.
package enum RedisLongDouble {
    #if (arch(x86_64) || arch(i386)) && !os(Windows) && !os(Android)
    package typealias Value = Float80
    #else
    package typealias Value = Double
    #endif

    /// `MAX_LONG_DOUBLE_CHARS`: Redis refuses to read a number this long or longer.
    package static let maxLength = 5 * 1024

    /// `string2ld`: the whole of `bytes` must be a number `strtold` reads (decimal or hex,
    /// `inf`/`infinity`, optional sign), with no leading space and no trailing byte. Refused:
    /// empty or too long input, NaN, overflow to infinity, underflow to zero (a denormal
    /// result is accepted). `inf` itself is accepted; INCRBYFLOAT refuses it afterwards.
    package static func parse(_ bytes: UnsafeRawBufferPointer) -> Value? {
        let length = bytes.count
        guard length > 0, length < maxLength else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Value? in
            let text = buffer.baseAddress!
            UnsafeMutableRawPointer(text).copyMemory(from: bytes.baseAddress!, byteCount: length)
            text[length] = 0
            if isspace(Int32(UInt8(bitPattern: text[0]))) != 0 { return nil }
            var end: UnsafeMutablePointer<CChar>? = nil
            errno = 0
            let value = convert(text, &end)
            let failed = errno
            guard let end, end - text == length else { return nil }
            if failed == ERANGE && (value.isInfinite || value == 0) { return nil }
            if failed == EINVAL || value.isNaN { return nil }
            return value
        }
    }

    package static func parse(_ bytes: [UInt8]) -> Value? {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, then trailing zeros after the point removed,
    /// then the point if nothing follows it; `-0` is written `0`, infinities `inf`/`-inf`.
    /// So 3200 is `3200` and 10.6 is `10.6`; very large values print all their digits.
    package static func format(_ value: Value) -> [UInt8] {
        if value.isInfinite { return value > 0 ? Array("inf".utf8) : Array("-inf".utf8) }
        var text = printFixed(value)
        if text.contains(UInt8(ascii: ".")) {
            while text.last == UInt8(ascii: "0") { text.removeLast() }
            if text.last == UInt8(ascii: ".") { text.removeLast() }
        }
        if text == [UInt8(ascii: "-"), UInt8(ascii: "0")] { text = [UInt8(ascii: "0")] }
        return text
    }

    /// INCRBYFLOAT: `current` (the key's value; `nil` when the key is missing, read as 0)
    /// plus `increment`, formatted as the new value to store and reply with.
    /// Errors: either number unreadable (`notAFloat`), or a NaN or infinite sum.
    package static func incrementByFloat(
        _ current: UnsafeRawBufferPointer?,
        by increment: UnsafeRawBufferPointer
    ) throws(StringCommandError) -> [UInt8] {
        var value: Value = 0
        if let current {
            guard let parsed = parse(current) else { throw .notAFloat }
            value = parsed
        }
        guard let delta = parse(increment) else { throw .notAFloat }
        let sum = value + delta
        if sum.isNaN || sum.isInfinite { throw .floatResultNotFinite }
        return format(sum)
    }

    package static func incrementByFloat(_ current: [UInt8]?, by increment: [UInt8]) throws(StringCommandError) -> [UInt8] {
        let result = increment.withUnsafeBytes { delta in
            guard let current else {
                return Result { () throws(StringCommandError) in try incrementByFloat(nil, by: delta) }
            }
            return current.withUnsafeBytes { value in
                Result { () throws(StringCommandError) in try incrementByFloat(value, by: delta) }
            }
        }
        return try result.get()
    }

    // MARK: C library

    #if (arch(x86_64) || arch(i386)) && !os(Windows) && !os(Android)
    private static func convert(_ text: UnsafePointer<CChar>, _ end: inout UnsafeMutablePointer<CChar>?) -> Value {
        strtold(text, &end)
    }

    private static let fixedFormat = "%.17Lf"
    #else
    private static func convert(_ text: UnsafePointer<CChar>, _ end: inout UnsafeMutablePointer<CChar>?) -> Value {
        strtod(text, &end)
    }

    private static let fixedFormat = "%.17f"
    #endif

    /// `snprintf(buf, len, "%.17Lf", value)` into a buffer as long as the text needs (up to
    /// about 4950 bytes for the largest `long double`).
    private static func printFixed(_ value: Value) -> [UInt8] {
        let small = 64
        let (length, text) = withUnsafeTemporaryAllocation(of: CChar.self, capacity: small) { buffer in
            let length = withVaList([value]) { vsnprintf(buffer.baseAddress, small, fixedFormat, $0) }
            return (Int(length), length < small ? Array(UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(length))) : [])
        }
        if length < small { return text }
        return [UInt8](unsafeUninitializedCapacity: length + 1) { buffer, initialized in
            let written = withVaList([value]) { arguments in
                buffer.withMemoryRebound(to: CChar.self) { vsnprintf($0.baseAddress, length + 1, fixedFormat, arguments) }
            }
            initialized = Int(written)
        }
    }
}
