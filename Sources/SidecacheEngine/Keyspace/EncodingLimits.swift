/// Where small collections stop being stored compactly (Redis's `*-max-listpack-*`,
/// `set-max-intset-entries` and `list-max-listpack-size` parameters), read by the commands
/// that grow a collection. Defaults are Redis 7's.
package struct EncodingLimits: Sendable, Equatable {
    package var hashMaxListpackEntries = 128
    package var hashMaxListpackValue = 64
    package var setMaxIntsetEntries = 512
    package var setMaxListpackEntries = 128
    package var setMaxListpackValue = 64
    package var zsetMaxListpackEntries = 128
    package var zsetMaxListpackValue = 64
    /// Positive: most entries per quicklist node; -1…-5: most bytes per node, 4 KiB…64 KiB.
    package var listMaxListpackSize = -2
    /// Quicklist nodes at each end left uncompressed (0: no compression).
    package var listCompressDepth = 0

    package init() {}
}
