import NIOCore
import SidecacheConfig
import SidecacheRESP
import SidecacheUpstream

extension ServerContext {
    /// The upstream subscriptions behind local SUBSCRIBE and PSUBSCRIBE: the registry serves
    /// local clients and asks the bridge to subscribe upstream to each name while some local
    /// client listens to it; messages go to exactly the local audience of their subscription.
    static func subscriptionBridge(
        _ configuration: SidecacheConfiguration,
        upstream: UpstreamGroup?,
        router: UpstreamRouter?,
        pubsub: PubSubRegistry,
        eventLoop: any EventLoop,
        tls: UpstreamTLS?
    ) -> SubscriptionBridge? {
        guard let upstream, let router else { return nil }
        let settings = UpstreamGroup.connectionTemplate(configuration.upstream, replyLimits: RESPLimits(), tls: tls)
        func subscription(_ target: @escaping @Sendable () -> UpstreamAddress?) -> UpstreamSubscription {
            UpstreamSubscription(eventLoop: eventLoop, settings: settings, target: target) { channel, pattern, payload in
                pubsub.deliverFromUpstream(channel: channel, pattern: pattern, payload: payload.readableBytesView)
            }
        }
        let bridge: SubscriptionBridge
        switch router.topology {
        case .single:
            bridge = SubscriptionBridge(subscriptions: [subscription { upstream.node(0).address }]) { _ in 0 }
        case .sentinel(let primary):
            let target: @Sendable () -> UpstreamAddress? = { primary.currentNode.map { upstream.node($0).address } }
            bridge = SubscriptionBridge(subscriptions: [subscription(target)]) { _ in 0 }
        case .cluster(let cluster):
            let target: @Sendable () -> UpstreamAddress? = { cluster.current?.primaries.first.map { upstream.node($0).address } }
            bridge = SubscriptionBridge(subscriptions: [subscription(target)]) { _ in 0 }
        case .sharded(let ring):
            // Channels live where PUBLISH sends them: the shard of the channel's name.
            let shards = (0..<router.nodeCount).map { shard in subscription { upstream.node(shard).address } }
            bridge = SubscriptionBridge(subscriptions: shards) { name in name.withUnsafeBytes { ring.node(for: $0) } }
        }
        pubsub.observeNames { kind, name, added in bridge.changed(kind, name, added: added) }
        return bridge
    }
}
