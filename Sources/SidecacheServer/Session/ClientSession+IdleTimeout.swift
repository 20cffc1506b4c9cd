/// Sent to a session by the clients cron when its snapshot says it has been idle longer than
/// `timeout`; the session checks again on its own event loop before closing.
struct IdleTimeoutEvent {}

extension ClientSession {
    /// Redis's `clientsCronHandleTimeout`: idle for more than `timeout` seconds (not 0), and
    /// neither waiting in a blocking command or a CLIENT PAUSE, nor subscribed, nor monitoring;
    /// such clients are never closed for idleness.
    func isIdleTimedOut(now: UInt64) -> Bool {
        let timeout = server.config.server.timeoutSeconds
        guard timeout > 0, !isBlocked, !isPostponed, !subscriptions.isActive, !isMonitoring else { return false }
        return now &- record.snapshot.lastInteractionNanoseconds > UInt64(timeout) * 1_000_000_000
    }
}
