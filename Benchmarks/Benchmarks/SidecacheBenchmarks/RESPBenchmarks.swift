import Benchmark
import NIOCore
import SidecacheRESP

/// Requests as clients send them, one per benchmark: what `RESPRequestParser` frames per command.
let sampleRequests: [(name: String, arguments: [String])] = [
    ("GET", ["GET", "key:0000001"]),
    ("SET", ["SET", "key:0000001", String(repeating: "v", count: 32)]),
    ("INCR", ["INCR", "counter:0000001"]),
    ("MSET10", ["MSET"] + (0..<10).flatMap { ["key:\($0)", String(repeating: "v", count: 32)] }),
    ("SET16KiB", ["SET", "key:0000001", String(repeating: "v", count: 16 * 1024)]),
]

/// The RESP2 multibulk encoding of `arguments`, `copies` times in one buffer (a pipeline).
func multibulk(_ arguments: [String], copies: Int) -> ByteBuffer {
    var buffer = ByteBuffer()
    for _ in 0..<copies {
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.utf8.count)\r\n\(argument)\r\n")
        }
    }
    return buffer
}

func registerRESPBenchmarks() {
    // Parsing: a buffer of 1,000 pipelined copies of the request, framed one by one into a
    // reused frame, as a connection's read handler does.
    for request in sampleRequests {
        Benchmark("RESPParse.\(request.name)") { benchmark in
            var buffer = multibulk(request.arguments, copies: benchmark.scaledIterations.count)
            var parser = RESPRequestParser()
            var frame = RESPCommandFrame()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let complete = try parser.next(from: &buffer, into: &frame)
                precondition(complete, "incomplete request")
            }
            benchmark.stopMeasurement()
            blackHole(frame.count)
        }
    }
    Benchmark("RESPParse.inlinePING") { benchmark in
        var buffer = ByteBuffer(string: String(repeating: "PING\r\n", count: benchmark.scaledIterations.count))
        var parser = RESPRequestParser()
        var frame = RESPCommandFrame()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let complete = try parser.next(from: &buffer, into: &frame)
            precondition(complete, "incomplete request")
        }
        benchmark.stopMeasurement()
        blackHole(frame.count)
    }

    // Encoding: the replies of the benchmarked commands into a reused output buffer.
    let value = [UInt8](repeating: UInt8(ascii: "v"), count: 32)
    encodingBenchmark("RESPEncode.OK") { $0.writeRESPSimpleString("OK") }
    encodingBenchmark("RESPEncode.integer") { $0.writeRESPInteger(1_234_567) }
    encodingBenchmark("RESPEncode.bulk32") { buffer in
        value.withUnsafeBytes { buffer.writeRESPBulkString($0) }
    }
    encodingBenchmark("RESPEncode.null") { $0.writeRESPNull(.resp2) }
    encodingBenchmark("RESPEncode.MGETReply10") { buffer in
        buffer.writeRESPArrayHeader(10)
        value.withUnsafeBytes { bytes in
            for _ in 0..<10 { buffer.writeRESPBulkString(bytes) }
        }
    }
}

/// Encodes one reply per scaled iteration into a buffer allocated (1 MiB) before the measurement.
private func encodingBenchmark(_ name: String, _ encode: @escaping @Sendable (inout ByteBuffer) -> Void) {
    Benchmark(name) { benchmark in
        var buffer = ByteBufferAllocator().buffer(capacity: 1 << 20)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            encode(&buffer)
        }
        benchmark.stopMeasurement()
        blackHole(buffer.readableBytes)
    }
}
