#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replays sequences on the reference and the candidate server in lockstep and returns the
/// first mismatch.
///
/// Not thread-safe; the runner owns it and uses it from one thread.
final class LockstepReplayer {
    let reference: EndpointSession
    let candidate: EndpointSession
    /// Steps and commands sent so far (for the run's statistics).
    private(set) var stepsSent = 0
    /// Reference replies seen, and how many of them were errors or nulls: a family whose
    /// commands mostly fail or find nothing tests little.
    private(set) var replies = 0
    private(set) var errorReplies = 0
    private(set) var nullReplies = 0
    /// The index of the step the current (or last) replay reached.
    private(set) var stepIndex = 0

    init(reference: DifftestEndpoint, candidate: DifftestEndpoint, timeout: Duration) {
        self.reference = EndpointSession(endpoint: reference, timeout: timeout)
        self.candidate = EndpointSession(endpoint: candidate, timeout: timeout)
    }

    func close() {
        reference.close()
        candidate.close()
    }

    /// Resets both servers (see `EndpointSession.reset`), then for each step: the step on the
    /// reference, the step on the candidate, comparison; then the settling the step asks for,
    /// deferred to the end of the transaction when the step was queued in one. Returns the
    /// first mismatch, or `nil` when every reply matched. Throws `DifftestError.setup` when a
    /// server cannot be reset and `DifftestError.endpoint` when one stops answering.
    func replay(_ steps: [DifftestStep], resp3: Bool) throws(DifftestError) -> DifftestMismatch? {
        try reference.reset(resp3: resp3)
        try candidate.reset(resp3: resp3)
        var pending: [DifftestStep.Settle] = []
        for (index, step) in steps.enumerated() {
            stepIndex = index
            stepsSent += 1
            let now = Self.nowMilliseconds()
            let first = try reference.execute(step, nowMilliseconds: now)
            let second = try candidate.execute(step, nowMilliseconds: now)
            if let mismatch = compare(first, second, at: index) { return mismatch }
            if let settle = step.settle { pending.append(settle) }
            // Keys queued in a transaction are settled once EXEC (or DISCARD) has run.
            guard !pending.isEmpty, !reference.inTransaction else { continue }
            let pause = pending.map(\.pauseMilliseconds).max() ?? 0
            if pause > 0 { Self.sleep(milliseconds: pause) }
            for key in pending.flatMap(\.keys) {
                let first = try reference.settle(key)
                let second = try candidate.settle(key)
                if let mismatch = compare(first, second, at: index) { return mismatch }
            }
            pending.removeAll()
        }
        return nil
    }

    private func compare(_ first: Observation, _ second: Observation, at index: Int) -> DifftestMismatch? {
        replies += 1
        switch first.reply {
        case .simpleError, .blobError: errorReplies += 1
        case .null, .bulkString(.none), .array(.none): nullReplies += 1
        default: break
        }
        guard !first.comparison.matches(first.reply, second.reply) else { return nil }
        return DifftestMismatch(
            stepIndex: index, label: first.label, reference: first.reply, candidate: second.reply,
            comparison: first.comparison
        )
    }

    /// The wall clock in Unix milliseconds (what EXPIREAT and PXAT are measured against).
    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    static func sleep(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
