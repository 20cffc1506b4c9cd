/// The running count of bytes the keyspace's data holds: INFO's `used_memory`, what
/// `maxmemory` is compared with. Shared by the keyspace's databases and their hash tables,
/// each of which adds and subtracts what it allocates and frees, so that reading it is one
/// load (Redis's `zmalloc_used_memory`); nothing ever rescans the keyspace to compute it.
///
/// What is counted, in glibc malloc chunks (the request plus 8 bytes, rounded up to 16, at
/// least 32): each key's entry (fields, key bytes, an embedded string), a `raw` string's
/// array, each collection's `estimatedMemoryUsage`, one pointer per key with an expiry, and
/// the hash tables' bucket arrays. Not counted: client buffers, the command table and the
/// rest of the process (INFO's `used_memory_rss` shows the whole process).
///
/// Not thread-safe: the keyspace lock guards it.
package final class MemoryCounter {
    @exclusivity(unchecked) package var bytes = 0

    package init() {}

    /// The chunk glibc's malloc hands out for a request of `bytes`: what the allocation
    /// really costs, header included.
    @inline(__always)
    package static func mallocChunk(_ bytes: Int) -> Int {
        max(32, (bytes + 8 + 15) & ~15)
    }
}
