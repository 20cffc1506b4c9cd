extension Database {
    /// Redis's `notifyKeyspaceEvent`: reports that `event` of class `type` happened to `key`.
    /// Costs one test when notifications of that class are off (the default). Call it where
    /// Redis does, after the change and in Redis's order relative to the reply (a RESP3 client
    /// subscribed to its own events sees the message where Redis puts it).
    @inline(__always)
    package func notify(_ type: KeyspaceEventClass, _ event: StaticString, key: UnsafeRawBufferPointer) {
        let flags = keyspace.notifyFlags
        guard flags.rawValue & type.rawValue != 0, let sink = keyspace.eventSink else { return }
        sink(KeyspaceEvent(database: index, type: type, event: event, key: key, channels: flags.intersection([.keyspace, .keyevent])))
    }
}
