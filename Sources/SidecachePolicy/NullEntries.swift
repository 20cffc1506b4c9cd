/// Keys the upstream said do not exist, each remembered until its deadline (null-value
/// caching), at most `capacity` at once: when full, arbitrary entries make room (the table is
/// a cache of misses; losing one costs one upstream request).
public struct NullEntries: Sendable {
    private var deadlines: [CacheKey: Int64] = [:]
    public var capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public var count: Int { deadlines.count }

    /// Whether `key` is known missing at `now` (milliseconds); forgets it once past its deadline.
    public mutating func contains(_ key: CacheKey, now: Int64) -> Bool {
        guard let deadline = deadlines[key] else { return false }
        if deadline > now { return true }
        deadlines[key] = nil
        return false
    }

    public mutating func insert(_ key: CacheKey, until deadline: Int64) {
        guard capacity > 0 else { return }
        if deadlines.count >= capacity, deadlines[key] == nil {
            for _ in 0..<min(64, deadlines.count) { deadlines.remove(at: deadlines.startIndex) }
        }
        deadlines[key] = deadline
    }

    /// Forgets `key`; returns whether it was remembered.
    @discardableResult
    public mutating func remove(_ key: CacheKey) -> Bool {
        deadlines.removeValue(forKey: key) != nil
    }

    /// Forgets every entry of `database`, or all of them when `nil`.
    public mutating func removeAll(database: Int?) {
        guard let database else { return deadlines.removeAll() }
        deadlines = deadlines.filter { $0.key.database != database }
    }

    /// Drops the entries past their deadline (the periodic sweep).
    public mutating func removeExpired(now: Int64) {
        deadlines = deadlines.filter { $0.value > now }
    }
}
