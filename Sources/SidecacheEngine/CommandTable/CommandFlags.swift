/// Command flags as Redis names them in COMMAND INFO (`server.h` `CMD_*`).
public struct CommandFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let write = CommandFlags(rawValue: 1 << 0)
    public static let readonly = CommandFlags(rawValue: 1 << 1)
    public static let denyoom = CommandFlags(rawValue: 1 << 2)
    public static let module = CommandFlags(rawValue: 1 << 3)
    public static let admin = CommandFlags(rawValue: 1 << 4)
    public static let pubsub = CommandFlags(rawValue: 1 << 5)
    public static let noscript = CommandFlags(rawValue: 1 << 6)
    public static let blocking = CommandFlags(rawValue: 1 << 7)
    public static let loading = CommandFlags(rawValue: 1 << 8)
    public static let stale = CommandFlags(rawValue: 1 << 9)
    public static let skipMonitor = CommandFlags(rawValue: 1 << 10)
    public static let skipSlowlog = CommandFlags(rawValue: 1 << 11)
    public static let asking = CommandFlags(rawValue: 1 << 12)
    public static let fast = CommandFlags(rawValue: 1 << 13)
    public static let noAuth = CommandFlags(rawValue: 1 << 14)
    public static let mayReplicate = CommandFlags(rawValue: 1 << 15)
    public static let sentinel = CommandFlags(rawValue: 1 << 16)
    public static let onlySentinel = CommandFlags(rawValue: 1 << 17)
    public static let noMandatoryKeys = CommandFlags(rawValue: 1 << 18)
    public static let protected = CommandFlags(rawValue: 1 << 19)
    public static let noAsyncLoading = CommandFlags(rawValue: 1 << 20)
    public static let noMulti = CommandFlags(rawValue: 1 << 21)
    public static let movableKeys = CommandFlags(rawValue: 1 << 22)
    public static let allowBusy = CommandFlags(rawValue: 1 << 23)

    static let byName: [String: CommandFlags] = [
        "write": .write, "readonly": .readonly, "denyoom": .denyoom, "module": .module, "admin": .admin,
        "pubsub": .pubsub, "noscript": .noscript, "blocking": .blocking, "loading": .loading, "stale": .stale,
        "skip_monitor": .skipMonitor, "skip_slowlog": .skipSlowlog, "asking": .asking, "fast": .fast,
        "no_auth": .noAuth, "may_replicate": .mayReplicate, "sentinel": .sentinel, "only_sentinel": .onlySentinel,
        "no_mandatory_keys": .noMandatoryKeys, "protected": .protected, "no_async_loading": .noAsyncLoading,
        "no_multi": .noMulti, "movablekeys": .movableKeys, "allow_busy": .allowBusy,
    ]
}

/// ACL categories (`@read`, `@string`, ...), as Redis lists them in `ACL CAT`.
public struct ACLCategories: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Category names in Redis's order; bit `i` is `names[i]`.
    public static let names = [
        "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog",
        "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection",
        "transaction", "scripting",
        // A module's category (RedisBloom's), after Redis's own.
        "bloom",
    ]

    public init?(name: String) {
        guard let index = Self.names.firstIndex(of: name) else { return nil }
        self.init(rawValue: 1 << UInt32(index))
    }
}
