public import NIOCore

extension ByteBuffer {
    /// `frame` as a RESP request: an array of bulk strings, whatever form (inline or multibulk)
    /// it arrived in.
    @inlinable
    public mutating func writeRESPRequest(_ frame: RESPCommandFrame) {
        writeRESPArrayHeader(frame.count)
        for index in 0..<frame.count {
            frame.withArgument(index) { writeRESPBulkString($0) }
        }
    }

    /// A request built from text arguments (handshakes, health checks, never client data).
    public mutating func writeRESPRequest(_ arguments: [String]) {
        writeRESPArrayHeader(arguments.count)
        for argument in arguments { writeRESPBulkString(argument) }
    }
}
