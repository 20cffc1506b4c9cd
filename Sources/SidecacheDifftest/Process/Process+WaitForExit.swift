public import Foundation

extension Process {
    /// Waits until the process has exited, at most `timeout`, by polling `isRunning`.
    /// Foundation's `waitUntilExit()` can miss an exit and block forever when several
    /// processes end at once (seen in the test suite: a 20-minute hang), so test code that
    /// stops servers uses this instead. Returns whether the process has exited.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline { LockstepReplayer.sleep(milliseconds: 5) }
        return !isRunning
    }
}
