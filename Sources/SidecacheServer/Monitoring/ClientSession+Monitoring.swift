import NIOCore
import SidecacheEngine
import SidecacheRESP

/// The session's side of the slow log, the latency monitor and MONITOR: what Redis's `call()`
/// does after a command ran, and MONITOR mode itself.
extension ClientSession {
    /// After `spec` ran for `microseconds` (each command of an EXEC too, and a blocking command
    /// when it blocked): one atomic check, then, only when something watches, `observeRun`.
    @inline(__always)
    func observe(_ spec: CommandSpec, microseconds: Int) {
        guard server.monitoring.isInterested(in: microseconds) else { return }
        observeRun(spec, microseconds: microseconds)
    }

    /// Redis's order: a latency sample (`fast-command` or `command`), a slow log entry (for a
    /// command that blocked: when the wait ends), then the MONITOR line, which shows the
    /// database the command left the client in. Admin commands are never shown to monitors;
    /// passwords are shown as `(redacted)` to both.
    private func observeRun(_ spec: CommandSpec, microseconds: Int) {
        let monitoring = server.monitoring
        monitoring.latency.addSampleIfNeeded(
            spec.flags.contains(.fast) ? "fast-command" : "command",
            milliseconds: microseconds / 1000,
            unixTime: Clocks.wallMicroseconds() / 1_000_000
        )
        let redacted = CommandRedaction.indices(spec, frame)
        if client.blocking.current == nil {
            logIfSlow(spec, arguments: nil, redacted: redacted, microseconds: microseconds)
        }
        if monitoring.monitors.count > 0 && spec.flags.isDisjoint(with: [.admin, .skipMonitor]) {
            let line = MonitorLine.make(
                unixMicroseconds: Clocks.wallMicroseconds(), database: database, peer: record.address,
                frame: frame, redacted: redacted
            )
            monitoring.monitors.feed(line)
        }
    }

    /// A slow log entry for the command just run (or, with `arguments`, for a blocking command
    /// whose wait ended) when it ran long enough. EXEC is never logged (`skip_slowlog`): the
    /// commands it ran are.
    private func logIfSlow(_ spec: CommandSpec, arguments: [[UInt8]]?, redacted: [Int], microseconds: Int) {
        let slowLog = server.monitoring.slowLog
        guard !spec.flags.contains(.skipSlowlog), slowLog.wants(microseconds) else { return }
        slowLog.add(
            arguments: arguments ?? SlowLogEntry.arguments(of: frame, redacted: redacted),
            microseconds: microseconds,
            peer: record.address,
            clientName: record.snapshot.name,
            unixTime: Clocks.wallMicroseconds() / 1_000_000
        )
    }

    /// What a blocking command keeps for its slow log entry while it waits (its request is
    /// gone by then); `nil` while the slow log is off.
    func slowLogArgumentsForWait(_ spec: CommandSpec) -> [[UInt8]]? {
        guard server.monitoring.slowLog.isEnabled else { return nil }
        return SlowLogEntry.arguments(of: frame, redacted: CommandRedaction.indices(spec, frame))
    }

    /// The wait of a blocking command ended: its slow log entry when it was served, as Redis
    /// 7.0 logs it on unblocking (a wait that timed out is not logged; one ended by CLIENT
    /// UNBLOCK neither, where Redis 7.0 logs an entry without arguments).
    func observeEndOfWait(_ wait: BlockedWait) {
        guard wait.blocked.state == .served, let arguments = wait.slowLogArguments else { return }
        logIfSlow(wait.spec, arguments: arguments, redacted: [], microseconds: wait.microseconds)
    }

    /// MONITOR: from now on every command any client runs is sent here as a `MonitorLine`.
    func startMonitoring() {
        isMonitoring = true
        server.monitoring.addMonitor(subscriber)
        record.update { $0.monitor = true }
    }

    /// RESET and a closing connection: no more lines.
    func stopMonitoring() {
        guard isMonitoring else { return }
        isMonitoring = false
        server.monitoring.removeMonitor(clientID: record.id)
        record.update { $0.monitor = false }
    }
}
