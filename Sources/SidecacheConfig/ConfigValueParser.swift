/// Parsers for configuration values written as text, by Redis's rules; shared by the YAML decoder and the
/// server's CONFIG SET.
public enum ConfigValueParser {
    /// Parses a memory size like Redis's `memtoull`: digits, then an optional case-insensitive unit
    /// (b = 1, k = 1000, kb = 1024, m = 10^6, mb = 1024^2, g = 10^9, gb = 1024^3).
    ///
    /// Returns nil for anything else: no digits, a sign, a fraction, spaces, an unknown unit, or a
    /// number of bytes above `Int.max`. (Redis also takes a bare unit such as "mb" as 0; this does not.)
    public static func memory(_ text: String) -> Int? {
        guard let (number, unit) = splitNumberAndUnit(text) else { return nil }
        let multipliers: [String: Int] = [
            "": 1, "b": 1,
            "k": 1000, "kb": 1024,
            "m": 1_000_000, "mb": 1024 * 1024,
            "g": 1_000_000_000, "gb": 1024 * 1024 * 1024,
        ]
        guard let multiplier = multipliers[unit] else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }

    /// Parses a duration: digits, then an optional case-insensitive unit (us, ms, s, m, h, d); bare
    /// digits are seconds. Returns nil for anything else, negatives and overflow included.
    public static func duration(_ text: String) -> Duration? {
        guard let (number, unit) = splitNumberAndUnit(text) else { return nil }
        switch unit {
        case "us": return .microseconds(number)
        case "ms": return .milliseconds(number)
        case "", "s": return .seconds(number)
        default:
            let secondsPerUnit: [String: Int] = ["m": 60, "h": 3600, "d": 86400]
            guard let multiplier = secondsPerUnit[unit] else { return nil }
            let (seconds, overflow) = number.multipliedReportingOverflow(by: multiplier)
            return overflow ? nil : .seconds(seconds)
        }
    }

    /// Parses a boolean: yes/true/on or no/false/off, case-insensitive; nil for anything else.
    public static func bool(_ text: String) -> Bool? {
        switch asciiLowercased(text) {
        case "yes", "true", "on": true
        case "no", "false", "off": false
        default: nil
        }
    }

    /// Splits "512mb" into (512, "mb"): one or more ASCII digits, then the ASCII-lowercased rest.
    /// Returns nil when there is no leading digit or the number does not fit in an `Int`.
    private static func splitNumberAndUnit(_ text: String) -> (Int, String)? {
        let digits = text.utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !digits.isEmpty, let number = Int(String(decoding: digits, as: UTF8.self)) else { return nil }
        let unit = String(decoding: text.utf8.dropFirst(digits.count), as: UTF8.self)
        return (number, asciiLowercased(unit))
    }

    /// Lowercases A-Z only, as C's `strcasecmp` compares (so "K" matches "k" but "\u{212A}", KELVIN SIGN, does not).
    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
