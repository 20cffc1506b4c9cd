/// Redis's eviction pool (`evictionPoolEntry`, `EVPOOL_SIZE` 16): the best candidates seen in
/// sampling so far, in ascending order of score, so that the best one is at the end. Keys
/// stay in the pool across commands, so each sampling round refines it rather than starting
/// over, which is what makes 5 samples a round approach true LRU.
///
/// A candidate holds its entry (retained), which may have been deleted or replaced since it
/// was sampled; `KeyspaceState.evictionVictim` checks it is still the key's entry.
struct EvictionPool {
    static let size = 16

    struct Candidate {
        /// Idle time, 255 minus the LFU counter, or the inverted expiry: higher goes first.
        var score: UInt64
        var database: Int
        var entry: KeyEntry
    }

    private(set) var candidates: [Candidate] = []

    init() {
        candidates.reserveCapacity(Self.size)
    }

    var isEmpty: Bool { candidates.isEmpty }

    /// Redis's `evictionPoolPopulate` insertion: a candidate worse than every one of a full
    /// pool is dropped; otherwise it goes in order, pushing out the worst when full. A key
    /// already in the pool is not added twice.
    mutating func offer(_ candidate: Candidate) {
        for held in candidates where held.entry === candidate.entry { return }
        var position = 0
        while position < candidates.count && candidates[position].score < candidate.score { position += 1 }
        if candidates.count == Self.size {
            guard position > 0 else { return }
            candidates.removeFirst()
            position -= 1
        }
        candidates.insert(candidate, at: position)
    }

    /// Takes the best candidate out of the pool.
    mutating func popBest() -> Candidate? {
        candidates.popLast()
    }

    mutating func removeAll() {
        candidates.removeAll(keepingCapacity: true)
    }
}
