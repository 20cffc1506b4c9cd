extension Database {
    /// Redis's `signalKeyAsReady`: `key` now holds a list or sorted set that a client blocked
    /// on it may be able to pop from. Call it after pushing to a list or adding to a sorted set.
    ///
    /// Placeholder until the blocking commands land.
    package func signalKeyAsReady(_ key: UnsafeRawBufferPointer) {}
}
