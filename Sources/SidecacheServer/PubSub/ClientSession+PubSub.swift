import NIOCore
import SidecacheRESP

/// The connection's half of pub/sub (Redis's `pubsub.c` client functions): its subscriptions,
/// their confirmations, and the messages it receives.
extension ClientSession {
    /// Redis's `pubsubSubscribeChannel`: subscribes (once) and confirms with
    /// `subscribe|psubscribe|ssubscribe name count`, even when already subscribed.
    func subscribe(_ name: [UInt8], _ kind: PubSubKind) {
        if subscriptions[kind].insert(name) {
            server.pubsub.add(subscriber, to: name, kind)
        }
        out.writeRESPPushHeader(3, protocolVersion)
        out.writeStaticString(kind.subscribeReply)
        out.writeRESPBulkString(name)
        out.writeRESPInteger(subscriptions.replyCount(kind))
    }

    /// Redis's `pubsubUnsubscribeChannel`: unsubscribes when subscribed; with `confirm`,
    /// answers `unsubscribe|punsubscribe|sunsubscribe name count` either way (a null name
    /// when `name` is nil: nothing was subscribed).
    func unsubscribe(_ name: [UInt8]?, _ kind: PubSubKind, confirm: Bool) {
        if let name, subscriptions[kind].remove(name), let subscriber = subscriptions.subscriber {
            server.pubsub.remove(subscriber, from: name, kind)
        }
        guard confirm else { return }
        out.writeRESPPushHeader(3, protocolVersion)
        out.writeStaticString(kind.unsubscribeReply)
        if let name { out.writeRESPBulkString(name) } else { out.writeRESPNull(protocolVersion) }
        out.writeRESPInteger(subscriptions.replyCount(kind))
    }

    /// UNSUBSCRIBE (PUNSUBSCRIBE, SUNSUBSCRIBE) without arguments: every subscription of
    /// `kind`, oldest first, each confirmed when `confirm`; one confirmation with a null name
    /// when there was none.
    func unsubscribeAll(_ kind: PubSubKind, confirm: Bool) {
        let names = subscriptions[kind].inSubscriptionOrder
        for name in names { unsubscribe(name, kind, confirm: confirm) }
        if names.isEmpty && confirm { unsubscribe(nil, kind, confirm: true) }
    }

    /// What RESET and a closing connection do: every subscription dropped, nothing said.
    func dropSubscriptions() {
        guard subscriptions.isActive else { return }
        unsubscribeAll(.channel, confirm: false)
        unsubscribeAll(.pattern, confirm: false)
        unsubscribeAll(.shard, confirm: false)
    }

    /// The registry's handle on this connection (also the monitor registry's), made on first use.
    var subscriber: PubSubSubscriber {
        if let subscriber = subscriptions.subscriber { return subscriber }
        let subscriber = PubSubSubscriber(session: self, eventLoop: record.channel.eventLoop)
        subscriptions.subscriber = subscriber
        return subscriber
    }

    /// Moves the messages published for this connection on other event loops into its
    /// replies. Called before the commands of each read run, and by the subscriber's task.
    func receivePendingMessages() {
        guard let subscriber = subscriptions.subscriber else { return }
        for message in subscriber.takePendingMessages() { receive(message) }
    }

    /// A message for this connection, on its event loop: appended to the pending replies and
    /// written with the read's replies or, between reads, by a write queued here. A message
    /// of a subscription dropped since it was published is not delivered, so none arrives
    /// after the unsubscribe confirmation (nor a MONITOR line after RESET).
    func receive(_ message: PubSubMessage) {
        switch message.audience {
        case .subscribers(let kind, let subscription):
            guard subscriptions[kind].contains(subscription) else { return }
        case .monitors:
            guard isMonitoring else { return }
        }
        message.write(to: &out, protocolVersion)
        guard !subscriptions.flushScheduled else { return }
        subscriptions.flushScheduled = true
        record.channel.eventLoop.assumeIsolated().execute { [self] in
            subscriptions.flushScheduled = false
            flushReceivedMessages()
        }
    }

    /// Writes the messages received since the last write. Runs between reads: the replies of
    /// a read are written when the read completes, so `out` holds only messages here.
    private func flushReceivedMessages() {
        guard out.readableBytes > 0 else { return }
        statistics.netOutputBytes += out.readableBytes
        statistics.writes += 1
        let messages = out
        out.clear()
        record.channel.writeAndFlush(messages, promise: nil)
        enforceOutputBufferLimit()
    }
}
