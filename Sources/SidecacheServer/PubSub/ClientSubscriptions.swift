/// What one connection is subscribed to (Redis's `pubsub_channels`, `pubsub_patterns` and
/// `pubsubshard_channels` of a client), owned by its event loop.
struct ClientSubscriptions {
    var channels = SubscriptionSet()
    var patterns = SubscriptionSet()
    var shardChannels = SubscriptionSet()
    /// How the registry reaches this connection; made at the first subscription.
    var subscriber: PubSubSubscriber?
    /// Whether a write of delivered messages is already queued on the event loop.
    var flushScheduled = false

    subscript(kind: PubSubKind) -> SubscriptionSet {
        get {
            switch kind {
            case .channel: channels
            case .pattern: patterns
            case .shard: shardChannels
            }
        }
        _modify {
            switch kind {
            case .channel: yield &channels
            case .pattern: yield &patterns
            case .shard: yield &shardChannels
            }
        }
    }

    /// The count a (un)subscribe reply carries: channels and patterns together (Redis's
    /// `clientSubscriptionsCount`), or shard channels alone.
    func replyCount(_ kind: PubSubKind) -> Int {
        kind == .shard ? shardChannels.count : channels.count + patterns.count
    }

    /// Whether the connection is in subscribed mode (Redis's `CLIENT_PUBSUB` flag): RESP2
    /// restricts its commands, CLIENT LIST shows flag `P`.
    var isActive: Bool {
        !channels.isEmpty || !patterns.isEmpty || !shardChannels.isEmpty
    }
}
