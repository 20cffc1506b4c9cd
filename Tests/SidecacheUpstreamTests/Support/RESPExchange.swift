import NIOCore
import NIOPosix
import SidecacheRESP

/// Pipelined request/reply exchanges over one loopback connection: every request written at
/// once, then as many replies read, within a deadline.
enum RESPExchange {
    static func encode(_ requests: [[[UInt8]]]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(requests.reduce(0) { $0 + 16 + $1.reduce(0) { $0 + $1.count + 16 } })
        for request in requests {
            buffer.writeString("*\(request.count)\r\n")
            for argument in request {
                buffer.writeString("$\(argument.count)\r\n")
                buffer.writeBytes(argument)
                buffer.writeString("\r\n")
            }
        }
        return buffer
    }

    /// Sends `requests` pipelined on a new connection to `port` and returns their replies in order.
    static func run(port: Int, _ requests: [[[UInt8]]], timeout: Duration = .seconds(10)) async throws -> [RESPValue] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(2))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: [RESPValue].self) { group in
                group.addTask {
                    try await outbound.write(encode(requests))
                    let parser = RESPReplyParser()
                    var pending = ByteBuffer()
                    var replies: [RESPValue] = []
                    replies.reserveCapacity(requests.count)
                    for try await var chunk in inbound {
                        pending.writeBuffer(&chunk)
                        while replies.count < requests.count, let reply = try parser.next(from: &pending) {
                            replies.append(reply)
                        }
                        if replies.count == requests.count { return replies }
                    }
                    throw TestFailure("port \(port) closed after \(replies.count) of \(requests.count) replies")
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw TestFailure("port \(port): no \(requests.count) replies within \(timeout)")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        }
    }

    /// Sends one request and returns its reply.
    static func command(port: Int, _ arguments: String..., timeout: Duration = .seconds(5)) async throws -> RESPValue {
        try await run(port: port, [arguments.map { Array($0.utf8) }], timeout: timeout)[0]
    }
}
