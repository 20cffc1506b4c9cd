import NIOCore
import Testing

@testable import SidecacheRESP

/// `RESPRequestParser` resumes a partial request where it stopped, and its offsets are
/// relative to the reader index, so the caller may compact the buffer in between.
@Suite("Resumable request parser")
struct RequestParserResumeTests {
    /// 5,000 arguments of random bytes (CR and LF included), as one multibulk.
    private static func largeRequest(seed: UInt64) -> (arguments: [[UInt8]], wire: [UInt8]) {
        var rng = SeededGenerator(seed: seed)
        let arguments = (0..<5000).map { index -> [UInt8] in
            index == 0 ? bytes("RPUSH") : randomBytes(Int.random(in: 0...24, using: &rng), using: &rng)
        }
        return (arguments, multibulk(arguments))
    }

    /// Feeds `wire` in chunks of the given sizes (cycled), calling `next` after each chunk,
    /// optionally compacting the buffer while the request is partial.
    private static func feed(
        _ wire: [UInt8],
        chunkSizes: [Int],
        compact: Bool,
        trailing: [UInt8] = []
    ) throws -> (requests: [[[UInt8]]], partialCalls: Int) {
        var parser = RESPRequestParser()
        var frame = RESPCommandFrame()
        var buffer = ByteBuffer()
        var requests: [[[UInt8]]] = []
        var partialCalls = 0
        var position = 0
        var chunk = 0
        let all = wire + trailing
        while position < all.count {
            let size = Swift.min(chunkSizes[chunk % chunkSizes.count], all.count - position)
            chunk += 1
            buffer.writeBytes(all[position..<(position + size)])
            position += size
            while try parser.next(from: &buffer, into: &frame) {
                requests.append(frame.arguments)
                frame.reset()
            }
            if parser.isInsideRequest {
                partialCalls += 1
                // Nothing of a partial request is consumed.
                #expect(buffer.readableBytes > 0)
            }
            if compact {
                buffer.discardReadBytes()
                #expect(buffer.readerIndex == 0)
            }
        }
        return (requests, partialCalls)
    }

    @Test(arguments: [
        [1], [2], [7], [64], [1000], [16 * 1024], [3, 1, 400, 17, 2, 9000],
    ])
    func largeMultibulkChunkByChunk(chunkSizes: [Int]) throws {
        let seed = testSeed(default: 0x5EED_0001)
        let (arguments, wire) = Self.largeRequest(seed: seed)
        for compact in [false, true] {
            let result = try Self.feed(wire, chunkSizes: chunkSizes, compact: compact, trailing: multibulk("PING"))
            #expect(result.requests.count == 2, "seed \(seed), compact \(compact)")
            #expect(result.requests.first == arguments, "seed \(seed), chunks \(chunkSizes), compact \(compact)")
            #expect(result.requests.last == [bytes("PING")])
            if chunkSizes.max()! < wire.count {
                #expect(result.partialCalls > 0)
            }
        }
    }

    /// The frame of a completed request borrows the buffer as it was when the request
    /// completed; compacting the caller's buffer afterwards does not disturb its arguments.
    @Test func compactingBetweenPartialCallsKeepsArgumentsAligned() throws {
        var parser = RESPRequestParser()
        var frame = RESPCommandFrame()
        // Some consumed bytes in front, so that the reader index is not 0 at first.
        var buffer = ByteBuffer(bytes: multibulk("GET", "first"))
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(frame.arguments == [bytes("GET"), bytes("first")])
        frame.reset()
        let wire = multibulk("MSET", "alpha", "1", "beta", "22")
        buffer.writeBytes(wire[0..<20])
        #expect(try !parser.next(from: &buffer, into: &frame))
        #expect(parser.isInsideRequest)
        #expect(buffer.readerIndex > 0)
        buffer.discardReadBytes()
        #expect(buffer.readerIndex == 0)
        buffer.writeBytes(wire[20..<33])
        #expect(try !parser.next(from: &buffer, into: &frame))
        buffer.discardReadBytes()
        buffer.writeBytes(wire[33...])
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(frame.arguments == [bytes("MSET"), bytes("alpha"), bytes("1"), bytes("beta"), bytes("22")])
        #expect(frame.string(1) == "alpha")
        #expect(frame[3] == ByteBuffer(string: "beta"))
        #expect(!parser.isInsideRequest)
        #expect(buffer.readableBytes == 0)
    }

    /// Every cut of a small pipeline into two pieces, with and without compaction, frames the
    /// same requests through the parser itself (the decoder copies, the parser borrows).
    @Test func everySplitWithCompaction() throws {
        let input = bytes("*0\r\n") + multibulk("SET", "a\r\nb", "") + bytes("  echo \"x\\ty\" 'z'\r\n\r\n")
            + multibulk("GET", "a\r\nb") + bytes("PING\n")
        let expected = [
            [bytes("SET"), bytes("a\r\nb"), []], [bytes("echo"), bytes("x\ty"), bytes("z")],
            [bytes("GET"), bytes("a\r\nb")], [bytes("PING")],
        ]
        for cut in 0...input.count {
            for compact in [false, true] {
                let result = try Self.feed(input, chunkSizes: [cut == 0 ? input.count : cut, input.count], compact: compact)
                #expect(result.requests == expected, "cut \(cut), compact \(compact)")
            }
        }
    }

    /// A request whose header has arrived but whose arguments have not keeps the parser
    /// inside the request; a skipped request leaves it outside.
    @Test func insideRequestState() throws {
        var parser = RESPRequestParser()
        var frame = RESPCommandFrame()
        var buffer = ByteBuffer(string: "*2\r\n$3\r\nGET\r\n")
        #expect(try !parser.next(from: &buffer, into: &frame))
        #expect(parser.isInsideRequest)
        buffer.writeString("$1\r\nk")
        #expect(try !parser.next(from: &buffer, into: &frame))
        buffer.writeString("\r")
        #expect(try !parser.next(from: &buffer, into: &frame))
        buffer.writeString("\n")
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(frame.arguments == [bytes("GET"), bytes("k")])
        #expect(!parser.isInsideRequest)

        var skipped = ByteBuffer(string: "*0\r\n*-1\r\n")
        #expect(try !parser.next(from: &skipped, into: &frame))
        #expect(!parser.isInsideRequest)
        #expect(skipped.readableBytes == 0)
    }

    /// An inline request's arguments live in the parser's scratch space; the next inline
    /// request must not change a frame the caller still holds a copy of.
    @Test func inlineFrameCopyIsStable() throws {
        var parser = RESPRequestParser()
        var frame = RESPCommandFrame()
        var buffer = ByteBuffer(string: "set \"a\\x41\" b\r\nget zzzzzz\r\n")
        #expect(try parser.next(from: &buffer, into: &frame))
        let kept = frame
        #expect(try parser.next(from: &buffer, into: &frame))
        #expect(kept.arguments == [bytes("set"), bytes("aA"), bytes("b")])
        #expect(frame.arguments == [bytes("get"), bytes("zzzzzz")])
    }
}
