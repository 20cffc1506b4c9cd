/// The outcome of a typed write lookup: the key's value of the wanted type, no key, or a key
/// of another type (WRONGTYPE already answered).
package enum TypedLookup<Value> {
    case found(Value)
    case missing
    case wrongType
}

extension Database {
    /// Redis's `lookupKeyReadOrReply` + `checkType` for a collection: the value for `key`
    /// viewed as `view` (e.g. `\.list`), or `nil` after replying: `missing` answers for an
    /// absent key, WRONGTYPE for a key of another type. Counts a hit or a miss.
    @inline(__always)
    package func lookupRead<Value>(
        _ key: UnsafeRawBufferPointer,
        as view: (StoredValue) -> Value?,
        for client: EngineClient,
        missing: () -> Void
    ) -> Value? {
        guard let entry = lookupRead(key) else {
            missing()
            return nil
        }
        guard let value = view(entry.value) else {
            client.replyWrongType()
            return nil
        }
        return value
    }

    /// Redis's `lookupKeyWrite` + `checkType`: the value for `key` viewed as `view`, `.missing`
    /// when there is no key (the caller may create it), or `.wrongType` after WRONGTYPE was answered.
    @inline(__always)
    package func lookupWrite<Value>(
        _ key: UnsafeRawBufferPointer,
        as view: (StoredValue) -> Value?,
        for client: EngineClient
    ) -> TypedLookup<Value> {
        guard let entry = lookupWrite(key) else { return .missing }
        guard let value = view(entry.value) else {
            client.replyWrongType()
            return .wrongType
        }
        return .found(value)
    }
}
