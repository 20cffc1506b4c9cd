/// The active expiry cycle: Redis's `activeExpireCycle` (slow mode) from `expire.c`.
///
/// Lazy expiry alone never frees a key nobody reads. So `hz` times a second the cycle
/// samples 20 keys with an expiry per database and deletes the expired ones, repeating while
/// more than 10% of a sample had expired, within a budget of 25% of one cron period. The
/// lock is taken per batch of samples, not for the whole cycle, so clients keep running.
extension Keyspace {
    static let keysPerSample = 20
    static let acceptableStalePercent = 10
    static let budgetPercentOfPeriod = 25
    /// Sampling loops run per lock hold: short enough that a client waits well under 1 ms.
    static let loopsPerLockHold = 16

    /// Runs one cycle. `hz` is the cron frequency (the budget is 25% of `1/hz`).
    /// Returns the number of keys deleted.
    @discardableResult
    public func activeExpireCycle(hz: Int) -> Int {
        let started = Clocks.monotonicNanoseconds()
        let budgetNanoseconds = UInt64(Self.budgetPercentOfPeriod) * 1_000_000_000 / UInt64(max(hz, 1)) / 100
        var totalSampled = 0
        var totalExpired = 0
        var capped = false
        databases: for index in 0..<databaseCount {
            var more = true
            while more {
                more = withState { state in
                    let database = state.databases[index]
                    for _ in 0..<Self.loopsPerLockHold {
                        let (sampled, expired) = database.expireSample(count: Self.keysPerSample)
                        totalSampled += sampled
                        totalExpired += expired
                        if sampled == 0 || expired * 100 / sampled <= Self.acceptableStalePercent { return false }
                    }
                    return true
                }
                if more && Clocks.monotonicNanoseconds() &- started > budgetNanoseconds {
                    capped = true
                    break databases
                }
            }
        }
        let elapsedMicroseconds = Int((Clocks.monotonicNanoseconds() &- started) / 1000)
        withState { state in
            state.statistics.expireCycleMicroseconds += elapsedMicroseconds
            if capped { state.statistics.expiredTimeCappedReachedCount += 1 }
            let current = totalSampled > 0 ? Double(totalExpired) / Double(totalSampled) : 0
            state.statistics.expiredStalePercent = current * 0.05 + state.statistics.expiredStalePercent * 0.95
        }
        return totalExpired
    }

    /// The rest of Redis's `databasesCron`: shrink tables that emptied out and give any
    /// rehash in progress a short slice of time. Also goes on with an eviction that stopped
    /// on its time limit (Redis's eviction timer), so that an idle server gets under
    /// `maxmemory` too.
    public func databasesCron() {
        withState { _ = $0.freeMemoryIfNeeded() }
        for index in 0..<databaseCount {
            withState { state in
                let table = state.databases[index].table
                table.shrinkIfNeeded()
                // 100 buckets per step, as Redis's `dictRehashMilliseconds`; a few steps per call.
                for _ in 0..<10 where table.rehash(steps: 100) {}
            }
        }
    }
}

extension Database {
    /// Samples up to `count` keys with an expiry at random and deletes those that expired.
    /// Returns how many were sampled and how many deleted.
    func expireSample(count: Int) -> (sampled: Int, expired: Int) {
        let sampled = min(count, expiring.count)
        var expired = 0
        var ttlSum: Int64 = 0
        var ttlSamples: Int64 = 0
        let now = keyspace.now
        for _ in 0..<sampled {
            guard expiring.count > 0 else { break }
            let entry = expiring[Int.random(in: 0..<expiring.count, using: &keyspace.random)]
            let ttl = entry.fields.pointee.expireAt - now
            // Redis's `activeExpireCycleTryExpire` deletes when `now > when`; a key in the
            // millisecond of its expiry is neither deleted nor part of the TTL average.
            if ttl < 0 {
                deleteExpired(entry)
                expired += 1
            } else if ttl > 0 {
                // TTLs reach `Int64.max` (PXAT 9223372036854775807): saturate rather than trap.
                let (sum, overflow) = ttlSum.addingReportingOverflow(ttl)
                ttlSum = overflow ? Int64.max : sum
                ttlSamples += 1
            }
        }
        if ttlSamples > 0 {
            // Redis's running estimate: each sample moves the average by 2%.
            let average = Int(ttlSum / ttlSamples)
            averageTTL = averageTTL == 0 ? average : averageTTL / 50 * 49 + average / 50
        }
        return (sampled, expired)
    }
}
