/// A sorted set (Redis's t_zset.c data half): a listpack while small, then a skiplist with a member→score map.
///
/// Placeholder: the type's helper replaces this file with the real structure.
package final class SortedSetValue: CollectionValue, @unchecked Sendable {
    package init(restoring elements: [DumpValue.ScoredMember], limits: EncodingLimits) {
        preconditionFailure("SortedSetValue is not implemented yet")
    }

    package var encodingName: StaticString { "listpack" }
    package var estimatedMemoryUsage: Int { 0 }
    package var dumpValue: DumpValue? { nil }
    package func copy() -> Self { self }
}
