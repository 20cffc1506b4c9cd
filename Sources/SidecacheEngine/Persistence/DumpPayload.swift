/// DUMP payloads: the serialized value (type byte and body, as in an RDB file), the RDB
/// version (u16 LE) and the CRC64 of everything before it (u64 LE). Pure functions: the
/// DUMP and RESTORE commands own the keyspace side (TTL, REPLACE, ABSTTL, IDLETIME, FREQ).
package enum DumpPayload {
    /// The DUMP payload of `value`, in the encoding redis-server 7.0.15 would use for the same
    /// contents (see `DumpValueEncoder`); byte-identical to its DUMP for strings, and for
    /// lists, hashes and sorted sets built in the same order. RDB version 10.
    ///
    /// Collections should not be empty (Redis cannot restore an empty key) and set members,
    /// hash fields and sorted-set members should be unique and scores not NaN; such values
    /// are still encoded, but no Redis will restore them.
    package static func encode(_ value: DumpValue, limits: DumpEncodingLimits = .redisDefaults) -> [UInt8] {
        var writer = RDBWriter(reservingCapacity: 64)
        DumpValueEncoder.write(value, limits: limits, to: &writer)
        let version = RDBFormat.version
        writer.writeByte(UInt8(version & 0xff))
        writer.writeByte(UInt8(version >> 8))
        var bytes = writer.bytes
        let crc = CRC64.checksum(bytes)
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: crc >> (8 * UInt64(index)))) }
        return bytes
    }

    /// The value in `payload` (the RESTORE argument, as `verifyDumpPayload` and
    /// `rdbLoadObject` read it).
    ///
    /// Throws `.versionOrChecksum` when the payload is shorter than its 10-byte footer, its
    /// RDB version is newer than 12 (Redis 7.4), or the CRC64 differs; `.badDataFormat` when
    /// the body is malformed, has bytes left over after the value, holds a type this codec
    /// does not read (streams, modules, hashes with field expiry) or an empty collection.
    /// Claimed lengths are checked against the payload before anything is allocated.
    ///
    /// Differs from redis-server 7.0's RESTORE on purpose: RDB versions 11 and 12 are read
    /// (Redis 7.0 refuses anything newer than 10); and, for payloads no Redis writes, it is
    /// stricter: the body must end exactly at the footer (Redis ignores leftover bytes and may
    /// even read a string on into the footer), and blobs are validated deeply as with
    /// `sanitize-dump-payload yes` (duplicates, order, entry back-lengths).
    package static func decode(_ payload: UnsafeRawBufferPointer) throws(DumpPayloadError) -> DumpValue {
        let count = payload.count
        guard count >= 10 else { throw DumpPayloadError(.versionOrChecksum, "payload shorter than its footer") }
        let version = UInt16(payload[count - 10]) | UInt16(payload[count - 9]) << 8
        guard version <= RDBFormat.newestReadableVersion else {
            throw DumpPayloadError(.versionOrChecksum, "RDB version \(version) is too new")
        }
        var expected: UInt64 = 0
        for index in 0..<8 { expected |= UInt64(payload[count - 8 + index]) << (8 * UInt64(index)) }
        let checked = UnsafeRawBufferPointer(rebasing: payload[0..<count - 8])
        guard CRC64.checksum(checked) == expected else { throw DumpPayloadError(.versionOrChecksum, "CRC64 mismatch") }
        var reader = RDBReader(UnsafeRawBufferPointer(rebasing: payload[0..<count - 10]))
        let value = try DumpValueDecoder.read(from: &reader)
        guard reader.isAtEnd else { throw .badData("\(reader.remaining) bytes after the value") }
        return value
    }

    /// Convenience for byte arrays.
    package static func decode(_ payload: [UInt8]) throws(DumpPayloadError) -> DumpValue {
        try payload.withPayloadBytes { raw throws(DumpPayloadError) in try decode(raw) }
    }
}
