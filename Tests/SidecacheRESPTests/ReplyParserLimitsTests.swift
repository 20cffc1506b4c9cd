import NIOCore
import Testing

@testable import SidecacheRESP

@Suite("Reply parser limits and malformed replies")
struct ReplyParserLimitsTests {
    private func parse(_ text: String, limits: RESPLimits = RESPLimits()) throws -> RESPValue? {
        var buffer = ByteBuffer(string: text)
        return try RESPReplyParser(limits: limits).next(from: &buffer)
    }

    private func nested(_ depth: Int, marker: String = "*") -> String {
        String(repeating: "\(marker)1\r\n", count: depth) + ":1\r\n"
    }

    @Test func nestingDepth() throws {
        let limits = RESPLimits(maxNestingDepth: 8)
        #expect(try parse(nested(8), limits: limits) != nil)
        #expect(throws: RESPProtocolError.tooDeep) { try parse(nested(9), limits: limits) }
        for marker in ["~", ">", "%"] {
            #expect(throws: RESPProtocolError.tooDeep) { try parse(nested(9, marker: marker), limits: limits) }
        }
        // Default limit (128): deep enough for any real reply, bounded against hostile ones.
        #expect(try parse(nested(128)) != nil)
        #expect(throws: RESPProtocolError.tooDeep) { try parse(nested(129)) }
        #expect(throws: RESPProtocolError.tooDeep) { try parse(nested(100_000)) }
        // Too deep is detected before the nested data has arrived.
        #expect(throws: RESPProtocolError.tooDeep) { try parse(String(repeating: "*1\r\n", count: 9), limits: limits) }
        // Attributes count as nesting too.
        #expect(throws: RESPProtocolError.tooDeep) {
            try parse(String(repeating: "|1\r\n:1\r\n", count: 9) + ":1\r\n", limits: limits)
        }
    }

    /// The nested value parses to the right shape.
    @Test func nestedShape() throws {
        var expected = RESPValue.integer(1)
        for _ in 0..<5 { expected = .array([expected]) }
        #expect(try parse(nested(5)) == expected)
    }

    /// A huge announced count with little data waits for more, without reserving for the
    /// announced count (reserving 2·10⁹ elements would take tens of gigabytes or trap).
    @Test(.timeLimit(.minutes(1)))
    func hugeAnnouncedCountWaits() throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            for header in ["*2000000000\r\n", "~2000000000\r\n", ">2000000000\r\n", "%2000000000\r\n", "|2000000000\r\n",
                           "*2147483647\r\n:1\r\n:2\r\n", "%2147483647\r\n+k\r\n"] {
                #expect(try parse(header) == nil, "\(header.debugDescription)")
            }
        }
        #expect(clock.now - start < .seconds(1))
        // Beyond the configured maximum the count is an error.
        #expect(throws: RESPProtocolError.invalidMultibulkLength) { try parse("*2147483648\r\n") }
        #expect(throws: RESPProtocolError.invalidMultibulkLength) { try parse("*3\r\n", limits: RESPLimits(maxMultibulkLength: 2)) }
        #expect(throws: RESPProtocolError.invalidBulkLength) { try parse("$11\r\n", limits: RESPLimits(maxBulkLength: 10)) }
        #expect(throws: RESPProtocolError.invalidBulkLength) { try parse("$536870913\r\n") }
        #expect(try parse("$536870912\r\n") == nil)
    }

    @Test(arguments: [
        ":abc\r\n", ":\r\n", ":+1\r\n", ":01\r\n", ":1.5\r\n",
        "#x\r\n", "#\r\n", "#tt\r\n", "#T\r\n",
        "@foo\r\n", "x\r\n", "\u{0}\r\n",
        "$3\r\nabcXY", "$3\r\nabc\n\r", "$0\r\nxx", "$-2\r\n", "$x\r\n",
        "!-1\r\n", "=-1\r\n", "=3\r\ntxt\r\n", "=4\r\ntxt;\r\n",
        "*-2\r\n", "~-1\r\n", "%-1\r\n", ">x\r\n",
        ",abc\r\n", ",\r\n", ",1.5x\r\n",
        "+OK\rX", "*1\r\n:1\rX",
    ])
    func malformedRepliesThrow(_ text: String) {
        #expect(throws: RESPProtocolError.self) { try parse(text) }
    }

    @Test func unknownMarkerMessage() {
        #expect(throws: RESPProtocolError("unknown reply type '@'")) { try parse("@x\r\n") }
    }

    /// Incomplete replies return nil and consume nothing.
    @Test(arguments: [
        "", "+", "+OK", "+OK\r", ":12", "$3\r\nab", "$3\r\nabc", "$3\r\nabc\r", "*2\r\n:1\r\n", "%1\r\n+k\r\n",
        "|1\r\n+k\r\n+v\r\n", "=8\r\ntxt:te", ",1.5", "#t\r", "_",
    ])
    func incompleteRepliesWait(_ text: String) throws {
        var buffer = ByteBuffer(string: text)
        #expect(try RESPReplyParser().next(from: &buffer) == nil)
        #expect(buffer.readableBytes == text.utf8.count)
    }

    /// A line still waiting for its CRLF may be at most `maxInlineLength` bytes.
    @Test func tooLongLine() throws {
        let limits = RESPLimits(maxInlineLength: 16)
        // The bytes after the type marker are counted.
        #expect(try parse("+" + String(repeating: "a", count: 16), limits: limits) == nil)
        #expect(throws: RESPProtocolError.self) { try parse("+" + String(repeating: "a", count: 17), limits: limits) }
        // A long line that has ended is read whatever its length.
        #expect(try parse("+" + String(repeating: "a", count: 100) + "\r\n", limits: limits) == .simple(String(repeating: "a", count: 100)))
    }

    /// Several replies in one buffer are read one at a time.
    @Test func consecutiveReplies() throws {
        var buffer = ByteBuffer(string: "+OK\r\n:5\r\n$-1\r\n*-1\r\n_\r\n#t\r\n,2.5\r\n(12\r\n!3\r\nERR\r\n=7\r\nmkd:abc\r\n")
        let parser = RESPReplyParser()
        var values: [RESPValue] = []
        while let value = try parser.next(from: &buffer) { values.append(value) }
        #expect(values == [
            .simple("OK"), .integer(5), .bulkString(nil), .array(nil), .null, .boolean(true), .double(2.5),
            .bigNumber(ByteBuffer(string: "12")), .blobError(ByteBuffer(string: "ERR")),
            .verbatimString(format: ByteBuffer(string: "mkd"), text: ByteBuffer(string: "abc")),
        ])
        #expect(buffer.readableBytes == 0)
    }
}
