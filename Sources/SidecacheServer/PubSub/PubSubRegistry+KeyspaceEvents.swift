import SidecacheEngine

extension PubSubRegistry {
    /// The keyspace's event sink (the second half of Redis's `notifyKeyspaceEvent`): publishes
    /// the event name on `__keyspace@<db>__:<key>` and the key on `__keyevent@<db>__:<event>`,
    /// on whichever of the two `notify-keyspace-events` turned on. Called with the keyspace
    /// lock held; takes only the registry's lock.
    func publishKeyspaceEvent(_ event: KeyspaceEvent) {
        let name = UnsafeRawBufferPointer(start: event.event.utf8Start, count: event.event.utf8CodeUnitCount)
        let database = Array(String(event.database).utf8)
        if event.channels.contains(.keyspace) {
            let channel = Array("__keyspace@".utf8) + database + Array("__:".utf8) + event.key
            _ = publish(name, to: channel)
        }
        if event.channels.contains(.keyevent) {
            let channel = Array("__keyevent@".utf8) + database + Array("__:".utf8) + name
            _ = publish(event.key, to: channel)
        }
    }
}
