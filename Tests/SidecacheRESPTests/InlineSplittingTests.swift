import NIOCore
import Testing

@testable import SidecacheRESP

/// Inline requests are split as Redis's `sdssplitargs` splits them. Every row except the NUL
/// rows was checked by hand against redis-server 7.0.15 (`RPUSH L x <line>` then
/// `LRANGE L 0 -1`); redis-server cannot be shown a NUL in an inline line (it waits for a
/// newline its `strchr` never finds), so those rows follow `sdssplitargs`'s source, which
/// stops at the NUL of the C string.
@Suite("Inline splitting like sdssplitargs")
struct InlineSplittingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var line: [UInt8]
        /// `nil`: unbalanced quotes.
        var arguments: [[UInt8]]?
        var testDescription: String { String(decoding: line, as: UTF8.self).debugDescription }

        init(_ line: String, _ arguments: [String]?) {
            self.line = bytes(line)
            self.arguments = arguments?.map(bytes)
        }

        init(line: [UInt8], _ arguments: [[UInt8]]?) {
            self.line = line
            self.arguments = arguments
        }
    }

    static let cases: [Case] = [
        // Separators: spaces and tabs between and around arguments.
        Case("a b c", ["a", "b", "c"]),
        Case("  a \t b\t\tc  ", ["a", "b", "c"]),
        Case("\u{0C} a", ["a"]),
        // Only space, tab, CR, LF end an unquoted argument; VT and FF do not.
        Case("a\u{0B}b", ["a\u{0B}b"]),
        Case("a\u{0C}b", ["a\u{0C}b"]),
        Case("a\rb", ["a", "b"]),
        // Escapes inside double quotes.
        Case("\"a\\x41\\n\"", ["aA\n"]),
        Case("\"\\x4a\\x4B\"", ["JK"]),
        Case("\"\\x4g\"", ["x4g"]),
        Case("\"\\xZZ\"", ["xZZ"]),
        Case("\"\\x\"", ["x"]),
        Case("\"\\n\\r\\t\\b\\a\"", ["\n\r\t\u{08}\u{07}"]),
        Case("\"a\\\\b\"", ["a\\b"]),
        Case("\"\\q\\\"\\'\"", ["q\"'"]),
        Case(line: bytes("\"\\xff\\x00\\x7F\""), [[0xFF, 0x00, 0x7F]]),
        // Single quotes: only \' is an escape.
        Case("'a\\'b'", ["a'b"]),
        Case("'a\\nb'", ["a\\nb"]),
        Case("'a\\\\'", nil),
        Case("\"a'b\"", ["a'b"]),
        Case("'a\"b'", ["a\"b"]),
        // Backslashes outside quotes are ordinary bytes.
        Case("a\\x41", ["a\\x41"]),
        Case("a\\ b", ["a\\", "b"]),
        // Quotes: empty arguments, quotes inside an argument, closing quote followed by a separator.
        Case("\"\"", [""]),
        Case("'' x", ["", "x"]),
        Case("\"a\" \"b\"", ["a", "b"]),
        Case("\"a\"\t\"b\"", ["a", "b"]),
        Case("\"a\"\u{0B}\"b\"", ["a", "b"]),
        Case("a\"b c\"", ["ab c"]),
        Case("a'b c'", ["ab c"]),
        // Adjacent quotes and bytes right after a closing quote are errors.
        Case("\"a\"b", nil),
        Case("\"a\"\"b\"", nil),
        Case("'a''b'", nil),
        Case("a\"b c\"d", nil),
        Case("a\"b\"c", nil),
        Case("abc\"", nil),
        // Unterminated quotes.
        Case("\"", nil),
        Case("\"abc", nil),
        Case("'abc", nil),
        Case("\"abc\\\"", nil),
        Case("\"abc\\", nil),
        // Bytes above 0x7F are ordinary.
        Case(line: [0xFF, 0xFE, 0x20, 0x7A], [[0xFF, 0xFE], [0x7A]]),
        // A NUL byte ends the line (and so leaves a quote unterminated).
        Case(line: bytes("a") + [0] + bytes("b c"), [bytes("a")]),
        Case(line: bytes("set k") + [0], [bytes("set"), bytes("k")]),
        Case(line: bytes("\"a") + [0] + bytes("b\""), nil),
        Case(line: bytes("'a") + [0] + bytes("b'"), nil),
    ]

    @Test(arguments: cases)
    func splitsAsRedis(_ row: Case) throws {
        let input = row.line + bytes("\r\n")
        if let expected = row.arguments {
            #expect(try parseRequests(input) == [expected])
            // LF alone ends the line too.
            #expect(try parseRequests(row.line + bytes("\n")) == [expected])
        } else {
            #expect(requestError(input) == .unbalancedQuotes)
        }
    }

    /// The splitter itself, without the parser: blank and NUL-started lines give no arguments,
    /// and arguments are appended after what the scratch buffer already holds.
    @Test func splitterDirectly() {
        func split(_ line: [UInt8], scratch: inout ByteBuffer) -> [[UInt8]]? {
            var frame = RESPCommandFrame()
            let ok = line.withUnsafeBytes { InlineArgumentSplitter.split($0, into: &scratch, frame: &frame) }
            guard ok else { return nil }
            frame.setStorage(scratch)
            return frame.arguments
        }
        var scratch = ByteBuffer()
        #expect(split([], scratch: &scratch) == [])
        #expect(split(bytes(" \t "), scratch: &scratch) == [])
        #expect(split([0] + bytes("abc"), scratch: &scratch) == [])
        #expect(split(bytes("\"x"), scratch: &scratch) == nil)
        scratch = ByteBuffer(string: "junk")
        scratch.moveReaderIndex(forwardBy: 4)
        #expect(split(bytes("a \"b c\""), scratch: &scratch) == [bytes("a"), bytes("b c")])
    }
}
