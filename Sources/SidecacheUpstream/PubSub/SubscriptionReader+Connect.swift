public import NIOCore
import NIOPosix
import SidecacheRESP

extension SubscriptionReader {
    /// Opens a connection to `address` (TLS when `settings` say so) whose every reply and push
    /// goes to `onValue`, parsed: the connections that listen rather than ask (subscriptions,
    /// invalidations). `onValue` runs on `eventLoop`.
    static func connect(
        to address: UpstreamAddress,
        settings: UpstreamConnectionSettings,
        on eventLoop: any EventLoop,
        onValue: @escaping (RESPValue) -> Void
    ) -> EventLoopFuture<any Channel> {
        let onValue = NIOLoopBound(onValue, eventLoop: eventLoop)
        return ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.milliseconds(Int64(settings.connectTimeoutMilliseconds)))
            .channelInitializer { [tls = settings.tls, limits = settings.replyLimits] channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addClientHandler(to: channel, host: address.host)
                    try channel.pipeline.syncOperations.addHandler(SubscriptionReader(limits: limits) { onValue.value($0) })
                }
            }
            .connect(host: address.host, port: address.port)
    }
}
