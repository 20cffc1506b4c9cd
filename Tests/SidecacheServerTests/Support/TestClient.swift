import NIOCore
import NIOPosix
import NIOSSL
import SidecacheRESP
import Synchronization

struct TestClientError: Error, CustomStringConvertible {
    let description: String
}

/// Collects what the server sends, and whether it closed the connection.
final class InboxHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    struct State {
        var buffer = ByteBuffer()
        var closed = false
    }

    let state = Mutex(State())

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        state.withLock { _ = $0.buffer.writeBuffer(&incoming) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.withLock { $0.closed = true }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A small RESP client over a real TCP socket. Reads never wait longer than `timeout`.
final class TestClient: Sendable {
    let channel: any Channel
    let inbox: InboxHandler
    let parser = RESPReplyParser()

    private init(channel: any Channel, inbox: InboxHandler) {
        self.channel = channel
        self.inbox = inbox
    }

    /// With `tls`, the connection starts with a TLS handshake (verified against `serverHostname`,
    /// else the address connected to).
    static func connect(
        host: String = "127.0.0.1", port: Int, tls: NIOSSLContext? = nil, serverHostname: String? = nil
    ) async throws -> TestClient {
        let inbox = InboxHandler()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(inbox)
                }
            }
            .connect(host: host, port: port)
            .get()
        return TestClient(channel: channel, inbox: inbox)
    }

    /// Writes raw bytes as they are, in one write.
    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    static func encode(_ arguments: [String]) -> [UInt8] {
        var out = "*\(arguments.count)\r\n"
        for argument in arguments {
            out += "$\(argument.utf8.count)\r\n\(argument)\r\n"
        }
        return Array(out.utf8)
    }

    /// Sends one multibulk request and reads its reply.
    func command(_ arguments: [String]) async throws -> RESPValue {
        try await send(Self.encode(arguments))
        return try await readReply()
    }

    func command(_ arguments: String...) async throws -> RESPValue {
        try await command(arguments)
    }

    /// The next whole reply; throws when the server closed first or after `timeout`.
    func readReply(timeout: Duration = .seconds(5)) async throws -> RESPValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (value, closed): (RESPValue?, Bool) = try inbox.state.withLock { state in
                do {
                    return (try parser.next(from: &state.buffer), state.closed)
                } catch {
                    throw TestClientError(description: "unparsable reply: \(error)")
                }
            }
            if let value { return value }
            if closed { throw TestClientError(description: "server closed the connection") }
            if ContinuousClock.now >= deadline { throw TestClientError(description: "no reply within \(timeout)") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// `n` replies in order.
    func readReplies(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [RESPValue] {
        var replies: [RESPValue] = []
        replies.reserveCapacity(count)
        for _ in 0..<count { replies.append(try await readReply(timeout: timeout)) }
        return replies
    }

    /// Bytes received but not parsed yet.
    var pendingBytes: Int { inbox.state.withLock { $0.buffer.readableBytes } }

    /// Waits until the server has closed the connection; `false` after `timeout`.
    func waitForClose(timeout: Duration = .seconds(5)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if inbox.state.withLock({ $0.closed }) { return true }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    var isClosed: Bool { inbox.state.withLock { $0.closed } }

    func close() async {
        try? await channel.close()
    }
}

extension RESPValue {
    /// A short rendering for failure messages.
    var debugText: String {
        switch self {
        case .simpleString(let b): "+" + String(buffer: b)
        case .simpleError(let b): "-" + String(buffer: b)
        case .integer(let i): ":\(i)"
        case .bulkString(nil): "$-1"
        case .bulkString(.some(let b)): "$\"" + String(buffer: b) + "\""
        case .array(nil): "*-1"
        case .array(.some(let a)): "[" + a.map(\.debugText).joined(separator: ", ") + "]"
        case .null: "_"
        case .double(let d): ",\(d)"
        case .boolean(let b): "#\(b)"
        case .bigNumber(let b): "(" + String(buffer: b)
        case .blobError(let b): "!" + String(buffer: b)
        case .verbatimString(let f, let t): "=\(String(buffer: f)):\(String(buffer: t))"
        case .map(let a): "%{" + a.map(\.debugText).joined(separator: ", ") + "}"
        case .set(let a): "~{" + a.map(\.debugText).joined(separator: ", ") + "}"
        case .attribute(let a, let v): "|{" + a.map(\.debugText).joined(separator: ", ") + "} " + v.debugText
        case .push(let a): ">[" + a.map(\.debugText).joined(separator: ", ") + "]"
        }
    }
}
