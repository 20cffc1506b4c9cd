extension Database {
    /// Adds `key` (which must not exist) holding a deserialized value, encoded as the current
    /// limits choose (RESTORE, and the cache tier's fills from the upstream's DUMP).
    @discardableResult
    package func addRestored(_ key: UnsafeRawBufferPointer, _ value: DumpValue) -> KeyEntry {
        if case .string(let bytes) = value {
            return bytes.withUnsafeBytes { addString(key, $0) }
        }
        return add(key, StoredValue.collection(restoring: value, limits: keyspace.encodingLimits)!)
    }
}
