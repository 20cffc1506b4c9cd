/// A list (Redis's t_list.c data half): a quicklist of listpack nodes.
///
/// Placeholder: the type's helper replaces this file with the real structure.
package final class ListValue: CollectionValue, @unchecked Sendable {
    package init(restoring elements: [[UInt8]], limits: EncodingLimits) {
        preconditionFailure("ListValue is not implemented yet")
    }

    package var encodingName: StaticString { "quicklist" }
    package var estimatedMemoryUsage: Int { 0 }
    package var dumpValue: DumpValue? { nil }
    package func copy() -> Self { self }
}
