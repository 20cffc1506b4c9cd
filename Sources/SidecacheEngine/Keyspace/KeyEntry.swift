/// The fixed part of a key's allocation; see `KeyEntry`.
///
/// Field order matters: it packs the header into 44 bytes, so that a key of 11 bytes with a
/// 32-byte value fits a 112-byte malloc chunk (16-byte object header + 44 + 43 + 8 < 112).
package struct KeyEntryHeader {
    /// The next entry in the same hash bucket. Unretained: the table owns every entry it
    /// links (one retain each, taken on insert), so walking a chain costs no reference counting.
    var next: Unmanaged<KeyEntry>?
    var value: StoredValue
    var keyLength: UInt32
    /// Redis's 24-bit LRU clock (seconds) at the last access, or LFU minutes and counter.
    var accessClock: UInt32
    /// Position in the database's list of expiring keys; `KeyEntry.noExpireSlot` when none.
    var expireSlot: UInt32
    /// Absolute expiry in Unix milliseconds; meaningful only while `expireSlot` is set.
    var expireAt: Int64
    /// The key's hash, kept so that chains compare cheaply and rehashing does not rehash.
    var hash: UInt32
}

/// One key of a database, in a single allocation: header, key bytes, and the bytes of a
/// short string value (Redis's `dictEntry` + key `sds` + `embstr` value, in one block).
///
/// An entry belongs to one bucket chain of one `KeyTable`. Its key never changes; a value
/// that changes size (a new embedded string) gets a new entry in the same place.
package final class KeyEntry: ManagedBuffer<KeyEntryHeader, UInt8> {
    static let noExpireSlot = UInt32.max

    /// A new entry for `key` with `value`; `embedded` holds the bytes of an `.embedded` value
    /// (whose length it must state).
    static func make(
        key: UnsafeRawBufferPointer,
        hash: UInt32,
        value: StoredValue,
        embedded: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        accessClock: UInt32
    ) -> KeyEntry {
        let header = KeyEntryHeader(
            next: nil,
            value: value,
            keyLength: UInt32(key.count),
            accessClock: accessClock,
            expireSlot: noExpireSlot,
            expireAt: 0,
            hash: hash
        )
        let object = KeyEntry.create(minimumCapacity: key.count + embedded.count) { _ in header }
        let entry = unsafeDowncast(object, to: KeyEntry.self)
        entry.withUnsafeMutablePointerToElements { bytes in
            if let base = key.baseAddress { bytes.update(from: base.assumingMemoryBound(to: UInt8.self), count: key.count) }
            if let base = embedded.baseAddress {
                (bytes + key.count).update(from: base.assumingMemoryBound(to: UInt8.self), count: embedded.count)
            }
        }
        return entry
    }

    @inline(__always)
    var fields: UnsafeMutablePointer<KeyEntryHeader> {
        withUnsafeMutablePointerToHeader { $0 }
    }

    var next: Unmanaged<KeyEntry>? {
        @inline(__always) get { fields.pointee.next }
        @inline(__always) set { fields.pointee.next = newValue }
    }

    package var value: StoredValue {
        @inline(__always) get { fields.pointee.value }
        @inline(__always) set { fields.pointee.value = newValue }
    }

    var hash: UInt32 { fields.pointee.hash }

    package var keyLength: Int { Int(fields.pointee.keyLength) }

    package var hasExpire: Bool { fields.pointee.expireSlot != Self.noExpireSlot }

    /// The expiry in Unix milliseconds, or `nil` for a persistent key.
    package var expireAt: Int64? { hasExpire ? fields.pointee.expireAt : nil }

    package var accessClock: UInt32 {
        get { fields.pointee.accessClock }
        set { fields.pointee.accessClock = newValue }
    }

    /// Calls `body` with the key's bytes (valid only inside `body`).
    @inline(__always)
    package func withKey<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let length = keyLength
        return try withUnsafeMutablePointerToElements { try body(UnsafeRawBufferPointer(start: $0, count: length)) }
    }

    package var key: [UInt8] { withKey { Array($0) } }

    /// Whether the entry's key equals `key`.
    @inline(__always)
    func hasKey(_ key: UnsafeRawBufferPointer) -> Bool {
        guard key.count == keyLength else { return false }
        return withKey { mine in
            guard let a = mine.baseAddress, let b = key.baseAddress else { return true }
            return memcmp(a, b, key.count) == 0
        }
    }

    /// Calls `body` with the bytes of an `.embedded` value.
    @inline(__always)
    func withEmbeddedValue<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let offset = keyLength
        guard case .embedded(let embeddedLength) = fields.pointee.value else {
            preconditionFailure("not an embedded value")
        }
        let length = Int(embeddedLength)
        return try withUnsafeMutablePointerToElements {
            try body(UnsafeRawBufferPointer(start: $0 + offset, count: length))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
