import SidecacheRESP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension BloomCommands {
    /// RedisModule_StringToDouble (Redis's `getDoubleFromObject`): `strtod` over the whole
    /// argument, refusing an empty text, leading white space, trailing bytes (a NUL
    /// included), NaN, and a value out of range (±HUGE_VAL, or an underflow to zero).
    static func parseDouble(_ frame: RESPCommandFrame, _ index: Int) -> Double? {
        frame.withArgument(index) { text in
            guard text.count > 0, !isSpace(text[0]) else { return nil }
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
                for offset in 0..<text.count { buffer[offset] = CChar(bitPattern: text[offset]) }
                buffer[text.count] = 0
                var end: UnsafeMutablePointer<CChar>? = nil
                errno = 0
                let value = strtod(buffer.baseAddress!, &end)
                let outOfRange = errno == ERANGE && (value.isInfinite || value == 0)
                guard let end, end == buffer.baseAddress! + text.count, !outOfRange, !value.isNaN else { return nil }
                return value
            }
        }
    }

    /// `isspace` in the C locale.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// RedisBloom's `RMUtil_ArgIndex`: the first argument, the command name and key
    /// included, equal to `word` ignoring case.
    static func argumentIndex(_ frame: RESPCommandFrame, _ word: StaticString) -> Int? {
        (0..<frame.count).first { frame.argument($0, equalsCaseInsensitive: word) }
    }

    /// The argument's first bytes, lower-cased, with 0 past its end (BF.INSERT dispatches on
    /// them as RedisBloom does on its C strings).
    static func lowercasedByte(_ frame: RESPCommandFrame, _ index: Int, at offset: Int) -> UInt8 {
        frame.withArgument(index) { offset < $0.count ? ASCII.lowercased($0[offset]) : 0 }
    }
}
