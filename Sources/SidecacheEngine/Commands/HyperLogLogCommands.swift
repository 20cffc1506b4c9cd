import NIOCore
import SidecacheRESP

/// The HyperLogLog commands of Redis's `hyperloglog.c`: PFADD, PFCOUNT, PFMERGE here,
/// PFDEBUG in `HyperLogLogCommands+Debug.swift`. The representation is `HyperLogLog/`.
///
/// An HLL is a string: these commands read any string (`raw` or `embstr`; an `int` string
/// is never an HLL) and store what they write as `raw`, as Redis's `dbUnshareStringValue`
/// leaves it.
package enum HyperLogLogCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("pfadd", pfadd), ("pfcount", pfcount), ("pfmerge", pfmerge), ("pfdebug", pfdebug),
    ]

    /// PFADD key [element ...]
    ///
    /// Creates the key (an empty sparse HLL) when missing, which alone answers 1; otherwise
    /// answers 1 when some register grew. Watchers, the `pfadd` event and the change counter
    /// (by the number of updates) see only a change.
    static func pfadd(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            let entry = db.lookupWrite(key)
            var updated = 0
            var bytes: [UInt8]
            if let entry {
                guard isHLL(entry, client) else { return }
                bytes = db.takeRawBytes(entry)
            } else {
                bytes = HyperLogLog.makeEmpty()
                updated = 1
            }
            for index in 2..<max(2, frame.count) {
                let result = frame.withArgument(index) { element in
                    HyperLogLog.add(element, to: &bytes, sparseMaxBytes: HyperLogLog.defaultSparseMaxBytes)
                }
                if result < 0 {
                    BitCommands.storeRaw(bytes, at: key, replacing: entry, db)
                    client.replyError(HyperLogLog.corruptedError)
                    return
                }
                updated += result
            }
            if updated > 0 { HyperLogLog.invalidateCache(&bytes) }
            BitCommands.storeRaw(bytes, at: key, replacing: entry, db)
            if updated > 0 {
                db.signalModified(key)
                db.notify(.string, "pfadd", key: key)
                db.keyspace.statistics.changes += updated
            }
            client.replyInteger(updated > 0 ? 1 : 0)
        }
    }

    /// PFCOUNT key [key ...]
    ///
    /// One key: the cached cardinality when it is current, otherwise the estimate, written
    /// back into the header (a change: watchers and the change counter see it, as in Redis).
    /// Several keys: the estimate of their union, computed on merged registers; missing keys
    /// count as empty and nothing is written.
    static func pfcount(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        if frame.count > 2 {
            var maximums = [UInt8](repeating: 0, count: HyperLogLog.registerCount)
            for index in 1..<frame.count {
                let proceed: Bool = frame.withArgument(index) { key in
                    guard let entry = db.lookupRead(key) else { return true }
                    return isHLL(entry, client) && merge(entry, into: &maximums, client)
                }
                guard proceed else { return }
            }
            client.replyInteger(Int(truncatingIfNeeded: HyperLogLog.count(registers: maximums)))
            return
        }
        frame.withArgument(1) { key in
            guard let found = db.lookupRead(key) else {
                client.replyInteger(0)
                return
            }
            guard isHLL(found, client) else { return }
            var entry = found
            if case .embedded = entry.value {
                entry = db.replaceValue(of: entry, with: .raw(entry.stringBytes))
            }
            if let card = entry.withStringBytes({ HyperLogLog.cachedCardinality($0) }) {
                client.replyInteger(Int(truncatingIfNeeded: card))
                return
            }
            let (card, valid) = entry.withStringBytes { HyperLogLog.count($0) }
            guard valid else {
                client.replyError(HyperLogLog.corruptedError)
                return
            }
            var bytes = db.takeRawBytes(entry)
            HyperLogLog.storeCardinality(card, in: &bytes)
            db.replaceValue(of: entry, with: .raw(bytes))
            db.signalModified(key)
            db.keyspace.statistics.changes += 1
            client.replyInteger(Int(truncatingIfNeeded: card))
        }
    }

    /// PFMERGE destkey [sourcekey ...]
    ///
    /// The destination is read as a source too (it comes first). The maximum of every
    /// register is written into the destination, created empty when missing and made dense
    /// first when any source is dense; sparse destinations take the registers one by one
    /// (and may turn dense on the way), as Redis does, so the bytes match.
    static func pfmerge(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        var maximums = [UInt8](repeating: 0, count: HyperLogLog.registerCount)
        var useDense = false
        for index in 1..<frame.count {
            let proceed: Bool = frame.withArgument(index) { key in
                guard let entry = db.lookupRead(key) else { return true }
                guard isHLL(entry, client) else { return false }
                if entry.withStringBytes({ $0[4] }) == HyperLogLog.denseEncoding { useDense = true }
                return merge(entry, into: &maximums, client)
            }
            guard proceed else { return }
        }
        frame.withArgument(1) { key in
            let entry = db.lookupWrite(key)
            var bytes = entry.map(db.takeRawBytes) ?? HyperLogLog.makeEmpty()
            if useDense && !HyperLogLog.Sparse.toDense(&bytes) {
                BitCommands.storeRaw(bytes, at: key, replacing: entry, db)
                client.replyError(HyperLogLog.corruptedError)
                return
            }
            for register in 0..<HyperLogLog.registerCount where maximums[register] != 0 {
                let count = Int(maximums[register])
                if bytes[4] == HyperLogLog.denseEncoding {
                    HyperLogLog.Dense.set(&bytes, register: register, to: count)
                } else {
                    _ = HyperLogLog.Sparse.set(&bytes, register: register, to: count, maxBytes: HyperLogLog.defaultSparseMaxBytes)
                }
            }
            HyperLogLog.invalidateCache(&bytes)
            BitCommands.storeRaw(bytes, at: key, replacing: entry, db)
            db.signalModified(key)
            db.notify(.string, "pfadd", key: key)
            db.keyspace.statistics.changes += 1
            client.replyOK()
        }
    }

    // MARK: Helpers

    /// `isHLLObjectOrReply`: whether `entry` holds a string that is an HLL; replies the
    /// generic WRONGTYPE for another type, the HLL one for a string that is not an HLL.
    static func isHLL(_ entry: KeyEntry, _ client: EngineClient) -> Bool {
        switch entry.value {
        case .raw, .embedded:
            if entry.withStringBytes(HyperLogLog.isValid) { return true }
            client.replyError(HyperLogLog.notAnHLLError)
        case .integer:
            client.replyError(HyperLogLog.notAnHLLError)
        default:
            client.replyWrongType()
        }
        return false
    }

    /// Raises `maximums` to the registers of a valid HLL (`hllMerge`); replies INVALIDOBJ
    /// and returns false for a corrupt sparse one.
    private static func merge(_ entry: KeyEntry, into maximums: inout [UInt8], _ client: EngineClient) -> Bool {
        let merged = entry.withStringBytes { bytes in
            if bytes[4] == HyperLogLog.denseEncoding {
                HyperLogLog.Dense.merge(bytes, into: &maximums)
                return true
            }
            return HyperLogLog.Sparse.merge(bytes, into: &maximums)
        }
        if !merged { client.replyError(HyperLogLog.corruptedError) }
        return merged
    }
}
