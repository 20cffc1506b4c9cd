import SidecacheRESP

extension Database {
    /// HDEL, SREM and ZREM after their lookup: removes the members named from frame position 2
    /// on with `remove`, deleting `key` once `isEmpty` (later members are not read, as in
    /// Redis). When any went: signals watchers, notifies `event` of class `type` (and `del`
    /// when the key went), and counts a change per member. Returns the number removed.
    func removeMembers(
        of key: UnsafeRawBufferPointer,
        frame: RESPCommandFrame,
        type: KeyspaceEventClass,
        event: StaticString,
        remove: (UnsafeRawBufferPointer) -> Bool,
        isEmpty: () -> Bool
    ) -> Int {
        var removed = 0
        var keyRemoved = false
        for index in 2..<frame.count where frame.withArgument(index, remove) {
            removed += 1
            if isEmpty() {
                delete(key)
                keyRemoved = true
                break
            }
        }
        if removed > 0 {
            signalModified(key)
            notify(type, event, key: key)
            if keyRemoved { notify(.generic, "del", key: key) }
            keyspace.statistics.changes += removed
        }
        return removed
    }
}
