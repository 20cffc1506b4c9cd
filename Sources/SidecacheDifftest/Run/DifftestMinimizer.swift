/// Delta debugging over a failing sequence: drops chunks of steps, then single steps, keeping
/// each removal after which the sequence still fails.
public enum DifftestMinimizer {
    /// A subsequence of `elements` (order kept) that still fails, and the number of candidates
    /// tried. `firstFailure(candidate)` replays a candidate and returns the index of its first
    /// failing element, or `nil` when it passes; a failing candidate is cut after that index.
    ///
    /// Chunks of half the length, then a quarter, ... down to single elements, and single
    /// elements again until no removal fails (1-minimal), unless `shouldStop` (checked before
    /// each replay: a budget of replays or time) says to stop with what is there.
    public static func minimize<Element, Failure: Error>(
        _ elements: [Element],
        shouldStop: (_ attempts: Int) -> Bool = { _ in false },
        firstFailure: ([Element]) throws(Failure) -> Int?
    ) throws(Failure) -> (elements: [Element], attempts: Int) {
        var current = elements
        var attempts = 0
        var chunk = max(current.count / 2, 1)
        while current.count > 1 {
            var removedAny = false
            var start = 0
            while start < current.count, current.count > 1 {
                if shouldStop(attempts) { return (current, attempts) }
                // A cut may leave fewer elements than a chunk: never try the empty sequence.
                if chunk >= current.count { chunk = max(current.count / 2, 1) }
                var candidate = current
                candidate.removeSubrange(start..<min(start + chunk, current.count))
                attempts += 1
                if let failing = try firstFailure(candidate) {
                    current = Array(candidate[...failing])
                    removedAny = true
                } else {
                    start += chunk
                }
            }
            if chunk > 1 {
                chunk = max(chunk / 2, 1)
            } else if !removedAny {
                break
            }
        }
        return (current, attempts)
    }
}
