import NIOCore
import SidecacheEngine
import Synchronization

/// The server-wide CLIENT PAUSE state (Redis's `pauseClients` / `unpauseClients`): whether
/// commands are held back now, which ones (every command, or only those that write or may
/// replicate), until when, and the sessions waiting for the pause to end, in the order they
/// began waiting. A held session keeps its request and its input; nothing fails.
final class ClientPause: Sendable {
    enum Mode: Int, Comparable {
        case write = 1, all = 2

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A session waiting for the end of the pause: `resume` runs on `eventLoop`.
    struct Waiter: Sendable {
        let clientID: UInt64
        let eventLoop: any EventLoop
        let resume: @Sendable () -> Void
    }

    private struct State {
        var mode: Mode?
        var endNanoseconds: UInt64 = 0
        var waiters: [Waiter] = []
        var timer: Scheduled<Void>?
    }

    private let state = Mutex(State())
    /// Set while a pause is in force: the cost of the check for every command is one load.
    private let active = Atomic<Bool>(false)

    /// Redis's `pauseClients`: the mode and the end only ever grow while a pause lasts (WRITE
    /// then ALL is ALL; a shorter pause does not shorten a longer one). The pause ends by
    /// itself at `endNanoseconds` (monotonic clock); `timerLoop` runs that timer.
    func pause(_ mode: Mode, until endNanoseconds: UInt64, timerLoop: any EventLoop) {
        let now = Clocks.monotonicNanoseconds()
        guard endNanoseconds > now else { return }
        state.withLock { state in
            state.mode = max(state.mode ?? mode, mode)
            guard endNanoseconds > state.endNanoseconds else { return }
            state.endNanoseconds = endNanoseconds
            armTimer(&state, now: now, on: timerLoop)
        }
        active.store(true, ordering: .releasing)
    }

    /// (Re)arms the timer that ends the pause at `state.endNanoseconds`.
    private func armTimer(_ state: inout State, now: UInt64, on loop: any EventLoop) {
        state.timer?.cancel()
        let remaining = Int64(clamping: state.endNanoseconds &- now)
        state.timer = loop.scheduleTask(in: .nanoseconds(remaining)) { [self] in
            endIfExpired(loop: loop)
        }
    }

    /// CLIENT UNPAUSE (and the pause's own end): every waiting session resumes, in the order
    /// it began waiting, each on its own event loop.
    func unpause() {
        let waiters = state.withLock { state in
            state.mode = nil
            state.endNanoseconds = 0
            state.timer?.cancel()
            state.timer = nil
            active.store(false, ordering: .releasing)
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.eventLoop.execute(waiter.resume) }
    }

    /// Whether a command is held now, and if so `waiter` is queued to resume when the pause ends
    /// (check and queueing are one step, so an UNPAUSE in between cannot strand it). `writes`
    /// says whether the command writes or may replicate (WRITE mode holds only those).
    func hold(writes: Bool, _ waiter: Waiter) -> Bool {
        guard active.load(ordering: .acquiring) else { return false }
        let (held, expired) = state.withLock { state -> (Bool, Bool) in
            guard let mode = state.mode else { return (false, false) }
            if Clocks.monotonicNanoseconds() >= state.endNanoseconds { return (false, true) }
            guard mode == .all || writes else { return (false, false) }
            state.waiters.append(waiter)
            return (true, false)
        }
        if expired { unpause() }
        return held
    }

    /// A waiting session closed: it is forgotten.
    func forget(clientID: UInt64) {
        guard active.load(ordering: .acquiring) else { return }
        state.withLock { $0.waiters.removeAll { $0.clientID == clientID } }
    }

    /// The timer fired: the pause ends, unless it was extended (or the timer ran early), in
    /// which case the timer is armed again for what remains.
    private func endIfExpired(loop: any EventLoop) {
        let expired = state.withLock { state -> Bool in
            guard state.mode != nil else { return false }
            let now = Clocks.monotonicNanoseconds()
            if now >= state.endNanoseconds { return true }
            armTimer(&state, now: now, on: loop)
            return false
        }
        if expired { unpause() }
    }

    /// Whether a pause is in force (INFO, and the cron, which leaves keys unexpired meanwhile).
    var isActive: Bool { active.load(ordering: .acquiring) }
}
