import NIOCore
import SidecacheRESP

/// The bitmap commands of Redis's `bitops.c`: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP here,
/// BITFIELD and BITFIELD_RO in `BitCommands+BitField.swift`.
///
/// The algorithms and argument parsers live in `Strings/BitOperations*.swift` and
/// `Strings/BitField.swift`; this file calls them in redis-server 7.0's order of checks,
/// stores values the way Redis does (every value a bit command writes is `raw`), and signals
/// watchers and counts changes only when Redis's dirty counter moves.
package enum BitCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("setbit", setbit), ("getbit", getbit), ("bitcount", bitcount), ("bitpos", bitpos), ("bitop", bitop),
        ("bitfield", bitfield), ("bitfield_ro", bitfieldReadOnly),
    ]

    /// SETBIT key offset value
    ///
    /// Offset, then value, are checked before the key is looked up. An existing string is
    /// rewritten as `raw` even when the bit does not change (Redis's `dbUnshareStringValue`);
    /// watchers and the change counter see the command only when the value grew (or was
    /// created) or the bit flipped.
    static func setbit(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard
            let offset = client.parsing({ () throws(StringCommandError) in
                try BitOperations.parseBitOffset(frame[2].readableBytesView, maxBulkLength: db.keyspace.maxStringLength)
            }),
            let bit = client.parsing({ () throws(StringCommandError) in try BitOperations.parseSetBitValue(frame[3].readableBytesView) })
        else { return }
        client.frame.withArgument(1) { key in
            let entry = db.lookupWrite(key)
            if let entry, !entry.value.isString {
                client.replyWrongType()
                return
            }
            var bytes = entry.map(db.takeRawBytes) ?? []
            let result = BitOperations.setBit(&bytes, offset: offset, to: bit)
            storeRaw(bytes, at: key, replacing: entry, db)
            if result.modified {
                db.signalModified(key)
                db.notify(.string, "setbit", key: key)
                db.keyspace.statistics.changes += 1
            }
            client.replyInteger(result.previous ? 1 : 0)
        }
    }

    /// GETBIT key offset: the offset is checked before the lookup; a missing key reads 0.
    static func getbit(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard
            let offset = client.parsing({ () throws(StringCommandError) in
                try BitOperations.parseBitOffset(frame[2].readableBytesView, maxBulkLength: db.keyspace.maxStringLength)
            })
        else { return }
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupString(key, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(entry.withStringBytes { BitOperations.getBit($0, offset: offset) } ? 1 : 0)
        }
    }

    /// BITCOUNT key [start end [BYTE|BIT]]
    ///
    /// Redis 7.0 looks the key up before reading the range: a missing key answers 0 and a
    /// wrong type WRONGTYPE whatever the other arguments are.
    static func bitcount(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupString(key, for: client, missing: { client.replyInteger(0) }) else { return }
            let frame = client.frame
            guard
                let range = client.parsing({ () throws(StringCommandError) in
                    try BitOperations.parseBitCountRange(arguments(frame, from: 2))
                })
            else {
                return
            }
            let count = entry.withStringBytes { bytes in
                guard let range else { return BitOperations.bitCount(bytes) }
                return BitOperations.bitCount(bytes, start: range.start, end: range.end, unit: range.unit)
            }
            client.replyInteger(Int(count))
        }
    }

    /// BITPOS key bit [start [end [BYTE|BIT]]]
    ///
    /// The bit is read before the lookup, the range after it: a missing key answers (0 for a
    /// clear bit, -1 for a set one) even when the range is invalid.
    static func bitpos(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard
            let bit = client.parsing({ () throws(StringCommandError) in try BitOperations.parseBitPositionBit(frame[2].readableBytesView) })
        else { return }
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupString(key, for: client, missing: { client.replyInteger(bit ? -1 : 0) }) else { return }
            guard
                let range = client.parsing({ () throws(StringCommandError) in
                    try BitOperations.parseBitPositionRange(arguments(frame, from: 3))
                })
            else {
                return
            }
            let position = entry.withStringBytes { bytes in
                BitOperations.bitPosition(of: bit, in: bytes, start: range.start, end: range.end, unit: range.unit)
            }
            client.replyInteger(Int(position))
        }
    }

    /// BITOP AND|OR|XOR|NOT destkey key [key ...]
    ///
    /// The operation and NOT's single source are checked first; then each source is looked
    /// up for reading in order (a missing key is empty, a non-string WRONGTYPE). A non-empty
    /// result replaces the destination as a `raw` string without expiry (Redis's `setKey`);
    /// an empty one deletes it, counted only when it existed. Replies with the result length.
    static func bitop(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard
            let operation = client.parsing({ () throws(StringCommandError) in
                try BitOperations.parseOperator(frame[1].readableBytesView, sourceCount: frame.count - 3)
            })
        else { return }
        var sources: [[UInt8]] = []
        sources.reserveCapacity(frame.count - 3)
        for index in 3..<frame.count {
            let source: [UInt8]? = frame.withArgument(index) { key in
                guard let entry = db.lookupRead(key) else { return [] }
                guard entry.value.isString else { return nil }
                return sharedStringBytes(entry)
            }
            guard let source else {
                client.replyWrongType()
                return
            }
            sources.append(source)
        }
        let result = BitOperations.bitOp(operation, sources)
        let length = result.count
        frame.withArgument(2) { destination in
            if length > 0 {
                db.set(destination, .raw(result))
                db.notify(.string, "set", key: destination)
                db.keyspace.statistics.changes += 1
            } else if db.delete(destination) {
                db.notify(.generic, "del", key: destination)
                db.keyspace.statistics.changes += 1
            }
        }
        client.replyInteger(length)
    }

    // MARK: Helpers

    /// The arguments of `frame` from `start` on, as views of the request buffer (no copy).
    static func arguments(_ frame: RESPCommandFrame, from start: Int) -> LazyMapSequence<Range<Int>, ByteBufferView> {
        (start..<max(start, frame.count)).lazy.map { frame[$0].readableBytesView }
    }

    /// A string entry's bytes as an array for reading: a `raw` value's own array (shared,
    /// not copied), a copy of the short `embstr` bytes or integer digits otherwise.
    static func sharedStringBytes(_ entry: KeyEntry) -> [UInt8] {
        if case .raw(let bytes) = entry.value { return bytes }
        return entry.stringBytes
    }

    /// Stores `bytes` as a `raw` string under `key`: in `entry` (keeping its expiry) when the
    /// key exists, as a new key otherwise. Does not signal watchers.
    static func storeRaw(_ bytes: [UInt8], at key: UnsafeRawBufferPointer, replacing entry: KeyEntry?, _ db: Database) {
        if let entry {
            db.replaceValue(of: entry, with: .raw(bytes))
        } else {
            db.add(key, .raw(bytes))
        }
    }
}
