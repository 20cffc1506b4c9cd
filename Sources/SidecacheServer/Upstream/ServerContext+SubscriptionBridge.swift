import NIOCore
import SidecacheConfig
import SidecacheRESP
import SidecacheUpstream

extension ServerContext {
    /// The shared upstream subscription of single, sentinel and cluster modes (a message
    /// published anywhere reaches the primary, or in a cluster every node): local SUBSCRIBE and
    /// PSUBSCRIBE are served by the registry, which asks the bridge to subscribe upstream to
    /// each name while some local client listens to it. Sharded mode has no bridge: a channel's
    /// messages live on the shard its name hashes to.
    static func subscriptionBridge(
        _ configuration: SidecacheConfiguration,
        upstream: UpstreamGroup?,
        router: UpstreamRouter?,
        pubsub: PubSubRegistry,
        eventLoop: any EventLoop
    ) -> UpstreamSubscription? {
        guard let upstream, let router else { return nil }
        let target: @Sendable () -> UpstreamAddress?
        switch router.topology {
        case .single:
            target = { upstream.node(0).address }
        case .sentinel(let primary):
            target = { primary.currentNode.map { upstream.node($0).address } }
        case .cluster(let cluster):
            target = { cluster.current?.primaries.first.map { upstream.node($0).address } }
        case .sharded:
            return nil
        }
        let bridge = UpstreamSubscription(
            eventLoop: eventLoop,
            settings: UpstreamGroup.connectionTemplate(configuration.upstream, replyLimits: RESPLimits()),
            target: target
        ) { channel, pattern, payload in
            pubsub.deliverFromUpstream(channel: channel, pattern: pattern, payload: payload.readableBytesView)
        }
        pubsub.observeNames { kind, name, added in
            guard kind != .shard else { return }
            if added { bridge.subscribe(name, pattern: kind == .pattern) } else { bridge.unsubscribe(name, pattern: kind == .pattern) }
        }
        return bridge
    }
}
