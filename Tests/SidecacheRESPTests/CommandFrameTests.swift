import NIOCore
import Testing

@testable import SidecacheRESP

@Suite("RESPCommandFrame")
struct CommandFrameTests {
    @Test func initFromStrings() {
        let frame = RESPCommandFrame(strings: ["SET", "key", "", "välue"])
        #expect(frame.count == 4)
        #expect(!frame.isEmpty)
        #expect(frame.arguments == [bytes("SET"), bytes("key"), [], bytes("välue")])
        #expect(frame.string(3) == "välue")
        #expect(frame.length(3) == 6)
        #expect(frame.length(2) == 0)
        #expect(frame.bytes(2) == [])
        #expect(frame[1] == ByteBuffer(string: "key"))
        #expect(frame[2].readableBytes == 0)
        #expect(RESPCommandFrame().isEmpty)
        #expect(RESPCommandFrame(strings: []).count == 0)
    }

    @Test func initFromByteArrays() {
        let frame = RESPCommandFrame([[0xFF, 0x00], [UInt8](), bytes("x")])
        #expect(frame.arguments == [[0xFF, 0x00], [], bytes("x")])
        #expect(frame.string(0) == "\u{FFFD}\u{0}")
    }

    @Test func caseInsensitiveComparison() {
        let frame = RESPCommandFrame(strings: ["GeT", "EX", "ex", "e", "", "get1", "[et"])
        #expect(frame.argument(0, equalsCaseInsensitive: "get"))
        #expect(frame.argument(1, equalsCaseInsensitive: "ex"))
        #expect(frame.argument(2, equalsCaseInsensitive: "ex"))
        #expect(!frame.argument(3, equalsCaseInsensitive: "ex"))
        #expect(frame.argument(4, equalsCaseInsensitive: ""))
        #expect(!frame.argument(4, equalsCaseInsensitive: "x"))
        #expect(!frame.argument(5, equalsCaseInsensitive: "get"))
        #expect(!frame.argument(0, equalsCaseInsensitive: "set"))
        // '[' is 'Z' + 1 and '{' is 'z' + 1: neither is a letter.
        #expect(!frame.argument(6, equalsCaseInsensitive: "{et"))
        // Out of range is false, not a trap.
        #expect(!frame.argument(7, equalsCaseInsensitive: "get"))
        #expect(!frame.argument(100, equalsCaseInsensitive: "get"))
    }

    @Test func integers() {
        let frame = RESPCommandFrame(strings: ["10", "-9223372036854775808", "+1", "007", "", "1e3", "0", "9223372036854775808"])
        #expect(frame.integer(0) == 10)
        #expect(frame.integer(1) == .min)
        #expect(frame.integer(2) == nil)
        #expect(frame.integer(3) == nil)
        #expect(frame.integer(4) == nil)
        #expect(frame.integer(5) == nil)
        #expect(frame.integer(6) == 0)
        #expect(frame.integer(7) == nil)
    }

    /// Frames filled by the parser read their arguments relative to the borrowed buffer's
    /// reader index, including after earlier requests in the same buffer.
    @Test func parsedFrameHelpers() throws {
        var parser = RESPRequestParser()
        var frame = RESPCommandFrame()
        var buffer = ByteBuffer(bytes: multibulk("PING") + multibulk("Set", "k", "-12") + bytes("incrBY k 5\r\n"))
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(frame.argument(0, equalsCaseInsensitive: "set"))
        #expect(frame.string(1) == "k")
        #expect(frame.integer(2) == -12)
        #expect(frame[2] == ByteBuffer(string: "-12"))
        #expect(frame.withArgument(1) { Array($0) } == bytes("k"))
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(frame.argument(0, equalsCaseInsensitive: "incrby"))
        #expect(frame.integer(2) == 5)
        #expect(frame[1] == ByteBuffer(string: "k"))
        #expect(frame.count == 3)
    }

    @Test func resetForgetsArguments() {
        var frame = RESPCommandFrame(strings: ["a", "b"])
        frame.reset()
        #expect(frame.isEmpty)
        #expect(frame.storage.readableBytes == 0)
    }

    @Test func asciiHelpers() {
        for byte in UInt8.min...UInt8.max {
            let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
            #expect(ASCII.lowercased(byte) == (isUpper ? byte + 32 : byte))
            let expectedHex: UInt8? = switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 55
            default: nil
            }
            #expect(ASCII.hexValue(byte) == expectedHex)
            #expect(ASCII.isHexDigit(byte) == (expectedHex != nil))
            // C's isspace in the C locale.
            #expect(ASCII.isSpace(byte) == [9, 10, 11, 12, 13, 32].contains(byte))
        }
    }
}
