import SidecacheEngine
import Synchronization

/// Every subscription of every connection, server-wide (Redis's `server.pubsub_channels`,
/// `pubsub_patterns` and `pubsubshard_channels`), behind one lock so that any event loop may
/// publish. Delivery happens under the lock, which orders each subscriber's messages the way
/// the publishes were ordered; it only appends to a buffer or queues a task, never writes to
/// a socket.
///
/// Lock order: the keyspace lock (keyspace events, EXEC) may be held when this lock is taken;
/// nothing here takes the keyspace lock.
final class PubSubRegistry: Sendable {
    private typealias Subscribers = [UInt64: PubSubSubscriber]

    private struct State {
        var channels: [[UInt8]: Subscribers] = [:]
        var patterns: [[UInt8]: Subscribers] = [:]
        var shardChannels: [[UInt8]: Subscribers] = [:]

        subscript(kind: PubSubKind) -> [[UInt8]: Subscribers] {
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
    }

    private let state = Mutex(State())
    /// Told when a name gets its first subscriber (`true`) or loses its last (`false`), under
    /// the lock, so that calls come in the order of the changes; it must not call back in.
    /// The upstream bridge subscribes upstream only to what local clients listen to.
    private let observer = Mutex<(@Sendable (PubSubKind, [UInt8], Bool) -> Void)?>(nil)

    func observeNames(_ body: @escaping @Sendable (PubSubKind, [UInt8], Bool) -> Void) {
        observer.withLock { $0 = body }
    }

    func add(_ subscriber: PubSubSubscriber, to name: [UInt8], _ kind: PubSubKind) {
        state.withLock { state in
            let isNew = state[kind][name] == nil
            state[kind][name, default: [:]][subscriber.clientID] = subscriber
            if isNew { observer.withLock { $0?(kind, name, true) } }
        }
    }

    /// Removes one subscription; a name left without subscribers is forgotten.
    func remove(_ subscriber: PubSubSubscriber, from name: [UInt8], _ kind: PubSubKind) {
        state.withLock { state in
            guard var subscribers = state[kind][name] else { return }
            subscribers.removeValue(forKey: subscriber.clientID)
            state[kind][name] = subscribers.isEmpty ? nil : subscribers
            if subscribers.isEmpty { observer.withLock { $0?(kind, name, false) } }
        }
    }

    /// A message an upstream subscription brought: to the local subscribers of exactly that
    /// channel, or of exactly that pattern (a message matched by both arrives twice upstream,
    /// once per subscription, so each copy goes to its own audience only).
    func deliverFromUpstream(channel: [UInt8], pattern: [UInt8]?, payload: some Collection<UInt8>) {
        state.withLock { state in
            if let pattern {
                guard let subscribers = state.patterns[pattern] else { return }
                let message = PubSubMessage(pattern: pattern, channel: channel, payload: payload)
                for subscriber in subscribers.values { subscriber.deliver(message) }
            } else if let subscribers = state.channels[channel] {
                let message = PubSubMessage(kind: .channel, channel: channel, payload: payload)
                for subscriber in subscribers.values { subscriber.deliver(message) }
            }
        }
    }

    /// PUBLISH (or SPUBLISH with `shard`): sends `payload` to the subscribers of `channel`
    /// and, unless `shard`, to every subscriber of each pattern that matches it. Returns the
    /// number of deliveries (a client subscribed twice counts twice), as Redis does.
    func publish(_ payload: some Collection<UInt8>, to channel: [UInt8], shard: Bool = false) -> Int {
        state.withLock { state in
            var receivers = 0
            if let subscribers = state[shard ? .shard : .channel][channel] {
                let message = PubSubMessage(kind: shard ? .shard : .channel, channel: channel, payload: payload)
                for subscriber in subscribers.values { subscriber.deliver(message) }
                receivers += subscribers.count
            }
            guard !shard, !state.patterns.isEmpty else { return receivers }
            channel.withUnsafeBytes { channelBytes in
                for (pattern, subscribers) in state.patterns
                where pattern.withUnsafeBytes({ GlobMatcher.matches(pattern: $0, channelBytes) }) {
                    let message = PubSubMessage(pattern: pattern, channel: channel, payload: payload)
                    for subscriber in subscribers.values { subscriber.deliver(message) }
                    receivers += subscribers.count
                }
            }
            return receivers
        }
    }

    /// Names with at least one subscriber, matching `pattern` when given (PUBSUB CHANNELS,
    /// SHARDCHANNELS), in no particular order, as Redis lists them.
    func activeNames(_ kind: PubSubKind, matching pattern: [UInt8]?) -> [[UInt8]] {
        let names = state.withLock { Array($0[kind].keys) }
        guard let pattern else { return names }
        return pattern.withUnsafeBytes { patternBytes in
            names.filter { name in name.withUnsafeBytes { GlobMatcher.matches(pattern: patternBytes, $0) } }
        }
    }

    /// Subscribers of `name` (PUBSUB NUMSUB, SHARDNUMSUB).
    func subscriberCount(_ name: [UInt8], _ kind: PubSubKind) -> Int {
        state.withLock { $0[kind][name]?.count ?? 0 }
    }

    /// Names with at least one subscriber (PUBSUB NUMPAT for patterns; INFO's `pubsub_channels`,
    /// `pubsub_patterns`, `pubsubshard_channels`).
    func activeCount(_ kind: PubSubKind) -> Int {
        state.withLock { $0[kind].count }
    }
}
