/// The thresholds that decide which encoding a collection gets, named after the redis.conf
/// settings they mirror. The defaults are redis-server 7.0.15's built-in ones (CONFIG GET on
/// a server started without a configuration file; hash-max-listpack-entries is 512), so that
/// our DUMP of a value is what redis-server produces for the same contents built with
/// RPUSH/SADD/HSET/ZADD.
package struct DumpEncodingLimits: Hashable, Sendable {
    /// `list-max-listpack-size`: negative -1...-5 caps each quicklist node at 4/8/16/32/64 KiB
    /// of listpack; positive caps the number of elements per node (and 8 KiB).
    package var listMaxListpackSize = -2
    /// Redis's `packed_threshold` (`DEBUG QUICKLIST-PACKED-THRESHOLD`): a list element this
    /// large or larger gets a plain quicklist node of its own.
    package var listPackedThreshold = 1 << 30
    package var hashMaxListpackEntries = 512
    package var hashMaxListpackValue = 64
    package var zsetMaxListpackEntries = 128
    package var zsetMaxListpackValue = 64
    package var setMaxIntsetEntries = 512

    package init() {}

    package static let redisDefaults = DumpEncodingLimits()
}
