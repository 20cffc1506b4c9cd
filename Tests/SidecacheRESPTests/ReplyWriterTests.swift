import NIOCore
import Testing

@testable import SidecacheRESP

/// The `ByteBuffer` reply writers, byte for byte.
@Suite("Reply writers")
struct ReplyWriterTests {
    private func written(_ body: (inout ByteBuffer) -> Void) -> String {
        var buffer = ByteBuffer()
        body(&buffer)
        return String(buffer: buffer)
    }

    @Test func simpleRepliesAndErrors() {
        #expect(written { $0.writeRESPSimpleString("OK") } == "+OK\r\n")
        #expect(written { $0.writeRESPSimpleString(bytes: bytes("a\r\nb")) } == "+a  b\r\n")
        #expect(written { $0.writeRESPError("ERR bad\ninput\r") } == "-ERR bad input \r\n")
        #expect(written { $0.writeRESPInteger(0) } == ":0\r\n")
        #expect(written { $0.writeRESPInteger(-12) } == ":-12\r\n")
        #expect(written { $0.writeRESPInteger(Int.max) } == ":9223372036854775807\r\n")
    }

    @Test func bulkStrings() {
        #expect(written { $0.writeRESPBulkString("héllo") } == "$6\r\nhéllo\r\n")
        #expect(written { $0.writeRESPBulkString("") } == "$0\r\n\r\n")
        #expect(written { $0.writeRESPBulkString(bytes("a\r\n")) } == "$3\r\na\r\n\r\n")
        #expect(written { buffer in bytes("raw").withUnsafeBytes { buffer.writeRESPBulkString($0) } } == "$3\r\nraw\r\n")
        var slice = ByteBuffer(string: "xxpayload")
        slice.moveReaderIndex(forwardBy: 2)
        #expect(written { $0.writeRESPBulkString(buffer: slice) } == "$7\r\npayload\r\n")
        #expect(written { $0.writeRESPBulkString(decimal: 0) } == "$1\r\n0\r\n")
        #expect(written { $0.writeRESPBulkString(decimal: -1234) } == "$5\r\n-1234\r\n")
        #expect(written { $0.writeRESPBulkString(decimal: .min) } == "$20\r\n-9223372036854775808\r\n")
        #expect(written { $0.writeRESPBulkHeader(12) } == "$12\r\n")
    }

    @Test func nullsAndAggregateHeaders() {
        #expect(written { $0.writeRESPNull(.resp2) } == "$-1\r\n")
        #expect(written { $0.writeRESPNull(.resp3) } == "_\r\n")
        #expect(written { $0.writeRESPNullArray(.resp2) } == "*-1\r\n")
        #expect(written { $0.writeRESPNullArray(.resp3) } == "_\r\n")
        #expect(written { $0.writeRESPArrayHeader(3) } == "*3\r\n")
        #expect(written { $0.writeRESPMapHeader(2, .resp2) } == "*4\r\n")
        #expect(written { $0.writeRESPMapHeader(2, .resp3) } == "%2\r\n")
        #expect(written { $0.writeRESPSetHeader(5, .resp2) } == "*5\r\n")
        #expect(written { $0.writeRESPSetHeader(5, .resp3) } == "~5\r\n")
        #expect(written { $0.writeRESPPushHeader(3, .resp2) } == "*3\r\n")
        #expect(written { $0.writeRESPPushHeader(3, .resp3) } == ">3\r\n")
        #expect(written { $0.writeRESPAttributeHeader(1) } == "|1\r\n")
    }

    @Test func resp3Scalars() {
        #expect(written { $0.writeRESPDouble(1.1, .resp2) } == "$18\r\n1.1000000000000001\r\n")
        #expect(written { $0.writeRESPDouble(1.1, .resp3) } == ",1.1000000000000001\r\n")
        #expect(written { $0.writeRESPDouble(-.infinity, .resp2) } == "$4\r\n-inf\r\n")
        #expect(written { $0.writeRESPBoolean(true, .resp2) } == ":1\r\n")
        #expect(written { $0.writeRESPBoolean(false, .resp3) } == "#f\r\n")
        #expect(written { $0.writeRESPBigNumber(bytes("-123"), .resp2) } == "$4\r\n-123\r\n")
        #expect(written { $0.writeRESPBigNumber(bytes("-123"), .resp3) } == "(-123\r\n")
        #expect(written { $0.writeRESPVerbatimString(bytes("text"), .resp3) } == "=8\r\ntxt:text\r\n")
        #expect(written { $0.writeRESPVerbatimString(bytes("# h"), format: "mkd", .resp3) } == "=7\r\nmkd:# h\r\n")
        #expect(written { $0.writeRESPVerbatimString(bytes("text"), .resp2) } == "$4\r\ntext\r\n")
        #expect(written { $0.writeRESPBlobError(bytes("ERR a\r\nb"), .resp3) } == "!8\r\nERR a\r\nb\r\n")
        #expect(written { $0.writeRESPBlobError(bytes("ERR a\r\nb"), .resp2) } == "-ERR a  b\r\n")
    }

    @Test func redisDoubleFormat() {
        #expect(RedisDouble.format(1.1) == bytes("1.1000000000000001"))
        #expect(RedisDouble.format(0.1) == bytes("0.10000000000000001"))
        #expect(RedisDouble.format(1.0 / 3.0) == bytes("0.33333333333333331"))
        #expect(RedisDouble.format(.greatestFiniteMagnitude) == bytes("1.7976931348623157e+308"))
        #expect(RedisDouble.format(-2.5) == bytes("-2.5"))
        #expect(RedisDouble.format(.infinity) == bytes("inf"))
        #expect(RedisDouble.format(-.infinity) == bytes("-inf"))
        // %.17g round-trips every finite double.
        var rng = SeededGenerator(seed: testSeed(default: 0xD0_0B1E))
        for _ in 0..<2000 {
            let value = Double(bitPattern: rng.next())
            guard value.isFinite else { continue }
            let text = String(decoding: RedisDouble.format(value), as: UTF8.self)
            #expect(Double(text) == value, "\(value) formatted as \(text)")
        }
    }
}
