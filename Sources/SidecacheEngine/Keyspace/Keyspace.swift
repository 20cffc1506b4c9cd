import Synchronization

/// The local keyspace: `databases` numbered databases of byte keys.
///
/// Each database is split into shards guarded by their own lock (DESIGN.md), so commands on
/// different keys from different event loops do not contend. The data types and their
/// commands arrive with the engine issues; this type owns the storage and its counts.
public final class Keyspace: Sendable {
    public let databaseCount: Int
    private let databases: [Database]

    public init(databases: Int) {
        self.databaseCount = databases
        self.databases = (0..<databases).map { _ in Database() }
    }

    /// Number of keys in database `index` (DBSIZE).
    public func keyCount(database index: Int) -> Int {
        databases[index].count
    }

    /// Number of keys with an expiry in database `index`.
    public func expiringKeyCount(database index: Int) -> Int {
        databases[index].expiringCount
    }
}

/// One database: shards of a byte-keyed table.
final class Database: Sendable {
    static let shardCount = 64
    private let shards: [LockedShard]

    init() {
        shards = (0..<Self.shardCount).map { _ in LockedShard() }
    }

    var count: Int {
        shards.reduce(0) { total, shard in total + shard.state.withLock { $0.entries.count } }
    }

    var expiringCount: Int {
        shards.reduce(0) { total, shard in total + shard.state.withLock { $0.expiringCount } }
    }
}

final class LockedShard: Sendable {
    let state = Mutex(Shard())
}

struct Shard {
    var entries: [KeyBytes: StoredValue] = [:]
    var expiringCount = 0
}

/// A key as stored: its own copy of the bytes.
struct KeyBytes: Hashable, Sendable {
    var bytes: [UInt8]
}

/// A stored value. Types beyond strings come with the data-type issue.
enum StoredValue: Sendable {
    case string([UInt8])
}
