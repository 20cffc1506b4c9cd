import NIOCore

/// Redis's `sdssplitargs`: splits an inline request line into arguments, honouring double
/// quotes (with `\n \r \t \b \a \\ \"` and `\xHH` escapes) and single quotes (with `\'`).
/// A closing quote must be followed by a space or the end of the line. A NUL byte ends the
/// line, as it does for the C string Redis scans.
enum InlineArgumentSplitter {
    /// Appends each argument's bytes to `scratch` and its range to `frame`; `false` when the
    /// quotes are unbalanced.
    static func split(
        _ line: UnsafeRawBufferPointer,
        into scratch: inout ByteBuffer,
        frame: inout RESPCommandFrame
    ) -> Bool {
        let count = line.count
        @inline(__always) func at(_ index: Int) -> UInt8 { index < count ? line[index] : 0 }
        /// A closing quote must be followed by a space or the end of the line.
        @inline(__always) func closingQuoteIsValid(at index: Int) -> Bool {
            at(index + 1) == 0 || ASCII.isSpace(at(index + 1))
        }
        var position = 0
        while true {
            while position < count && ASCII.isSpace(line[position]) { position += 1 }
            if at(position) == 0 { return true }
            var inDoubleQuotes = false
            var inSingleQuotes = false
            var done = false
            let start = scratch.writerIndex
            while !done {
                let byte = at(position)
                if inDoubleQuotes {
                    if byte == UInt8(ascii: "\\") && at(position + 1) == UInt8(ascii: "x"),
                        let high = ASCII.hexValue(at(position + 2)), let low = ASCII.hexValue(at(position + 3))
                    {
                        scratch.writeInteger(high << 4 | low)
                        position += 3
                    } else if byte == UInt8(ascii: "\\") && at(position + 1) != 0 {
                        position += 1
                        scratch.writeInteger(unescape(at(position)))
                    } else if byte == UInt8(ascii: "\"") {
                        guard closingQuoteIsValid(at: position) else { return false }
                        done = true
                    } else if byte == 0 {
                        return false
                    } else {
                        scratch.writeInteger(byte)
                    }
                } else if inSingleQuotes {
                    if byte == UInt8(ascii: "\\") && at(position + 1) == UInt8(ascii: "'") {
                        position += 1
                        scratch.writeInteger(UInt8(ascii: "'"))
                    } else if byte == UInt8(ascii: "'") {
                        guard closingQuoteIsValid(at: position) else { return false }
                        done = true
                    } else if byte == 0 {
                        return false
                    } else {
                        scratch.writeInteger(byte)
                    }
                } else {
                    switch byte {
                    case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), 0:
                        done = true
                    case UInt8(ascii: "\""):
                        inDoubleQuotes = true
                    case UInt8(ascii: "'"):
                        inSingleQuotes = true
                    default:
                        scratch.writeInteger(byte)
                    }
                }
                if at(position) != 0 { position += 1 }
            }
            frame.append(start: start - scratch.readerIndex, length: scratch.writerIndex - start)
        }
    }

    private static func unescape(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "a"): 0x07
        default: byte
        }
    }
}
