extension Database {
    /// Redis's `lookupKeyReadOrReply` + `checkType` for strings: the string entry for `key`,
    /// or `nil` after `missing` has replied for an absent key or WRONGTYPE was answered.
    @inline(__always)
    package func lookupString(_ key: UnsafeRawBufferPointer, for client: EngineClient, missing: () -> Void) -> KeyEntry? {
        guard let entry = lookupRead(key) else {
            missing()
            return nil
        }
        guard entry.value.isString else {
            client.replyWrongType()
            return nil
        }
        return entry
    }
}
