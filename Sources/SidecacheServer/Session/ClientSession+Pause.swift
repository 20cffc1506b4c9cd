import NIOCore
import SidecacheEngine

/// The session's side of CLIENT PAUSE (Redis's `blockPostponeClient`): a request that the
/// pause holds stays in `frame`, unanswered, and the session reads no further request until
/// the pause ends; then that request runs as if it had just arrived.
extension ClientSession {
    /// Whether the request in `frame` must wait for the end of a pause; if so the session is
    /// now postponed and `resume` will be called on its event loop when the pause ends.
    ///
    /// Requests that fail Redis's earlier checks (unknown command, wrong arity, no
    /// authentication) are not held: they get their error at once, as in Redis. A transaction's
    /// EXEC counts as a write when a queued command writes.
    func postponeIfPaused(resume: @escaping @Sendable () -> Void) -> Bool {
        let pause = server.clientPause
        guard pause.isActive, let spec = pausableSpec() else { return false }
        let waiter = ClientPause.Waiter(clientID: record.id, eventLoop: record.channel.eventLoop, resume: resume)
        let held = pause.hold(writes: writes(spec), waiter)
        if held {
            isPostponed = true
            recordDirty = true
            record.update { $0.blocked = true }
        }
        return held
    }

    /// The pause ended: the held request may run.
    func endPostponement() {
        isPostponed = false
        recordDirty = true
    }

    /// The spec of the request when it would pass the checks that come before the pause in
    /// Redis's `processCommand`; nil when it is answered with an error anyway.
    private func pausableSpec() -> CommandSpec? {
        guard let top = frame.withArgument(0, { server.table.lookup($0) }) else { return nil }
        var spec = top
        if top.isContainer, frame.count >= 2 {
            guard let sub = frame.withArgument(1, { top.subcommand($0) }) else { return nil }
            spec = sub
        }
        guard spec.acceptsArgumentCount(frame.count) else { return nil }
        guard authenticated || spec.flags.contains(.noAuth) else { return nil }
        return spec
    }

    /// Redis's `is_may_replicate_command`.
    private func writes(_ spec: CommandSpec) -> Bool {
        let flags: CommandFlags = [.write, .mayReplicate]
        if !spec.flags.isDisjoint(with: flags) { return true }
        guard spec.name == "exec", let queued = transaction else { return false }
        return queued.contains { !$0.spec.flags.isDisjoint(with: flags) }
    }
}
