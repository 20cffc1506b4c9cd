/// A snapshot of the keyspace's memory figures: what INFO memory, MEMORY STATS and MEMORY
/// DOCTOR report, and what the admin API will serve.
public struct MemoryReport: Sendable {
    /// One non-empty database's bookkeeping (MEMORY STATS `db.N`).
    public struct DatabaseOverhead: Sendable {
        public var index: Int
        public var keys: Int
        /// The hash table's bucket arrays and each key's entry fields.
        public var mainTable: Int
        /// The pointers of the keys with an expiry.
        public var expires: Int
    }

    /// Bytes the data holds (`used_memory`).
    public var usedMemory: Int
    /// The most it has held (`used_memory_peak`).
    public var peakMemory: Int
    public var maxMemory: Int
    public var policy: EvictionPolicy
    public var keyCount: Int
    public var databases: [DatabaseOverhead]

    /// Bookkeeping bytes across databases (`used_memory_overhead`, without a startup figure).
    public var overhead: Int { databases.reduce(0) { $0 + $1.mainTable + $1.expires } }
    /// What the keys and values themselves hold (`used_memory_dataset`).
    public var dataset: Int { max(0, usedMemory - overhead) }
}

extension Keyspace {
    /// The memory figures now (updates the peak).
    public func memoryReport() -> MemoryReport {
        withState { state in
            if state.usedMemory > state.peakMemory { state.peakMemory = state.usedMemory }
            var keys = 0
            var databases: [MemoryReport.DatabaseOverhead] = []
            for database in state.databases where database.count > 0 {
                keys += database.count
                databases.append(
                    MemoryReport.DatabaseOverhead(
                        index: database.index, keys: database.count,
                        mainTable: database.table.bucketBytes + database.count * KeyEntry.elementsOffset,
                        expires: database.expiringCount * KeyEntry.pointerBytes))
            }
            return MemoryReport(
                usedMemory: state.usedMemory, peakMemory: state.peakMemory, maxMemory: state.eviction.maxMemory,
                policy: state.eviction.policy, keyCount: keys, databases: databases)
        }
    }
}
