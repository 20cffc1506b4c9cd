import SidecacheUpstream

/// The upstream subscriptions local SUBSCRIBE and PSUBSCRIBE ride on: one for single, sentinel
/// and cluster modes (a message published anywhere reaches that node), one per shard in
/// sharded mode, where a channel lives on the shard its name hashes to (as PUBLISH is routed)
/// and a pattern is subscribed on every shard.
final class SubscriptionBridge: Sendable {
    private let subscriptions: [UpstreamSubscription]
    /// The subscription a channel's messages arrive on.
    private let channelHome: @Sendable ([UInt8]) -> Int

    init(subscriptions: [UpstreamSubscription], channelHome: @escaping @Sendable ([UInt8]) -> Int) {
        self.subscriptions = subscriptions
        self.channelHome = channelHome
    }

    func changed(_ kind: PubSubKind, _ name: [UInt8], added: Bool) {
        switch kind {
        case .shard:
            return
        case .channel:
            let home = subscriptions[channelHome(name)]
            if added { home.subscribe(name, pattern: false) } else { home.unsubscribe(name, pattern: false) }
        case .pattern:
            for subscription in subscriptions {
                if added { subscription.subscribe(name, pattern: true) } else { subscription.unsubscribe(name, pattern: true) }
            }
        }
    }

    func stop() {
        for subscription in subscriptions { subscription.stop() }
    }
}
