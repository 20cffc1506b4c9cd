extension KeyEntry {
    /// Bytes of a Swift array's storage header on 64-bit platforms: object header (16),
    /// count (8), capacity and flags (8).
    static let arrayHeaderBytes = 32
    /// One pointer: the bucket slot (or chain link) that reaches the entry, and the slot in
    /// the list of expiring keys for a key with a TTL.
    static let pointerBytes = MemoryLayout<UnsafeRawPointer>.size

    /// An estimate of the memory this key holds in Sidecache's layout (MEMORY USAGE): the
    /// entry's one allocation (object header, fields, key bytes and an embedded value,
    /// rounded up to glibc's 16-byte granularity), the array of a `raw` value (header and capacity) or the collection's own estimate, one
    /// pointer for the hash bucket, and one more when the key has an expiry. It measures our
    /// layout, not Redis's, so it is not comparable byte for byte with redis-server's answer.
    package var estimatedMemoryUsage: Int {
        let object = Int(bitPattern: Unmanaged.passUnretained(self).toOpaque())
        let elements = withUnsafeMutablePointerToElements { Int(bitPattern: $0) }
        // Computed, not read from the allocator (`capacity` is malloc's usable size, which
        // varies with where the block came from), so that the same key always answers the same.
        var embedded = 0
        if case .embedded(let length) = value { embedded = Int(length) }
        let requested = elements - object + keyLength + embedded
        var total = (requested + 15) & ~15 + Self.pointerBytes
        if case .raw(let bytes) = value { total += Self.arrayHeaderBytes + bytes.capacity }
        if let collection = value.collection { total += collection.estimatedMemoryUsage }
        if hasExpire { total += Self.pointerBytes }
        return total
    }
}
