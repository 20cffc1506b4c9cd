public import NIOCore

/// A request with its arguments as byte buffers, for pipelines that want one message per
/// request (tools, tests, the upstream side). The server's own handler uses
/// `RESPRequestParser` directly, without the per-request array this type costs.
public struct RESPCommand: Sendable, Equatable {
    public var arguments: [ByteBuffer]

    public init(arguments: [ByteBuffer]) {
        self.arguments = arguments
    }
}

/// `ByteToMessageDecoder` over `RESPRequestParser`; a broken request is a thrown
/// `RESPProtocolError`.
public struct RESPRequestDecoder: ByteToMessageDecoder {
    public typealias InboundOut = RESPCommand

    private var parser: RESPRequestParser
    private var frame = RESPCommandFrame()

    public init(limits: RESPLimits = RESPLimits()) {
        self.parser = RESPRequestParser(limits: limits)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let command = try decode(buffer: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(command))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// Frames one request, copying its arguments out of the read buffer.
    public mutating func decode(buffer: inout ByteBuffer) throws(RESPProtocolError) -> RESPCommand? {
        guard try parser.next(from: &buffer, into: &frame) else { return nil }
        var arguments: [ByteBuffer] = []
        arguments.reserveCapacity(frame.count)
        for index in 0..<frame.count {
            arguments.append(ByteBuffer(bytes: frame.bytes(index)))
        }
        frame.reset()
        return RESPCommand(arguments: arguments)
    }
}
