/// A key in one database: what the policy's tables are keyed by.
public struct CacheKey: Hashable, Sendable {
    public var database: Int
    public var key: [UInt8]

    public init(database: Int, key: [UInt8]) {
        self.database = database
        self.key = key
    }
}
