import NIOCore
import NIOTestUtils
import Testing

@testable import SidecacheRESP

/// `RESPRequestDecoder` under NIO's verifier, which feeds every input whole, all inputs
/// concatenated, and byte by byte (so every request is split at every byte boundary), in
/// shuffled orders, and checks the exact sequence of decoded commands.
@Suite("Request framing under every split")
struct RequestDecoderFramingTests {
    private func verify(_ pairs: [([UInt8], [RESPCommand])], limits: RESPLimits = RESPLimits()) throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: pairs.map { (ByteBuffer(bytes: $0.0), $0.1) },
            decoderFactory: { RESPRequestDecoder(limits: limits) }
        )
    }

    @Test func multibulkRequests() throws {
        let binary: [UInt8] = [0x00, 0x0D, 0x0A, 0xFF, 0x2A, 0x24, 0x0D, 0x0A, 0x0D]
        let many = (0..<300).map { bytes("arg\($0)") }
        try verify([
            (multibulk("PING"), [RESPCommand("PING")]),
            (multibulk("SET", "key", "value"), [RESPCommand("SET", "key", "value")]),
            (multibulk("SET", "k", ""), [RESPCommand("SET", "k", "")]),
            (bytes("*1\r\n$0\r\n\r\n"), [RESPCommand("")]),
            (multibulk([bytes("SET"), binary, bytes("\r\n")]), [RESPCommand(bytes: [bytes("SET"), binary, bytes("\r\n")])]),
            (multibulk(many), [RESPCommand(bytes: many)]),
            (multibulk([Array(repeating: UInt8(ascii: "x"), count: 5000)]),
             [RESPCommand(bytes: [Array(repeating: UInt8(ascii: "x"), count: 5000)])]),
        ])
    }

    @Test func inlineRequests() throws {
        try verify([
            (bytes("PING\r\n"), [RESPCommand("PING")]),
            (bytes("set a b\n"), [RESPCommand("set", "a", "b")]),
            (bytes("  get   key \t\r\n"), [RESPCommand("get", "key")]),
            (bytes("echo \"a\\x41\\n\"\r\n"), [RESPCommand("echo", "aA\n")]),
            (bytes("echo 'it\\'s'\r\n"), [RESPCommand("echo", "it's")]),
            (bytes("echo \"\" ''\r\n"), [RESPCommand("echo", "", "")]),
            (bytes("echo \"\\xff\\x00\"\r\n"), [RESPCommand(bytes: [bytes("echo"), [0xFF, 0x00]])]),
        ])
    }

    @Test func pipelinedRequestsInOneInput() throws {
        let pipeline = multibulk("SET", "a", "1") + bytes("GET a\r\n") + multibulk("INCR", "a")
            + bytes("\r\n") + bytes("*0\r\n") + multibulk("DEL", "a") + bytes("PING\n")
        try verify([
            (pipeline, [
                RESPCommand("SET", "a", "1"), RESPCommand("GET", "a"), RESPCommand("INCR", "a"),
                RESPCommand("DEL", "a"), RESPCommand("PING"),
            ]),
            (multibulk("ECHO", "x\r\ny") + multibulk("ECHO", "*1\r\n"),
             [RESPCommand("ECHO", "x\r\ny"), RESPCommand("ECHO", "*1\r\n")]),
        ])
    }

    @Test func emptyRequestsAreSkipped() throws {
        try verify([
            (bytes("*0\r\n"), []),
            (bytes("*-1\r\n"), []),
            (bytes("*-5\r\n"), []),
            (bytes("\r\n"), []),
            (bytes("\n"), []),
            (bytes("   \t \r\n"), []),
            (bytes("*0\r\n*-1\r\n\r\n   \r\nPING\r\n"), [RESPCommand("PING")]),
        ])
    }

    /// Redis skips the two bytes after a bulk's data without checking them; so does the parser.
    @Test func bytesAfterBulkDataAreNotChecked() throws {
        try verify([
            (bytes("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"), [RESPCommand("PING"), RESPCommand("PING")]),
        ])
    }

    /// The decoder applies its configured limits, and frames as an authenticated client
    /// (the unauthenticated limits do not apply).
    @Test func decoderUsesConfiguredLimits() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxBulkLength: 3))
        var ok = ByteBuffer(bytes: multibulk("abc"))
        #expect(try decoder.decode(buffer: &ok) == RESPCommand("abc"))
        var tooLong = ByteBuffer(bytes: multibulk("abcd"))
        #expect(throws: RESPProtocolError.invalidBulkLength) { try decoder.decode(buffer: &tooLong) }

        var anonymous = RESPRequestDecoder()
        let eleven = (0..<11).map { bytes("\($0)") }
        var request = ByteBuffer(bytes: multibulk(eleven))
        #expect(try anonymous.decode(buffer: &request) == RESPCommand(bytes: eleven))
    }

    /// Every way of cutting a pipeline in two and three pieces (with the read buffer
    /// compacted between pieces, as a channel handler may do) frames the same requests.
    @Test func everyTwoAndThreeWaySplitOfAPipeline() throws {
        let input = multibulk("SET", "k\r\n", "") + bytes("*0\r\nget \"k\\r\\n\"\r\n\n") + multibulk("PING")
        let expected: [RESPCommand] = [RESPCommand("SET", "k\r\n", ""), RESPCommand("get", "k\r\n"), RESPCommand("PING")]
        func run(_ cuts: [Int]) throws -> [RESPCommand] {
            var decoder = RESPRequestDecoder()
            var buffer = ByteBuffer()
            var output: [RESPCommand] = []
            var start = 0
            for end in cuts + [input.count] {
                buffer.writeBytes(input[start..<end])
                start = end
                while let command = try decoder.decode(buffer: &buffer) { output.append(command) }
                buffer.discardReadBytes()
            }
            return output
        }
        for first in 0...input.count {
            #expect(try run([first]) == expected, "cut at \(first)")
            for second in first...input.count {
                #expect(try run([first, second]) == expected, "cuts at \(first), \(second)")
            }
        }
    }
}
