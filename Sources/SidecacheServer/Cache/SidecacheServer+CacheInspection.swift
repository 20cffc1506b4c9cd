import SidecacheEngine

extension SidecacheServer {
    /// The expiry times (Unix ms) of the local copies in `database`: how the cache tier spread
    /// its lifetimes (the avalanche test reads them).
    package func localExpiryTimes(database: Int = 0) -> [Int64] {
        context.keyspace.withState { state in
            var times: [Int64] = []
            state.database(database).forEachLiveEntry { entry in
                if let expireAt = entry.expireAt { times.append(expireAt) }
            }
            return times
        }
    }
}
