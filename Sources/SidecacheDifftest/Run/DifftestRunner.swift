import Foundation

/// Runs seeded sequences against a reference server (redis-server) and a candidate
/// (Sidecache) in lockstep until the count or the time budget is spent, or until the first
/// divergence, which it minimizes and reports.
public struct DifftestRunner: Sendable {
    public var configuration: DifftestConfiguration
    public var reference: DifftestEndpoint
    public var candidate: DifftestEndpoint
    /// Receives progress lines (see `DifftestConfiguration.progressInterval`).
    public var log: (@Sendable (String) -> Void)?

    public init(
        configuration: DifftestConfiguration, reference: DifftestEndpoint, candidate: DifftestEndpoint,
        log: (@Sendable (String) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.reference = reference
        self.candidate = candidate
        self.log = log
    }

    /// Runs to the end on the calling thread, which it blocks (sockets are blocking, with
    /// timeouts). Returns the report, with the minimized divergence if one was found; throws
    /// `DifftestError.setup` when the servers cannot be reached or reset, and
    /// `DifftestError.endpoint` when one stops answering during a sequence.
    public func run() throws(DifftestError) -> DifftestReport {
        let configuration = self.configuration
        guard configuration.length > 0 else { throw .setup("--length must be at least 1") }
        guard !configuration.families.isEmpty else { throw .setup("no families selected") }
        let count = configuration.count ?? (configuration.seconds == nil ? DifftestConfiguration.defaultCount : nil)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = configuration.seconds.map { start + .milliseconds(Int64($0 * 1000)) }
        let replayer = LockstepReplayer(reference: reference, candidate: candidate, timeout: configuration.replyTimeout)
        defer { replayer.close() }
        var lastProgress = start
        var sequences = 0
        while count.map({ sequences < $0 }) ?? true, deadline.map({ clock.now < $0 }) ?? true {
            let index = configuration.firstSequence + sequences
            let sequence = DifftestSequence.generate(
                runSeed: configuration.seed, index: index, length: configuration.length,
                families: configuration.families, resp3Percent: configuration.resp3Percent
            )
            let mismatch: DifftestMismatch?
            do throws(DifftestError) {
                mismatch = try replayer.replay(sequence.steps, resp3: sequence.resp3)
            } catch {
                throw context(error, sequence: sequence, stepsSent: replayer.stepIndex)
            }
            sequences += 1
            if let mismatch {
                let divergence = try minimize(sequence, mismatch, replayer)
                return report(sequences, replayer, clock.now - start, divergence)
            }
            if let interval = configuration.progressInterval, clock.now - lastProgress >= interval {
                lastProgress = clock.now
                log?("\(sequences) sequences, \(replayer.stepsSent) steps, no divergence so far")
            }
        }
        return report(sequences, replayer, clock.now - start, nil)
    }

    private func report(
        _ sequences: Int, _ replayer: LockstepReplayer, _ elapsed: Duration, _ divergence: DifftestDivergence?
    ) -> DifftestReport {
        DifftestReport(
            sequences: sequences, steps: replayer.stepsSent, replies: replayer.replies, errorReplies: replayer.errorReplies,
            nullReplies: replayer.nullReplies, elapsed: elapsed, divergence: divergence
        )
    }

    /// `run()` on a thread of its own, so that an async caller does not block a thread of the
    /// cooperative pool for the whole run.
    public func runOnThread() async throws(DifftestError) -> DifftestReport {
        let runner = self
        return try await DifftestThread.run { () throws(DifftestError) in try runner.run() }
    }

    /// Shrinks the diverging sequence with `DifftestMinimizer` (each candidate replayed on
    /// freshly reset servers, within the configured budget), then replays the result once more
    /// for the report, under RESP2 if it was a RESP3 sequence that still diverges under RESP2
    /// (one line less to paste, and one cause less to suspect).
    private func minimize(
        _ sequence: DifftestSequence, _ mismatch: DifftestMismatch, _ replayer: LockstepReplayer
    ) throws(DifftestError) -> DifftestDivergence {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(configuration.maxMinimizationSeconds * 1000))
        let maxReplays = configuration.maxMinimizationReplays
        let prefix = Array(sequence.steps[...mismatch.stepIndex])
        let replay = { (steps: [DifftestStep], resp3: Bool) throws(DifftestError) -> DifftestMismatch? in
            do throws(DifftestError) {
                return try replayer.replay(steps, resp3: resp3)
            } catch {
                throw context(error, sequence: sequence, stepsSent: nil)
            }
        }
        let (minimal, attempts) = try DifftestMinimizer.minimize(
            prefix,
            shouldStop: { attempts in attempts >= maxReplays || clock.now >= deadline },
            firstFailure: { (candidate: [DifftestStep]) throws(DifftestError) -> Int? in try replay(candidate, sequence.resp3)?.stepIndex }
        )
        var minimalUsesRESP3 = sequence.resp3
        var confirmed: DifftestMismatch?
        if sequence.resp3, let underRESP2 = try replay(minimal, false) {
            confirmed = underRESP2
            minimalUsesRESP3 = false
        } else {
            confirmed = try replay(minimal, sequence.resp3)
        }
        return DifftestDivergence(
            sequence: sequence,
            original: mismatch,
            minimalSteps: confirmed == nil ? prefix : minimal,
            minimalUsesRESP3: confirmed == nil ? sequence.resp3 : minimalUsesRESP3,
            mismatch: confirmed ?? mismatch,
            reproduced: confirmed != nil,
            replays: attempts + (sequence.resp3 ? 2 : 1),
            reproduceArguments: configuration.reproduceArguments(sequence: sequence.index),
            referenceName: reference.description,
            candidateName: candidate.description
        )
    }

    /// `error` with the seed, the sequence and the steps sent so far, for a server that
    /// stopped answering mid-sequence.
    private func context(_ error: DifftestError, sequence: DifftestSequence, stepsSent: Int?) -> DifftestError {
        guard case .endpoint(let message) = error else { return error }
        let now = LockstepReplayer.nowMilliseconds()
        let steps = stepsSent.map { Array(sequence.steps.prefix($0 + 1)) } ?? sequence.steps
        var lines = [
            message,
            "seed \(sequence.runSeed), sequence \(sequence.index) (\(sequence.resp3 ? "RESP3" : "RESP2")); "
                + "reproduce: sidecache-difftest \(configuration.reproduceArguments(sequence: sequence.index))",
            "steps sent (redis-cli input after FLUSHALL):",
        ]
        if sequence.resp3 { lines.append("  HELLO 3") }
        lines += steps.flatMap { $0.cliLines(nowMilliseconds: now) }.map { "  " + $0 }
        return .endpoint(lines.joined(separator: "\n"))
    }
}
