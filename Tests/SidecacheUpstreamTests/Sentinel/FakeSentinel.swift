import NIOCore
import NIOPosix
import SidecacheRESP
import SidecacheUpstream
import Synchronization

/// A stand-in sentinel on a loopback port that names whatever primary the test tells it to,
/// accepts subscriptions and never publishes: for the monitor's paths that a real sentinel
/// cannot be made to take on demand (a missed `+switch-master`, a sentinel with a stale view).
final class FakeSentinel: Sendable {
    let port: Int
    private let channel: any Channel
    private let state: State

    final class State: Sendable {
        let named: Mutex<UpstreamAddress?>
        init(_ named: UpstreamAddress?) { self.named = Mutex(named) }
    }

    private init(port: Int, channel: any Channel, state: State) {
        self.port = port
        self.channel = channel
        self.state = state
    }

    var address: UpstreamAddress { UpstreamAddress(host: "127.0.0.1", port: port) }

    static func start(naming primary: UpstreamAddress?) async throws -> FakeSentinel {
        let state = State(primary)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FakeSentinelHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakeSentinel(port: channel.localAddress?.port ?? 0, channel: channel, state: state)
    }

    /// From now on the sentinel names `primary` (`nil`: a master name it does not know).
    func name(_ primary: UpstreamAddress?) {
        state.named.withLock { $0 = primary }
    }

    func stop() async {
        try? await channel.close()
    }
}

private final class FakeSentinelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: FakeSentinel.State
    private var buffer = ByteBuffer()
    private let parser = RESPReplyParser()

    init(state: FakeSentinel.State) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        var out = context.channel.allocator.buffer(capacity: 64)
        while let request = try? parser.next(from: &buffer) {
            guard case .array(let items?) = request else { return context.close(promise: nil) }
            let words = items.map { $0.text ?? "" }
            switch words.first?.uppercased() {
            case "SENTINEL":
                if let named = state.named.withLock({ $0 }) {
                    out.writeString("*2\r\n$\(named.host.utf8.count)\r\n\(named.host)\r\n$\(String(named.port).count)\r\n\(named.port)\r\n")
                } else {
                    out.writeString("*-1\r\n")
                }
            case "SUBSCRIBE":
                let channel = words.count > 1 ? words[1] : ""
                out.writeString("*3\r\n$9\r\nsubscribe\r\n$\(channel.utf8.count)\r\n\(channel)\r\n:1\r\n")
            case "PING":
                out.writeString("*2\r\n$4\r\npong\r\n$0\r\n\r\n")
            default:
                out.writeString("+OK\r\n")
            }
        }
        context.writeAndFlush(NIOAny(out), promise: nil)
    }
}
