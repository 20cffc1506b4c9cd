import SidecacheRESP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Number ⇄ text conversions exactly as Redis writes and reads them inside RDB values.
package enum RDBNumbers {
    /// The decimal text of `value` (`ll2string`).
    package static func decimal(_ value: Int64) -> [UInt8] {
        var magnitude = value.magnitude
        var digits = [UInt8]()
        digits.reserveCapacity(20)
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        if value < 0 { digits.append(UInt8(ascii: "-")) }
        digits.reverse()
        return digits
    }

    /// A sorted-set score as redis-server 7.0.15 stores it in a listpack (`d2string`): `inf`
    /// or `-inf`; the integer's decimal text when the score is integral and within ±2^62
    /// (`double2ll`, so both zeros give `0`); otherwise `%.17g`. The listpack then stores the
    /// integral ones as integer entries.
    package static func scoreText(_ score: Double) -> [UInt8] {
        if score.isFinite, score >= -0x1p62, score <= 0x1p62, score == score.rounded(.towardZero) {
            return decimal(Int64(score))
        }
        return RedisDouble.format(score)
    }

    /// Parses a score written as text (a listpack or ziplist entry, or an RDB string double),
    /// as `strtod` would, but the whole text must be a number; `nil` otherwise. NaN parses;
    /// callers reject it.
    package static func parseDouble(_ text: UnsafeRawBufferPointer) -> Double? {
        // Redis's zzlStrtod looks at no more than 127 bytes; anything longer is not a score.
        guard text.count > 0, text.count < 128 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            for index in 0..<text.count {
                let byte = text[index]
                // strtod would stop at a NUL and skip leading space; neither is a valid score.
                if byte == 0 || (index == 0 && (byte == 0x20 || (byte >= 0x09 && byte <= 0x0d))) { return nil }
                buffer[index] = CChar(bitPattern: byte)
            }
            buffer[text.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + text.count else { return nil }
            return value
        }
    }

    /// Convenience for byte arrays.
    package static func parseDouble(_ text: [UInt8]) -> Double? {
        text.withUnsafeBytes { parseDouble($0) }
    }
}
