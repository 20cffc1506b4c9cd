/// A hash (Redis's t_hash.c data half): a listpack while small, then a hash table.
///
/// Placeholder: the type's helper replaces this file with the real structure.
package final class HashValue: CollectionValue, @unchecked Sendable {
    package init(restoring elements: [DumpValue.HashField], limits: EncodingLimits) {
        preconditionFailure("HashValue is not implemented yet")
    }

    package var encodingName: StaticString { "listpack" }
    package var estimatedMemoryUsage: Int { 0 }
    package var dumpValue: DumpValue? { nil }
    package func copy() -> Self { self }
}
