import NIOCore
import SidecacheEngine

/// The session's side of the blocking commands. The engine registers the wait under the
/// keyspace lock (`Database.block`); the session then stops processing its input until it is
/// woken on its event loop, by the command that served it (from any loop, through
/// `ClientBlocking.wake`), by its timer, or by CLIENT UNBLOCK.
extension ClientSession {
    /// Timeouts longer than this (about 30 years) wait for ever: no timer is armed.
    static let longestTimeoutMilliseconds: Int64 = 1 << 40

    var isBlocked: Bool { blockedWait != nil }

    /// Lets the engine block this client: `wake` must hand the end of the wait to this
    /// session's event loop (`endWait` there).
    func enableBlocking(wake: @escaping @Sendable (BlockedClient) -> Void) {
        client.blocking.owner = record.id
        client.blocking.wake = wake
    }

    /// Called right after the command that blocked: arms the timeout on this event loop.
    func beginWait(_ spec: CommandSpec, microseconds: Int) {
        guard let blocked = client.blocking.current else { return }
        client.blocking.current = nil
        let suppressed = replyMode == .off || replyMode == .skipThis
        var wait = BlockedWait(blocked: blocked, spec: spec, microseconds: microseconds, replySuppressed: suppressed)
        wait.slowLogArguments = slowLogArgumentsForWait(spec)
        if blocked.timeout > 0 && blocked.timeout <= Self.longestTimeoutMilliseconds {
            let keyspace = server.keyspace
            wait.timer = record.channel.eventLoop.scheduleTask(in: .milliseconds(blocked.timeout)) {
                keyspace.withState { $0.blocking.timeOut(blocked) }
            }
        }
        blockedWait = wait
        recordDirty = true
    }

    /// The wait for `blocked` ended (served, timed out or unblocked): its reply joins the
    /// connection's output and the command is counted. Returns `false` when `blocked` is not
    /// this session's current wait.
    func endWait(_ blocked: BlockedClient) -> Bool {
        guard let wait = blockedWait, wait.blocked === blocked else { return false }
        wait.timer?.cancel()
        blockedWait = nil
        recordDirty = true
        if !wait.replySuppressed { out.writeImmutableBuffer(blocked.client.out) }
        client.errorReplies += blocked.client.errorReplies
        statistics.recordCall(commandID: wait.spec.id, microseconds: wait.microseconds, failed: blocked.client.failed)
        observeEndOfWait(wait)
        return true
    }

    /// The connection closed: the wait is withdrawn and the engine forgets how to wake it.
    func cancelWait() {
        client.blocking.wake = nil
        guard let wait = blockedWait else { return }
        wait.timer?.cancel()
        blockedWait = nil
        withKeyspace { $0.blocking.cancel(wait.blocked) }
    }
}
