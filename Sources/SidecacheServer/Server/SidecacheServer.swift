public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
public import ServiceLifecycle
public import SidecacheConfig
import Synchronization

/// The RESP listener as a service: binds every configured address, serves until a graceful
/// shutdown (SIGTERM/SIGINT through the service group), then stops accepting, lets every
/// session write the replies it owes, and closes.
public final class SidecacheServer: Service, Sendable {
    let context: ServerContext
    private let group: MultiThreadedEventLoopGroup
    private let listeners = Mutex<[any Channel]>([])
    private let bound = Mutex<[SocketAddress]>([])
    private let boundTLS = Mutex<[SocketAddress]>([])
    private let cron = Mutex<RepeatedTask?>(nil)

    public init(
        configuration: SidecacheConfiguration,
        configFile: String = "",
        logger: Logger,
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton
    ) {
        self.context = ServerContext(
            configuration: configuration, configFile: configFile, logger: logger, upstreamEventLoop: eventLoopGroup.next()
        )
        self.group = eventLoopGroup
    }

    /// The addresses the plain listeners are bound to, once `start()` has returned.
    public var boundAddresses: [SocketAddress] { bound.withLock { $0 } }
    /// The addresses the TLS listeners are bound to, once `start()` has returned.
    public var boundTLSAddresses: [SocketAddress] { boundTLS.withLock { $0 } }

    /// Binds the listeners: the plain RESP listener on `server.port` and, when `tls.port` is set,
    /// the TLS one, on every `bind` address. With a TLS port, `server.port: 0` leaves the plain
    /// listener out, as Redis's `port 0` does. Throws when an address cannot be bound, a TLS
    /// file cannot be loaded, or command renames or ACL users of the configuration cannot be
    /// applied (`SecurityConfigurationError`).
    public func start() async throws {
        guard context.startupProblems.isEmpty else {
            throw SecurityConfigurationError(problems: context.startupProblems)
        }
        let config = context.config
        if let problem = context.tls.problem { throw problem }
        var channels: [any Channel] = []
        var tlsChannels: [any Channel] = []
        do {
            for host in config.server.bind {
                let address = host == "*" ? "0.0.0.0" : host == "localhost" ? "127.0.0.1" : host
                if !(config.tls.isListening && config.server.port == 0) {
                    channels.append(try await bootstrap(tls: nil).bind(host: address, port: config.server.port).get())
                }
                if let port = config.tls.port, let tls = context.tls.listener {
                    tlsChannels.append(try await bootstrap(tls: tls).bind(host: address, port: port).get())
                }
            }
        } catch {
            for channel in channels + tlsChannels { try? await channel.close() }
            throw error
        }
        listeners.withLock { $0 = channels + tlsChannels }
        bound.withLock { $0 = channels.compactMap(\.localAddress) }
        boundTLS.withLock { $0 = tlsChannels.compactMap(\.localAddress) }
        context.boundPort.store(channels.first?.localAddress?.port ?? config.server.port, ordering: .relaxed)
        startCron(hz: config.server.hz)
        if let upstream = context.upstream {
            upstream.startHealthChecks(on: group.next())
            switch context.router?.topology {
            case .sentinel(let primary): primary.start(on: group.next(), upstream: upstream, logger: context.logger)
            case .cluster(let cluster): cluster.start(on: group.next(), group: upstream, logger: context.logger)
            default: break
            }
            if let cache = context.cache, let router = context.router {
                cache.start(upstream: upstream, router: router, on: group.next())
            }
        }
        var listening: Logger.Metadata = ["addresses": "\(channels.compactMap(\.localAddress).map { "\($0)" }.joined(separator: ", "))"]
        if !tlsChannels.isEmpty {
            listening["tls_addresses"] = "\(tlsChannels.compactMap(\.localAddress).map { "\($0)" }.joined(separator: ", "))"
        }
        context.logger.info("listening", metadata: listening)
    }

    /// The listener bootstrap; with `tls`, every connection starts with a TLS handshake.
    private func bootstrap(tls: NIOSSLContext?) -> ServerBootstrap {
        let keepalive = context.config.server.tcpKeepaliveSeconds
        let context = self.context
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 511)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: keepalive > 0 ? 1 : 0)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if keepalive > 0 {
                        try channel.syncOptions?.setOption(
                            ChannelOptions.Types.SocketOption(
                                level: TCPKeepalive.tcpLevel,
                                name: TCPKeepalive.idleOption
                            ),
                            value: .init(keepalive)
                        )
                    }
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(RESPSessionHandler(server: context))
                }
            }
    }

    /// Redis's `serverCron` share of the keyspace: `hz` times a second, the active expiry
    /// cycle and the hash tables' resizing and rehashing.
    private func startCron(hz: Int) {
        let context = self.context
        let period = TimeAmount.nanoseconds(1_000_000_000 / Int64(max(1, hz)))
        let task = group.next().scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            let hz = context.config.server.hz
            // As in Redis, keys do not expire actively while clients are paused.
            if !context.clientPause.isActive { context.keyspace.activeExpireCycle(hz: hz) }
            context.keyspace.databasesCron()
            context.clientsCron()
        }
        cron.withLock { $0 = task }
    }

    /// Stops accepting, has every session finish its replies and close, and waits for that
    /// (at most `grace`).
    public func shutdown(grace: Duration = .seconds(5)) async {
        let channels = listeners.withLock { channels in
            defer { channels = [] }
            return channels
        }
        for channel in channels { try? await channel.close() }
        cron.withLock { task in
            task?.cancel()
            task = nil
        }
        let clients = context.clients.all
        for client in clients {
            client.channel.pipeline.fireUserInboundEventTriggered(RESPSessionHandler.ShutdownEvent())
        }
        let deadline = ContinuousClock.now + grace
        while context.clients.count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for client in context.clients.all { try? await client.channel.close() }
        context.subscriptionBridge?.stop()
        context.cache?.stop()
        switch context.router?.topology {
        case .sentinel(let primary): await primary.stop()
        case .cluster(let cluster): cluster.stop()
        default: break
        }
        await context.upstream?.shutdown()
    }

    /// Serves until graceful shutdown, then drains. Binds first unless `start()` was already
    /// called (the executable calls it itself, to exit with status 1 when it cannot bind).
    public func run() async throws {
        if listeners.withLock({ $0.isEmpty }) { try await start() }
        try? await gracefulShutdown()
        context.logger.info("shutting down: finishing replies and closing connections")
        await shutdown()
    }
}
