/// A scalable Bloom filter (RedisBloom's `MBbloom--` type).
///
/// Placeholder: the type's helper replaces this file with the real structure.
package final class BloomFilterValue: CollectionValue, @unchecked Sendable {
    package var encodingName: StaticString { "raw" }
    package var estimatedMemoryUsage: Int { 0 }
    package var dumpValue: DumpValue? { nil }
    package func copy() -> Self { self }
}
