extension Database {
    /// Redis's `signalKeyAsReady`: `key` now holds a list or sorted set that a client blocked
    /// on it may be able to pop from. Call it after pushing to a list or adding to a sorted set.
    /// One comparison when no client is blocked anywhere; the clients are served before the
    /// keyspace lock is released (see `BlockingRegistry`).
    @inline(__always)
    package func signalKeyAsReady(_ key: UnsafeRawBufferPointer) {
        guard keyspace.blocking.blockedCount > 0 else { return }
        keyspace.blocking.signal(database: index, key: key)
    }

    /// Blocks `client` on `keys` (Redis's `blockForKeys`): it is served, in the order clients
    /// blocked on a key, by `retry` when a key it waits on is signalled, or answered with a
    /// null array after `timeout` milliseconds (0: never). The caller checks
    /// `client.blocking.allowed` first and has found nothing to pop, within the same hold of
    /// the keyspace lock, so no push can slip in between. The connection learns of the wait
    /// through `client.blocking.current` once the command returns.
    ///
    /// For a blocking command of another type (BZPOPMIN, BZPOPMAX, BZMPOP): parse the timeout
    /// with `BlockingTimeout.parse`, try every key as the non-blocking form does, and if none
    /// had anything and `client.blocking.allowed`, call this with a retry that pops from the
    /// one key it is given (a missing key or one of another type returns `false`); if blocking
    /// is not allowed, reply what the timeout would (`replyNullArray`).
    package func block(_ client: EngineClient, keys: [[UInt8]], timeout: Int64, retry: @escaping BlockedRetry) {
        guard let wake = client.blocking.wake else { preconditionFailure("blocking a client that cannot block") }
        let blocked = BlockedClient(
            from: client,
            keys: keys.map { KeyBytes(bytes: $0) },
            timeout: timeout,
            retry: retry,
            wake: wake
        )
        keyspace.blocking.register(blocked)
        client.blocking.current = blocked
    }
}
