/// The `encoding` section: where small collections stop being stored compactly. The names
/// and defaults are Redis 7's (`hash-max-listpack-entries` and friends).
public struct EncodingConfiguration: Sendable, Equatable {
    /// `hash_max_listpack_entries`: most fields of a listpack-encoded hash.
    public var hashMaxListpackEntries = 128
    /// `hash_max_listpack_value`: longest field or value of a listpack-encoded hash, in bytes.
    public var hashMaxListpackValue = 64
    /// `set_max_intset_entries`: most members of an intset-encoded set.
    public var setMaxIntsetEntries = 512
    /// `set_max_listpack_entries`: most members of a listpack-encoded set (Redis 7.2).
    public var setMaxListpackEntries = 128
    /// `set_max_listpack_value`: longest member of a listpack-encoded set, in bytes (Redis 7.2).
    public var setMaxListpackValue = 64
    /// `zset_max_listpack_entries`: most members of a listpack-encoded sorted set.
    public var zsetMaxListpackEntries = 128
    /// `zset_max_listpack_value`: longest member of a listpack-encoded sorted set, in bytes.
    public var zsetMaxListpackValue = 64
    /// `list_max_listpack_size`: entries per quicklist node when positive; -1 to -5 cap a
    /// node at 4, 8, 16, 32 or 64 KiB.
    public var listMaxListpackSize = -2
    /// `list_compress_depth`: quicklist nodes at each end kept uncompressed (0: none compressed).
    public var listCompressDepth = 0

    public init() {}
}

extension EncodingConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("hash_max_listpack_entries", \.hashMaxListpackEntries, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("hash_max_listpack_value", \.hashMaxListpackValue, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("set_max_intset_entries", \.setMaxIntsetEntries, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("set_max_listpack_entries", \.setMaxListpackEntries, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("set_max_listpack_value", \.setMaxListpackValue, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("zset_max_listpack_entries", \.zsetMaxListpackEntries, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("zset_max_listpack_value", \.zsetMaxListpackValue, .integer(in: 0...Int(Int32.max))),
            ConfigurationKey("list_max_listpack_size", \.listMaxListpackSize, .integer(in: -5...Int(Int32.max))),
            ConfigurationKey("list_compress_depth", \.listCompressDepth, .integer(in: 0...Int(Int32.max))),
        ]
    }
}
