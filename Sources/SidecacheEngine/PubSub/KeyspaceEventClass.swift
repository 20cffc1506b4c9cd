/// The classes of keyspace notification (`notify-keyspace-events`), with Redis's bit values.
package struct KeyspaceEventClass: OptionSet, Sendable, Hashable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }

    /// `K`: publish on `__keyspace@<db>__:<key>`.
    package static let keyspace = Self(rawValue: 1 << 0)
    /// `E`: publish on `__keyevent@<db>__:<event>`.
    package static let keyevent = Self(rawValue: 1 << 1)
    /// `g`: DEL, EXPIRE, RENAME and the other type-independent commands.
    package static let generic = Self(rawValue: 1 << 2)
    /// `$`
    package static let string = Self(rawValue: 1 << 3)
    /// `l`
    package static let list = Self(rawValue: 1 << 4)
    /// `s`
    package static let set = Self(rawValue: 1 << 5)
    /// `h`
    package static let hash = Self(rawValue: 1 << 6)
    /// `z`
    package static let sortedSet = Self(rawValue: 1 << 7)
    /// `x`: a key deleted because its time passed.
    package static let expired = Self(rawValue: 1 << 8)
    /// `e`: a key evicted for maxmemory.
    package static let evicted = Self(rawValue: 1 << 9)
    /// `t`
    package static let stream = Self(rawValue: 1 << 10)
    /// `m`: a read that missed (not part of `A`).
    package static let keyMiss = Self(rawValue: 1 << 11)
    /// `d`: module types (Bloom filters here).
    package static let module = Self(rawValue: 1 << 13)
    /// `n`: a key created (not part of `A`).
    package static let new = Self(rawValue: 1 << 14)
}

/// One keyspace notification, valid only during the call that receives it.
package struct KeyspaceEvent {
    package var database: Int
    package var type: KeyspaceEventClass
    /// The event name, e.g. `lpush`, `expired`.
    package var event: StaticString
    package var key: UnsafeRawBufferPointer
    /// Where to publish it: `.keyspace` (`__keyspace@<db>__:<key>`), `.keyevent`
    /// (`__keyevent@<db>__:<event>`), both or neither, as `notify-keyspace-events` says.
    package var channels: KeyspaceEventClass
}
