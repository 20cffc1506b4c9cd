extension Database {
    /// Redis's `notifyKeyspaceEvent`: reports that `event` of class `type` happened to `key`.
    /// Costs one test when notifications of that class are off (the default). Call it where
    /// Redis does, after the change.
    @inline(__always)
    package func notify(_ type: KeyspaceEventClass, _ event: StaticString, key: UnsafeRawBufferPointer) {
        guard keyspace.notifyFlags.rawValue & type.rawValue != 0, let sink = keyspace.eventSink else { return }
        sink(KeyspaceEvent(database: index, type: type, event: event, key: key))
    }
}
