/// Eviction: Redis's `performEvictions` (`evict.c`), run before each command that may grow
/// memory. While the data holds more than `maxmemory`, a victim is chosen by the policy and
/// deleted as Redis deletes it (an `evicted` event, watchers told, `evicted_keys` counted).
///
/// The LRU, LFU and TTL policies sample `maxmemory-samples` keys of each database (keys with
/// an expiry only, for the volatile ones) into the pool of the 16 best candidates, and evict
/// the best; the random policies take a random key, visiting the databases in turn.
extension KeyspaceState {
    /// Redis's reply when a command that may grow memory is refused.
    package static let outOfMemoryError = "OOM command not allowed when used memory > 'maxmemory'."

    /// Longest a single eviction run may take, as Redis's default `maxmemory-eviction-tenacity`
    /// (10) allows: past it the command runs anyway and the next command (or the cron) goes on.
    static let evictionTimeLimitNanoseconds: UInt64 = 500_000

    /// Brings the data under `maxmemory` (Redis's `performEvictions`). Returns whether a
    /// command that may grow memory may run: `false` when the data is over the limit and
    /// nothing more can be evicted (the `noeviction` policy, or no key with an expiry for a
    /// volatile one). Work is bounded: after 500 µs it returns `true` and leaves the rest to
    /// the next call. Does nothing when `maxmemory` is 0.
    package func freeMemoryIfNeeded() -> Bool {
        let limit = eviction.maxMemory
        guard limit > 0 else { return true }
        if !writtenCollections.isEmpty { settleWrittenCollections() }
        guard usedMemory > limit else { return true }
        guard eviction.policy != .noEviction else { return false }
        let started = Clocks.monotonicNanoseconds()
        var evicted = 0
        while usedMemory > limit {
            guard let (database, entry) = evictionVictim() else { return false }
            evict(entry, from: database)
            evicted += 1
            if evicted % 16 == 0 && Clocks.monotonicNanoseconds() &- started > Self.evictionTimeLimitNanoseconds {
                return true
            }
        }
        return true
    }

    /// Deletes `entry` for lack of memory (`performEvictions`' delete): watchers signalled,
    /// an `evicted` event (class `e`), counted in `evicted_keys`.
    func evict(_ entry: KeyEntry, from database: Database) {
        database.remove(entry)
        statistics.evictedKeys += 1
        entry.withKey { key in
            database.signalModified(key)
            database.notify(.evicted, "evicted", key: key)
        }
    }

    /// The next key to evict under the current policy, or `nil` when there is none.
    func evictionVictim() -> (Database, KeyEntry)? {
        let policy = eviction.policy
        if policy.isRandom {
            for _ in 0..<databases.count {
                nextEvictionDatabase = (nextEvictionDatabase + 1) % databases.count
                let database = databases[nextEvictionDatabase]
                if let entry = database.randomCandidate(volatileOnly: policy.volatileOnly, using: &random) {
                    return (database, entry)
                }
            }
            return nil
        }
        while true {
            var sampled = 0
            for database in databases {
                sampled += database.sampleEvictionCandidates(into: &evictionPool, state: self)
            }
            guard sampled > 0 else { return nil }
            while let candidate = evictionPool.popBest() {
                let database = databases[candidate.database]
                let entry = candidate.entry
                let current = entry.withKey { database.peek($0) }
                guard current === entry, !policy.volatileOnly || entry.hasExpire else { continue }
                return (database, entry)
            }
        }
    }

    /// The pool score of `entry` under the current policy: higher is evicted first.
    func evictionScore(_ entry: KeyEntry) -> UInt64 {
        switch eviction.policy {
        case .allKeysLFU, .volatileLFU:
            return UInt64(255 - lfuCounter(entry.accessClock))
        case .volatileTTL:
            return UInt64.max - UInt64(max(0, entry.fields.pointee.expireAt))
        default:
            return UInt64(ObjectCommands.idleSeconds(lastAccess: entry.accessClock, now: accessClock))
        }
    }
}

extension Database {
    /// Offers `maxmemory-samples` random keys (with an expiry only, for a volatile policy) to
    /// `pool`: uniform draws from the list of expiring keys, or `KeyTable.sample`'s run of
    /// buckets. Returns the number of keys the sample was drawn from, 0 for none.
    func sampleEvictionCandidates(into pool: inout EvictionPool, state: KeyspaceState) -> Int {
        let volatileOnly = state.eviction.policy.volatileOnly
        let population = volatileOnly ? expiring.count : table.count
        guard population > 0 else { return 0 }
        let samples = min(state.eviction.samples, population)
        if volatileOnly {
            // A sample as large as the population takes every key once.
            let everyKey = samples == population
            for draw in 0..<samples {
                let entry = expiring[everyKey ? draw : Int.random(in: 0..<population, using: &state.random)]
                pool.offer(EvictionPool.Candidate(score: state.evictionScore(entry), database: index, entry: entry))
            }
        } else {
            table.sample(count: samples, using: &state.random) { entry in
                pool.offer(EvictionPool.Candidate(score: state.evictionScore(entry), database: index, entry: entry))
            }
        }
        return population
    }

    /// A random key (with an expiry, when `volatileOnly`), expired or not, or `nil` when none.
    func randomCandidate<G: RandomNumberGenerator>(volatileOnly: Bool, using generator: inout G) -> KeyEntry? {
        if volatileOnly {
            guard expiring.count > 0 else { return nil }
            return expiring[Int.random(in: 0..<expiring.count, using: &generator)]
        }
        return table.randomEntry(using: &generator)
    }
}
