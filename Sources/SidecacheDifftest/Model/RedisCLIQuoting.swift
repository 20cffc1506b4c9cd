/// Writes bytes the way redis-cli reads them back: bare when they are plain printable ASCII,
/// otherwise in double quotes with `\xNN`, `\n`, `\r`, `\t`, `\"` and `\\` escapes.
public enum RedisCLIQuoting {
    public static func quote(_ bytes: [UInt8]) -> String {
        let needsQuotes =
            bytes.isEmpty
            || bytes.contains { byte in
                byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                    || byte == UInt8(ascii: "\\")
            }
        guard needsQuotes else { return String(decoding: bytes, as: UTF8.self) }
        var out = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case UInt8(ascii: "\t"): out += "\\t"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + hex(byte)
            }
        }
        return out + "\""
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
