import SidecacheEngine

extension ServerContext {
    /// Redis's `clientsCron` share, run by the server cron: sums the client buffers that count
    /// towards `used_memory` and `maxmemory`, and asks every client idle longer than `timeout`
    /// to close (it checks again itself: `ClientSession.isIdleTimedOut`). A CONFIG SET timeout
    /// applies to every client at the next tick.
    func clientsCron() {
        let now = Clocks.monotonicNanoseconds()
        let timeout = UInt64(config.server.timeoutSeconds) * 1_000_000_000
        var buffers = 0
        for client in clients.all {
            let snapshot = client.snapshot
            buffers += snapshot.queryBufferBytes + snapshot.outputBytes
            guard timeout > 0, now &- snapshot.lastInteractionNanoseconds > timeout, !snapshot.blocked,
                !snapshot.isSubscriber, !snapshot.monitor
            else { continue }
            client.channel.pipeline.fireUserInboundEventTriggered(IdleTimeoutEvent())
        }
        keyspace.withState { $0.clientBufferBytes = buffers }
    }
}
