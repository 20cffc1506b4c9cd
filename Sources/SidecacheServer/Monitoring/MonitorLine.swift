import NIOCore
import SidecacheRESP

/// The line MONITOR sends for one executed command (Redis's `replicationFeedMonitors`):
/// `+<seconds>.<microseconds> [<db> <ip:port>] "<argument>" "<argument>"...` then CRLF, each
/// argument quoted as Redis's `sdscatrepr` quotes it.
enum MonitorLine {
    /// The line for `frame`, run by the client at `peer` in database `database`, at
    /// `unixMicroseconds`; the arguments at `redacted` are shown as `(redacted)`.
    static func make(
        unixMicroseconds: Int64, database: Int, peer: String, frame: RESPCommandFrame, redacted: [Int]
    ) -> ByteBuffer {
        var line = ByteBuffer()
        line.reserveCapacity(48 + peer.utf8.count + frame.storage.readableBytes + 3 * frame.count)
        let seconds = unixMicroseconds / 1_000_000
        let fraction = String(unixMicroseconds % 1_000_000)
        line.writeString("+\(seconds).\(String(repeating: "0", count: 6 - fraction.count))\(fraction) [\(database) \(peer)] ")
        for index in 0..<frame.count {
            if index > 0 { line.writeInteger(UInt8(ascii: " ")) }
            if redacted.contains(index) {
                writeQuoted(CommandRedaction.placeholder, to: &line)
            } else {
                frame.withArgument(index) { writeQuoted($0, to: &line) }
            }
        }
        line.writeStaticString("\r\n")
        return line
    }

    /// Redis's `sdscatrepr`: in double quotes; `\` and `"` escaped with a backslash; newline,
    /// carriage return, tab, bell and backspace as `\n` `\r` `\t` `\a` `\b`; other bytes
    /// outside printable ASCII as `\xNN` (lower-case hex).
    static func writeQuoted(_ bytes: some Sequence<UInt8>, to line: inout ByteBuffer) {
        line.writeInteger(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""):
                line.writeInteger(UInt8(ascii: "\\"))
                line.writeInteger(byte)
            case 0x0A: line.writeStaticString("\\n")
            case 0x0D: line.writeStaticString("\\r")
            case 0x09: line.writeStaticString("\\t")
            case 0x07: line.writeStaticString("\\a")
            case 0x08: line.writeStaticString("\\b")
            case 0x20...0x7E: line.writeInteger(byte)
            default:
                line.writeStaticString("\\x")
                line.writeInteger(hexDigits[Int(byte >> 4)])
                line.writeInteger(hexDigits[Int(byte & 0x0F)])
            }
        }
        line.writeInteger(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
