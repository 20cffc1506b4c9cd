/// A set (Redis's t_set.c data half): an intset or listpack while small, then a hash table.
///
/// Placeholder: the type's helper replaces this file with the real structure.
package final class SetValue: CollectionValue, @unchecked Sendable {
    package init(restoring elements: [[UInt8]], limits: EncodingLimits) {
        preconditionFailure("SetValue is not implemented yet")
    }

    package var encodingName: StaticString { "intset" }
    package var estimatedMemoryUsage: Int { 0 }
    package var dumpValue: DumpValue? { nil }
    package func copy() -> Self { self }
}
