import Logging
import NIOCore
import SidecacheConfig
import SidecacheEngine

/// What a session keeps to enforce `client-output-buffer-limit` (Redis's
/// `checkClientOutputBufferLimits`): the limits of the running configuration, refreshed when
/// it changes, and since when the soft limit has been exceeded.
struct OutputBufferLimitState {
    var limits = ClientOutputBufferLimits()
    var configurationGeneration = -1
    /// Monotonic time the pending output went over the soft limit; nil while under it.
    var softLimitReachedNanoseconds: UInt64?
    /// The pending output last published to the client record (CLIENT LIST `omem`).
    var publishedBytes = 0
}

extension ClientSession {
    /// Checks the output written to the socket but not yet taken by the client against the
    /// limit of this client's class (`pubsub` when subscribed, else `normal`; a monitor is
    /// `normal`, as in Redis). Over the hard limit, or over the soft one for more than its
    /// seconds, the connection is closed, logged and counted (INFO
    /// `client_output_buffer_limit_disconnections`); returns `true` then. Call after writing.
    /// A class whose limits are `0 0 0` costs one atomic load.
    @discardableResult
    func enforceOutputBufferLimit() -> Bool {
        let generation = server.configurationGeneration.load(ordering: .acquiring)
        if generation != outputLimit.configurationGeneration {
            outputLimit.configurationGeneration = generation
            outputLimit.limits = server.config.limits.clientOutputBufferLimits
        }
        let isSubscriber = subscriptions.isActive
        let limit = isSubscriber ? outputLimit.limits.pubsub : outputLimit.limits.normal
        guard limit.isEnabled else { return false }
        let channel = record.channel
        let pending = out.readableBytes + ((try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0)
        publishOutputBytes(pending)
        var exceeded = limit.hardBytes > 0 && pending >= limit.hardBytes
        if limit.softBytes > 0 && pending >= limit.softBytes {
            let now = Clocks.monotonicNanoseconds()
            if let since = outputLimit.softLimitReachedNanoseconds {
                exceeded = exceeded || now &- since > UInt64(limit.softSeconds) * 1_000_000_000
            } else {
                outputLimit.softLimitReachedNanoseconds = now
            }
        } else {
            outputLimit.softLimitReachedNanoseconds = nil
        }
        guard exceeded else { return false }
        server.logger.warning(
            "closing client over its output buffer limit",
            metadata: [
                "client": "\(record.address)", "class": "\(isSubscriber ? "pubsub" : "normal")",
                "pending_bytes": "\(pending)", "limit": "\(limit.redisText)",
            ]
        )
        server.statistics.update { $0.outputBufferLimitDisconnections += 1 }
        closeAfterReply = true
        channel.close(promise: nil)
        return true
    }

    /// Keeps CLIENT LIST's `omem` (and the client buffers counted in `used_memory`) near the
    /// real backlog: published when it empties, or moves by 16 KiB or more, so that the
    /// record's lock is not taken for every write.
    func publishOutputBytes(_ pending: Int) {
        let published = outputLimit.publishedBytes
        guard pending != published, pending == 0 || abs(pending - published) >= 16 * 1024 else { return }
        outputLimit.publishedBytes = pending
        record.update { $0.outputBytes = pending }
    }
}
