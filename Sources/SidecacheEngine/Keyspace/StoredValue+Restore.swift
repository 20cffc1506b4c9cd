extension StoredValue {
    /// The stored form of a collection RESTORE decoded (strings are stored by the caller,
    /// which chooses their encoding), encoded as the current `limits` choose.
    package static func collection(restoring value: DumpValue, limits: EncodingLimits) -> StoredValue? {
        switch value {
        case .string: nil
        case .list(let elements): .list(ListValue(restoring: elements, limits: limits))
        case .set(let members): .set(SetValue(restoring: members, limits: limits))
        case .hash(let fields): .hash(HashValue(restoring: fields, limits: limits))
        case .sortedSet(let members): .sortedSet(SortedSetValue(restoring: members, limits: limits))
        }
    }
}
