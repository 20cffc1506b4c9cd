extension KeyEntry {
    /// Bytes of a Swift array's storage header on 64-bit platforms: object header (16),
    /// count (8), capacity and flags (8).
    static let arrayHeaderBytes = 32
    /// One pointer: the bucket slot (or chain link) that reaches the entry, and the slot in
    /// the list of expiring keys for a key with a TTL.
    static let pointerBytes = MemoryLayout<UnsafeRawPointer>.size

    /// An estimate of the memory this key holds in Sidecache's layout (MEMORY USAGE): the
    /// entry's one allocation as the allocator sized it (object header, fields, key bytes
    /// and an embedded value), the array of a `raw` value (header and capacity), one
    /// pointer for the hash bucket, and one more when the key has an expiry. It measures our
    /// layout, not Redis's, so it is not comparable byte for byte with redis-server's answer.
    package var estimatedMemoryUsage: Int {
        let object = Int(bitPattern: Unmanaged.passUnretained(self).toOpaque())
        let elements = withUnsafeMutablePointerToElements { Int(bitPattern: $0) }
        // `capacity` is what the allocator really handed out past the fields, not what was asked.
        var total = elements - object + capacity + Self.pointerBytes
        if case .raw(let bytes) = value { total += Self.arrayHeaderBytes + bytes.capacity }
        if hasExpire { total += Self.pointerBytes }
        return total
    }
}
