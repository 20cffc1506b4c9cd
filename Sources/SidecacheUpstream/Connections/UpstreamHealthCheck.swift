import NIOCore

/// The periodic PING of one node over a connection of its own. For a node in service it
/// measures latency (and a failure counts towards ejection like any other); for an ejected
/// node whose retry timeout has passed it is the probe that lets the node back in.
///
/// Lives on its connection's event loop; unchecked `Sendable` only to be handed there.
final class UpstreamHealthCheck: UpstreamReplySink, @unchecked Sendable {
    let connection: UpstreamConnection
    let intervalMilliseconds: Int
    private var task: RepeatedTask?
    private var sentAt: UInt64?
    private var probing = false

    init(connection: UpstreamConnection, intervalMilliseconds: Int) {
        self.connection = connection
        self.intervalMilliseconds = intervalMilliseconds
    }

    var eventLoop: any EventLoop { connection.eventLoop }

    func start() {
        let interval = TimeAmount.milliseconds(Int64(intervalMilliseconds))
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        task = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in bound.value.tick() }
    }

    func stop() {
        task?.cancel()
        task = nil
        connection.close()
    }

    private func tick() {
        guard sentAt == nil else { return }
        let health = connection.health
        let now = NIODeadline.now().uptimeNanoseconds
        if health.isEjected && !health.isDueForProbe(now: now) { return }
        probing = health.isEjected
        sentAt = now
        if let failure = connection.send(["PING"], sink: self, tag: 0) {
            receiveUpstreamReply(.failure(failure), tag: 0)
            return
        }
        connection.flush()
    }

    func receiveUpstreamReply(_ reply: UpstreamReply, tag: UInt64) {
        let now = NIODeadline.now().uptimeNanoseconds
        let latency = Int((now - (sentAt ?? now)) / 1000)
        sentAt = nil
        let health = connection.health
        switch reply {
        case .reply(let bytes) where bytes.readableBytesView.first != UInt8(ascii: "-"):
            if probing { health.probeSucceeded(latencyMicroseconds: latency) } else { health.recordLatency(microseconds: latency) }
        case .reply(let bytes):
            let text = String(buffer: bytes).trimmingCRLF
            if probing { health.probeFailed(text, now: now) } else { health.recordFailure(text, now: now) }
        case .failure(let failure):
            // A failure of a connection already counts towards ejection; a probe's pushes the retry back.
            if probing { health.probeFailed(failure.message, now: now) }
        }
        probing = false
    }

    func upstreamRepliesDelivered() {}
}
