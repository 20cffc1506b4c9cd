import NIOCore
import Testing

@testable import SidecacheRESP

// The expected messages were checked once by hand against redis-server 7.0.15
// (`redis-server --port N --save "" --appendonly no`, raw bytes over a socket; with
// `--requirepass` for the unauthenticated limits). Redis replied `-ERR <message>\r\n` with
// exactly these texts. Two differences are deliberate or cosmetic and noted where tested:
// Redis formats a CR in "expected '$', got '\r'" as a space (our writer replaces it when
// sending), and Redis never frames an inline line holding a NUL byte (its `strchr` stops at
// the NUL, so the connection waits until the line is "too big"), while this parser frames it.

@Suite("Request protocol errors")
struct RequestProtocolErrorTests {
    private func expectError(
        _ input: [UInt8],
        _ message: String,
        limits: RESPLimits = RESPLimits(),
        authenticated: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = requestError(input, limits: limits, authenticated: authenticated)
        #expect(error?.message == message, "input \(String(decoding: input.prefix(40), as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
    }

    private func expectIncomplete(
        _ input: [UInt8],
        limits: RESPLimits = RESPLimits(),
        authenticated: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var parser = RESPRequestParser(limits: limits)
        var buffer = ByteBuffer(bytes: input)
        var frame = RESPCommandFrame()
        #expect(throws: Never.self, sourceLocation: sourceLocation) {
            let complete = try parser.next(from: &buffer, into: &frame, authenticated: authenticated)
            #expect(!complete, sourceLocation: sourceLocation)
        }
    }

    @Test func invalidMultibulkLength() {
        for input in ["*abc\r\n", "*3000000000\r\n", "*2147483648\r\n", "*01\r\n", "*+1\r\n", "*1 \r\n", "* 1\r\n",
                      "*-0\r\n", "*\r\n", "*99999999999999999999999\r\n"] {
            expectError(bytes(input), "Protocol error: invalid multibulk length")
        }
        #expect(RESPProtocolError.invalidMultibulkLength.message == "Protocol error: invalid multibulk length")
        // INT_MAX itself is accepted (and then waits for the arguments).
        expectIncomplete(bytes("*2147483647\r\n"))
    }

    @Test func invalidBulkLength() {
        for input in ["*1\r\n$-1\r\n", "*1\r\n$x\r\n", "*1\r\n$03\r\n", "*1\r\n$+3\r\n", "*1\r\n$\r\n",
                      "*1\r\n$536870913\r\n", "*2\r\n$3\r\nGET\r\n$-5\r\n"] {
            expectError(bytes(input), "Protocol error: invalid bulk length")
        }
        // proto-max-bulk-len (512 MB) itself is accepted.
        expectIncomplete(bytes("*1\r\n$536870912\r\n"))
    }

    @Test func bulkLongerThanConfiguredMaximum() throws {
        let limits = RESPLimits(maxBulkLength: 10)
        expectError(multibulk("SET", "k", "01234567890"), "Protocol error: invalid bulk length", limits: limits)
        #expect(try parseRequests(multibulk("SET", "k", "0123456789"), limits: limits) == [[bytes("SET"), bytes("k"), bytes("0123456789")]])
    }

    @Test func expectedDollar() {
        expectError(bytes("*1\r\nfoo\r\n"), "Protocol error: expected '$', got 'f'")
        expectError(bytes("*2\r\n$3\r\nGET\r\n:1\r\n"), "Protocol error: expected '$', got ':'")
        // Redis sends this one as "got ' '" (newlines in error replies become spaces); the
        // message keeps the byte and `writeRESPError` does the replacing.
        expectError(bytes("*1\r\n\r\n"), "Protocol error: expected '$', got '\r'")
        var wire = ByteBuffer()
        wire.writeRESPError("ERR " + RESPProtocolError.expectedDollar(got: 0x0D).message)
        #expect(wire == ByteBuffer(string: "-ERR Protocol error: expected '$', got ' '\r\n"))
    }

    @Test func unauthenticatedLimits() throws {
        expectError(bytes("*11\r\n"), "Protocol error: unauthenticated multibulk length", authenticated: false)
        expectError(bytes("*1\r\n$16385\r\n"), "Protocol error: unauthenticated bulk length", authenticated: false)
        // The limits themselves are fine.
        expectIncomplete(bytes("*10\r\n"), authenticated: false)
        expectIncomplete(bytes("*1\r\n$16384\r\n"), authenticated: false)
        let ten = (0..<10).map { bytes("a\($0)") }
        #expect(try parseRequests(multibulk(ten), authenticated: false) == [ten])
        let big = [Array(repeating: UInt8(ascii: "v"), count: 16384)]
        #expect(try parseRequests(multibulk(big), authenticated: false) == [big])
        // An authenticated client has no such limits.
        expectIncomplete(bytes("*11\r\n"))
        expectIncomplete(bytes("*1\r\n$16385\r\n"))
        // Invalid lengths are reported as invalid before the unauthenticated check, as Redis does.
        expectError(bytes("*3000000000\r\n"), "Protocol error: invalid multibulk length", authenticated: false)
        expectError(bytes("*1\r\n$-2\r\n"), "Protocol error: invalid bulk length", authenticated: false)
        // Skipped empty requests are fine unauthenticated too.
        #expect(try parseRequests(bytes("*0\r\n*-1\r\nPING\r\n"), authenticated: false) == [[bytes("PING")]])
        // The unauthenticated limits are configurable.
        let limits = RESPLimits(unauthenticatedMaxMultibulkLength: 2, unauthenticatedMaxBulkLength: 3)
        expectError(bytes("*3\r\n"), "Protocol error: unauthenticated multibulk length", limits: limits, authenticated: false)
        expectError(bytes("*1\r\n$4\r\n"), "Protocol error: unauthenticated bulk length", limits: limits, authenticated: false)
    }

    @Test func tooBigLinesWithoutCR() throws {
        let long = Array(repeating: UInt8(ascii: "1"), count: 65 * 1024)
        expectError([UInt8(ascii: "*")] + long, "Protocol error: too big mbulk count string")
        expectError(bytes("*1\r\n$") + long, "Protocol error: too big bulk count string")
        expectError(bytes("*2\r\n$3\r\nGET\r\n$") + long, "Protocol error: too big bulk count string")
        expectError(Array(repeating: UInt8(ascii: "a"), count: 65 * 1024), "Protocol error: too big inline request")
        // The line may hold PROTO_INLINE_MAX_SIZE (64 KB) bytes and still wait for its end;
        // one more is too big.
        expectIncomplete(Array(repeating: UInt8(ascii: "a"), count: 64 * 1024))
        expectError(Array(repeating: UInt8(ascii: "a"), count: 64 * 1024 + 1), "Protocol error: too big inline request")
        expectIncomplete([UInt8(ascii: "*")] + Array(repeating: UInt8(ascii: "1"), count: 64 * 1024 - 1))
        expectError([UInt8(ascii: "*")] + Array(repeating: UInt8(ascii: "1"), count: 64 * 1024), "Protocol error: too big mbulk count string")
        // A long inline line that does end is framed, as in Redis.
        let longArgument = Array(repeating: UInt8(ascii: "b"), count: 70 * 1024)
        #expect(try parseRequests(bytes("echo ") + longArgument + bytes("\r\n")) == [[bytes("echo"), longArgument]])
    }

    @Test func unbalancedQuotes() {
        for input in ["set \"a\r\n", "set \"a\"b\r\n", "'a\r\n", "\"\n", "a\"b\"c\n", "'a\\\\'\r\n"] {
            expectError(bytes(input), "Protocol error: unbalanced quotes in request")
        }
    }

    /// After a complete request, a broken one throws on the call that reaches it; the first
    /// one is still returned.
    @Test func errorAfterGoodRequest() throws {
        var parser = RESPRequestParser()
        var buffer = ByteBuffer(bytes: multibulk("PING") + bytes("*x\r\n"))
        var frame = RESPCommandFrame()
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(frame.arguments == [bytes("PING")])
        #expect(throws: RESPProtocolError.invalidMultibulkLength) { try parser.next(from: &buffer, into: &frame) }
    }

    /// A broken header is reported only once its line is complete, as Redis does.
    @Test func errorsWaitForTheWholeLine() {
        expectIncomplete(bytes("*abc"))
        expectIncomplete(bytes("*abc\r"))
        expectIncomplete(bytes("*1\r\n$x"))
        expectIncomplete(bytes("*1\r\nfoo"))
        expectIncomplete(bytes("set \"a"))
    }

    @Test func configurableLimits() throws {
        let inline = RESPLimits(maxInlineLength: 16)
        expectError(Array(repeating: UInt8(ascii: "a"), count: 17), "Protocol error: too big inline request", limits: inline)
        expectIncomplete(Array(repeating: UInt8(ascii: "a"), count: 16), limits: inline)
        expectError([UInt8(ascii: "*")] + Array(repeating: UInt8(ascii: "1"), count: 16), "Protocol error: too big mbulk count string", limits: inline)
        expectError(bytes("*1\r\n$") + Array(repeating: UInt8(ascii: "1"), count: 16), "Protocol error: too big bulk count string", limits: inline)
        // The limit is on a line still waiting for its end, not on bulk data.
        let data = Array(repeating: UInt8(ascii: "d"), count: 100)
        #expect(try parseRequests(multibulk([data]), limits: inline) == [[data]])

        let multibulkLimit = RESPLimits(maxMultibulkLength: 3)
        expectError(bytes("*4\r\n"), "Protocol error: invalid multibulk length", limits: multibulkLimit)
        #expect(try parseRequests(multibulk("a", "b", "c"), limits: multibulkLimit) == [[bytes("a"), bytes("b"), bytes("c")]])
    }

    @Test func errorMessagesOfNamedErrors() {
        #expect(RESPProtocolError.invalidBulkLength.message == "Protocol error: invalid bulk length")
        #expect(RESPProtocolError.unauthenticatedMultibulkLength.message == "Protocol error: unauthenticated multibulk length")
        #expect(RESPProtocolError.unauthenticatedBulkLength.message == "Protocol error: unauthenticated bulk length")
        #expect(RESPProtocolError.tooBigMultibulkCount.message == "Protocol error: too big mbulk count string")
        #expect(RESPProtocolError.tooBigBulkCount.message == "Protocol error: too big bulk count string")
        #expect(RESPProtocolError.tooBigInlineRequest.message == "Protocol error: too big inline request")
        #expect(RESPProtocolError.unbalancedQuotes.message == "Protocol error: unbalanced quotes in request")
        #expect(RESPProtocolError.expectedDollar(got: UInt8(ascii: "f")).description == "Protocol error: expected '$', got 'f'")
    }
}
