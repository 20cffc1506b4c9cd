/// An incremental scan of the whole keyspace for the biggest keys by MEMORY USAGE: what
/// `redis-cli --memkeys` finds, without a round trip per key and without holding the
/// keyspace lock for long. Each `step` takes the lock once and visits hash buckets (SCAN's
/// cursor order, so keys present for the whole scan are all seen, even across resizes)
/// until it has visited `keysPerStep` keys or spent `stepBudget`, whichever comes first;
/// every collection's estimate is O(1), so a step's time is bounded by its key count.
/// Between steps other clients run; keys written meanwhile may or may not be seen.
public final class BigKeyScan {
    /// One of the biggest keys.
    public struct BigKey: Sendable, Equatable {
        public var database: Int
        public var key: [UInt8]
        /// The TYPE of the value (`string`, `list`, `hash`, `set`, `zset`, `MBbloom--`).
        public var type: String
        /// MEMORY USAGE's estimate, in bytes.
        public var bytes: Int
    }

    private let keyspace: Keyspace
    private let limit: Int
    /// Keys visited per step at most (a bucket's chain may take it a few over).
    public var keysPerStep: Int
    /// Time per step at most, in nanoseconds (checked every 16 buckets).
    public var stepBudgetNanoseconds: UInt64
    private var database = 0
    private var cursor: UInt64 = 0
    /// The biggest keys so far, biggest first.
    public private(set) var biggest: [BigKey] = []
    /// Keys visited so far (a key may be visited twice across a resize).
    public private(set) var keysVisited = 0
    public private(set) var steps = 0
    public private(set) var isFinished = false

    /// A scan for the `limit` biggest keys. The defaults keep one step well under 1 ms.
    public init(keyspace: Keyspace, limit: Int = 10, keysPerStep: Int = 1000, stepBudgetNanoseconds: UInt64 = 500_000) {
        self.keyspace = keyspace
        self.limit = limit
        self.keysPerStep = keysPerStep
        self.stepBudgetNanoseconds = stepBudgetNanoseconds
    }

    /// One bounded step under the keyspace lock. Returns the keys visited in it.
    @discardableResult
    public func step() -> Int {
        guard !isFinished else { return 0 }
        steps += 1
        return keyspace.withState { state in
            let started = Clocks.monotonicNanoseconds()
            var visited = 0
            var buckets = 0
            while visited < keysPerStep {
                guard database < state.databases.count else {
                    isFinished = true
                    break
                }
                let current = state.databases[database]
                cursor = current.scan(cursor: cursor) { entry in
                    visited += 1
                    guard !current.isExpired(entry) else { return }
                    consider(entry, database: current.index)
                }
                if cursor == 0 { database += 1 }
                buckets += 1
                if buckets & 15 == 0 && Clocks.monotonicNanoseconds() &- started > stepBudgetNanoseconds { break }
            }
            keysVisited += visited
            return visited
        }
    }

    /// Steps until the whole keyspace has been visited, releasing the lock between steps.
    /// Returns the biggest keys, biggest first.
    public func run() -> [BigKey] {
        while !isFinished { step() }
        return biggest
    }

    private func consider(_ entry: KeyEntry, database: Int) {
        let bytes = entry.estimatedMemoryUsage
        guard biggest.count < limit || bytes > biggest[biggest.count - 1].bytes else { return }
        let key = entry.key
        // A resize during the scan can show a key twice.
        if let seen = biggest.firstIndex(where: { $0.database == database && $0.key == key }) { biggest.remove(at: seen) }
        let found = BigKey(database: database, key: key, type: "\(entry.value.typeName)", bytes: bytes)
        let position = biggest.firstIndex { $0.bytes < bytes } ?? biggest.count
        biggest.insert(found, at: position)
        if biggest.count > limit { biggest.removeLast() }
    }
}

@available(*, unavailable)
extension BigKeyScan: Sendable {}
