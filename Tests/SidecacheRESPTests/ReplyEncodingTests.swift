import NIOCore
import Testing

@testable import SidecacheRESP

func encoded(_ value: RESPValue, _ version: RESPProtocolVersion) -> ByteBuffer {
    var buffer = ByteBuffer()
    value.encode(into: &buffer, version)
    return buffer
}

/// Parses exactly one whole value from `buffer`, requiring that nothing is left over.
func parseOne(_ buffer: ByteBuffer, limits: RESPLimits = RESPLimits()) throws -> RESPValue? {
    var buffer = buffer
    let value = try RESPReplyParser(limits: limits).next(from: &buffer)
    if value != nil { #expect(buffer.readableBytes == 0, "bytes left after the value") }
    return value
}

/// What RESP3 encoding turns a value into once parsed back: RESP3 has a single null, so the
/// RESP2 null bulk string and null array come back as `.null`.
func normalizedForRESP3(_ value: RESPValue) -> RESPValue {
    switch value {
    case .bulkString(nil), .array(nil): .null
    case .array(let values?): .array(values.map(normalizedForRESP3))
    case .map(let values): .map(values.map(normalizedForRESP3))
    case .set(let values): .set(values.map(normalizedForRESP3))
    case .push(let values): .push(values.map(normalizedForRESP3))
    case .attribute(let pairs, let value): .attribute(pairs.map(normalizedForRESP3), normalizedForRESP3(value))
    default: value
    }
}

@Suite("Reply encoding")
struct ReplyEncodingTests {
    /// One value of every case (and the nil forms).
    static let everyCase: [RESPValue] = [
        .simple("OK"),
        .error("ERR something bad"),
        .integer(0), .integer(-42), .integer(.max), .integer(.min),
        .bulk("hello"), .bulk(""), .bulk(bytes: [0, 13, 10, 255]), .bulkString(nil),
        .array([.integer(1), .bulk("two"), .array([])]), .array([]), .array(nil),
        .null,
        .double(1.1), .double(-2.5), .double(0), .double(.infinity), .double(-.infinity), .double(1e300),
        .boolean(true), .boolean(false),
        .bigNumber(ByteBuffer(string: "1234567999999999999999999999999999999")),
        .bigNumber(ByteBuffer(string: "-3")),
        .blobError(ByteBuffer(string: "SYNTAX invalid syntax")),
        .verbatimString(format: ByteBuffer(string: "txt"), text: ByteBuffer(string: "Some string")),
        .verbatimString(format: ByteBuffer(string: "mkd"), text: ByteBuffer(string: "")),
        .map([.simple("key"), .integer(1), .bulk("k2"), .map([])]),
        .map([]),
        .set([.integer(1), .bulk("x"), .null]),
        .attribute([.bulk("ttl"), .integer(3)], .bulk("value")),
        .push([.bulk("message"), .bulk("channel"), .bulk("payload")]),
    ]

    @Test(arguments: everyCase)
    func resp3RoundTrip(_ value: RESPValue) throws {
        let parsed = try parseOne(encoded(value, .resp3))
        #expect(parsed == normalizedForRESP3(value))
        if case .bulkString(.some) = value { #expect(parsed == value) }
    }

    @Test(arguments: everyCase)
    func resp2RoundTrip(_ value: RESPValue) throws {
        #expect(try parseOne(encoded(value, .resp2)) == value.downgradedToRESP2)
    }

    /// The downgrade of RESP2 values is the identity.
    @Test func resp2ValuesDowngradeToThemselves() {
        let values: [RESPValue] = [
            .simple("OK"), .error("ERR x"), .integer(5), .bulk("b"), .bulkString(nil), .array(nil),
            .array([.bulk("a"), .array([.integer(1)])]),
        ]
        for value in values { #expect(value.downgradedToRESP2 == value) }
        #expect(RESPValue.null.downgradedToRESP2 == .bulkString(nil))
        #expect(RESPValue.map([.bulk("k"), .boolean(true)]).downgradedToRESP2 == .array([.bulk("k"), .integer(1)]))
        #expect(RESPValue.attribute([.bulk("k"), .null], .double(2)).downgradedToRESP2 == .bulk("2"))
    }

    struct WireCase: Sendable, CustomTestStringConvertible {
        var value: RESPValue
        var resp2: String
        var resp3: String
        var testDescription: String { resp3.debugDescription }
    }

    // Where the rows come from redis-server 7.0.15 (`DEBUG PROTOCOL <type>` and `ZSCORE`,
    // before and after `HELLO 3`), they are the bytes it sent.
    static let wire: [WireCase] = [
        WireCase(value: .null, resp2: "$-1\r\n", resp3: "_\r\n"),
        WireCase(value: .bulkString(nil), resp2: "$-1\r\n", resp3: "_\r\n"),
        WireCase(value: .array(nil), resp2: "*-1\r\n", resp3: "_\r\n"),
        WireCase(value: .simple("OK"), resp2: "+OK\r\n", resp3: "+OK\r\n"),
        WireCase(value: .error("ERR no"), resp2: "-ERR no\r\n", resp3: "-ERR no\r\n"),
        WireCase(value: .integer(-5), resp2: ":-5\r\n", resp3: ":-5\r\n"),
        WireCase(value: .integer(.min), resp2: ":-9223372036854775808\r\n", resp3: ":-9223372036854775808\r\n"),
        WireCase(value: .bulk(""), resp2: "$0\r\n\r\n", resp3: "$0\r\n\r\n"),
        WireCase(value: .bulk("a\r\nb"), resp2: "$4\r\na\r\nb\r\n", resp3: "$4\r\na\r\nb\r\n"),
        WireCase(value: .array([]), resp2: "*0\r\n", resp3: "*0\r\n"),
        WireCase(
            value: .map([.integer(0), .boolean(false), .integer(1), .boolean(true), .integer(2), .boolean(false)]),
            resp2: "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
            resp3: "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"
        ),
        WireCase(value: .map([.bulk("a"), .integer(1), .bulk("b"), .integer(2)]),
                 resp2: "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n", resp3: "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n"),
        WireCase(value: .set([.integer(0), .integer(1), .integer(2)]), resp2: "*3\r\n:0\r\n:1\r\n:2\r\n", resp3: "~3\r\n:0\r\n:1\r\n:2\r\n"),
        WireCase(value: .push([.bulk("server-cpu-usage"), .integer(42)]),
                 resp2: "*2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n", resp3: ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"),
        WireCase(value: .boolean(true), resp2: ":1\r\n", resp3: "#t\r\n"),
        WireCase(value: .boolean(false), resp2: ":0\r\n", resp3: "#f\r\n"),
        WireCase(value: .double(1.1), resp2: "$18\r\n1.1000000000000001\r\n", resp3: ",1.1000000000000001\r\n"),
        WireCase(value: .double(3.141), resp2: "$5\r\n3.141\r\n", resp3: ",3.141\r\n"),
        WireCase(value: .double(.infinity), resp2: "$3\r\ninf\r\n", resp3: ",inf\r\n"),
        WireCase(value: .double(-.infinity), resp2: "$4\r\n-inf\r\n", resp3: ",-inf\r\n"),
        WireCase(value: .double(0), resp2: "$1\r\n0\r\n", resp3: ",0\r\n"),
        WireCase(value: .double(-0.0), resp2: "$2\r\n-0\r\n", resp3: ",-0\r\n"),
        WireCase(value: .double(100), resp2: "$3\r\n100\r\n", resp3: ",100\r\n"),
        WireCase(value: .double(1e300), resp2: "$23\r\n1.0000000000000001e+300\r\n", resp3: ",1.0000000000000001e+300\r\n"),
        WireCase(value: .double(1e-5), resp2: "$22\r\n1.0000000000000001e-05\r\n", resp3: ",1.0000000000000001e-05\r\n"),
        WireCase(value: .double(1e16), resp2: "$17\r\n10000000000000000\r\n", resp3: ",10000000000000000\r\n"),
        WireCase(value: .double(.leastNonzeroMagnitude), resp2: "$23\r\n4.9406564584124654e-324\r\n", resp3: ",4.9406564584124654e-324\r\n"),
        WireCase(value: .bigNumber(ByteBuffer(string: "1234567999999999999999999999999999999")),
                 resp2: "$37\r\n1234567999999999999999999999999999999\r\n", resp3: "(1234567999999999999999999999999999999\r\n"),
        WireCase(value: .verbatimString(format: ByteBuffer(string: "txt"), text: ByteBuffer(string: "text")),
                 resp2: "$4\r\ntext\r\n", resp3: "=8\r\ntxt:text\r\n"),
        WireCase(value: .verbatimString(format: ByteBuffer(string: "txt"), text: ByteBuffer(string: "This is a verbatim\nstring")),
                 resp2: "$25\r\nThis is a verbatim\nstring\r\n", resp3: "=29\r\ntxt:This is a verbatim\nstring\r\n"),
        WireCase(value: .blobError(ByteBuffer(string: "SYNTAX bad")), resp2: "-SYNTAX bad\r\n", resp3: "!10\r\nSYNTAX bad\r\n"),
        WireCase(
            value: .attribute([.bulk("key-popularity"), .array([.bulk("key:123"), .integer(90)])],
                              .bulk("Some real reply following the attribute")),
            resp2: "$39\r\nSome real reply following the attribute\r\n",
            resp3: "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n"
        ),
    ]

    @Test(arguments: wire)
    func exactWireBytes(_ row: WireCase) {
        #expect(String(buffer: encoded(row.value, .resp2)) == row.resp2)
        #expect(String(buffer: encoded(row.value, .resp3)) == row.resp3)
    }

    /// Simple strings and errors cannot hold CR or LF; they are replaced with spaces in both
    /// protocol versions, so that a reply can never break the stream.
    @Test func newlinesInSimpleStringsAndErrorsBecomeSpaces() throws {
        let text = ByteBuffer(string: "a\r\nb\nc\rd")
        let cleaned = ByteBuffer(string: "a  b c d")
        for version in [RESPProtocolVersion.resp2, .resp3] {
            #expect(String(buffer: encoded(.simpleString(text), version)) == "+a  b c d\r\n")
            #expect(String(buffer: encoded(.simpleError(text), version)) == "-a  b c d\r\n")
            #expect(try parseOne(encoded(.simpleString(text), version)) == .simpleString(cleaned))
            #expect(try parseOne(encoded(.simpleError(text), version)) == .simpleError(cleaned))
        }
        #expect(String(buffer: encoded(.blobError(text), .resp2)) == "-a  b c d\r\n")
        #expect(String(buffer: encoded(.blobError(text), .resp3)) == "!8\r\na\r\nb\nc\rd\r\n")
        #expect(RESPValue.simpleString(text).downgradedToRESP2 == .simpleString(cleaned))
        #expect(RESPValue.simpleError(text).downgradedToRESP2 == .simpleError(cleaned))
        #expect(RESPValue.blobError(text).downgradedToRESP2 == .simpleError(cleaned))
    }

    /// NaN has no equal; its round trip gives a NaN back (spelled as the C library spells it).
    @Test func nanRoundTrip() throws {
        for version in [RESPProtocolVersion.resp3] {
            let parsed = try parseOne(encoded(.double(.nan), version))
            guard case .double(let value)? = parsed else {
                Issue.record("not a double: \(String(describing: parsed))")
                continue
            }
            #expect(value.isNaN)
        }
        let resp2 = try parseOne(encoded(.double(.nan), .resp2))
        #expect(resp2 == RESPValue.double(.nan).downgradedToRESP2)
        #expect(resp2?.text?.lowercased().contains("nan") == true)
    }

    @Test func valueAccessors() {
        #expect(RESPValue.bulk("x").text == "x")
        #expect(RESPValue.integer(-7).text == "-7")
        #expect(RESPValue.verbatimString(format: ByteBuffer(string: "txt"), text: ByteBuffer(string: "v")).text == "v")
        #expect(RESPValue.bulkString(nil).text == nil)
        #expect(RESPValue.null.text == nil)
        #expect(RESPValue.map([.bulk("k"), .bulk("v")]).elements == [.bulk("k"), .bulk("v")])
        #expect(RESPValue.array(nil).elements == nil)
        #expect(RESPValue.integer(1).elements == nil)
        #expect(RESPValue.error("ERR").isError)
        #expect(RESPValue.blobError(ByteBuffer(string: "ERR")).isError)
        #expect(!RESPValue.bulk("ERR").isError)
    }
}
