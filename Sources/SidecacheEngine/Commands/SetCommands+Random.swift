import NIOCore
import SidecacheRESP

extension SetCommands {
    static let randomHandlers: [(String, EngineCommand)] = [("spop", spop), ("srandmember", srandmember)]

    /// The error for a repeating sample (SRANDMEMBER, HRANDFIELD with a negative count) of
    /// more elements than `fitsSampleReply` allows.
    static let sampleTooLarge = "ERR value is out of range"

    /// Whether a reply of `count` randomly drawn elements may be built. Redis builds any such
    /// reply, up to 2^63 - 1 elements, until memory runs out; Sidecache refuses one of more
    /// elements than `proto-max-bulk-len` (512 MiB by default), a reply of gigabytes.
    static func fitsSampleReply(_ count: Int, _ db: Database) -> Bool {
        count <= db.keyspace.maxStringLength
    }

    /// `wanted` distinct positions in `0..<size`, as SRANDMEMBER and HRANDFIELD pick them
    /// with a positive count: every position in order when `wanted >= size`; when the sample
    /// is more than a third of the collection, all positions minus random ones (Redis's
    /// "CASE 3"); otherwise random draws until `wanted` distinct ones came up ("CASE 4").
    static func distinctPositions<G: RandomNumberGenerator>(_ wanted: Int, of size: Int, using random: inout G) -> [Int] {
        if wanted >= size { return Array(0..<size) }
        if wanted * 3 > size {
            var positions = Array(0..<size)
            while positions.count > wanted {
                positions.swapAt(Int.random(in: 0..<positions.count, using: &random), positions.count - 1)
                positions.removeLast()
            }
            return positions
        }
        var seen = Set<Int>(minimumCapacity: wanted)
        var positions: [Int] = []
        positions.reserveCapacity(wanted)
        while positions.count < wanted {
            let position = Int.random(in: 0..<size, using: &random)
            if seen.insert(position).inserted { positions.append(position) }
        }
        return positions
    }

    // MARK: SPOP

    /// SPOP key [count] (Redis's `spopCommand`): without a count, one random member (or
    /// null), removed.
    static func spop(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        if frame.count == 3 {
            popCount(client, db)
            return
        }
        guard frame.count == 2 else {
            client.replySyntaxError()
            return
        }
        frame.withArgument(1) { key in
            let set: SetValue
            switch db.lookupWrite(key, as: \.set, for: client) {
            case .found(let found): set = found
            case .wrongType: return
            case .missing:
                client.replyNull()
                return
            }
            let position = Int.random(in: 0..<set.count, using: &db.keyspace.random)
            let index = set.makeMemberIndex()
            set.withMember(at: position, index) { client.replyBulk($0) }
            set.remove(at: position, index)
            db.notify(.set, "spop", key: key)
            if set.count == 0 {
                db.delete(key)
                db.notify(.generic, "del", key: key)
            }
            db.signalModified(key)
            db.keyspace.statistics.changes += 1
        }
    }

    /// SPOP key count (Redis's `spopWithCountCommand`): up to `count` distinct random members,
    /// removed, as a RESP3 set. A count that is not a non-negative integer is refused first.
    /// Asking for the whole set answers every member and deletes the key. When few members
    /// stay behind (at most a fifth of the count), the ones that stay are drawn into a new set
    /// that replaces the old, whose members are the answer (Redis's "CASE 3").
    private static func popCount(_ client: EngineClient, _ db: Database) {
        guard let count = client.frame.integer(2), count >= 0 else {
            client.replyError("ERR value is out of range, must be positive")
            return
        }
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupWrite(key) else {
                client.out.writeRESPSetHeader(0, client.protocolVersion)
                return
            }
            guard let set = entry.value.set else {
                client.replyWrongType()
                return
            }
            if count == 0 {
                client.out.writeRESPSetHeader(0, client.protocolVersion)
                return
            }
            let size = set.count
            db.notify(.set, "spop", key: key)
            db.keyspace.statistics.changes += min(Int(count), size)
            if count >= size {
                // Redis answers through SUNION of the one key, whose lookup counts a hit.
                _ = db.lookupRead(key)
                replyMembers(client, set)
                db.delete(key)
                db.notify(.generic, "del", key: key)
                db.signalModified(key)
                return
            }
            let wanted = Int(count)
            client.out.writeRESPSetHeader(wanted, client.protocolVersion)
            let remaining = size - wanted
            if remaining * 5 > wanted {
                for _ in 0..<wanted {
                    let position = Int.random(in: 0..<set.count, using: &db.keyspace.random)
                    let index = set.makeMemberIndex()
                    set.withMember(at: position, index) { client.replyBulk($0) }
                    set.remove(at: position, index)
                }
            } else {
                let limits = db.keyspace.encodingLimits
                var kept: SetValue?
                for _ in 0..<remaining {
                    let position = Int.random(in: 0..<set.count, using: &db.keyspace.random)
                    let index = set.makeMemberIndex()
                    set.withMember(at: position, index) { member in
                        let target = kept ?? SetValue(first: member, expected: remaining, limits: limits)
                        kept = target
                        _ = target.add(member, limits: limits)
                    }
                    set.remove(at: position, index)
                }
                set.forEach { client.replyBulk($0) }
                if let kept { db.replaceValue(of: entry, with: .set(kept)) }
            }
            db.signalModified(key)
        }
    }

    // MARK: SRANDMEMBER

    /// SRANDMEMBER key [count] (Redis 7.0.15's `srandmemberCommand`): without a count, one
    /// random member (or null). With one (within ±(2^63 - 1), checked before the lookup): a
    /// negative count draws that many members with repetition, in draw order; a positive one
    /// draws distinct members, at most the whole set (then in the set's order). An array.
    static func srandmember(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard frame.count <= 3 else {
            client.replySyntaxError()
            return
        }
        guard frame.count == 3 else {
            frame.withArgument(1) { key in
                guard let set = db.lookupRead(key, as: \.set, for: client, missing: { client.replyNull() }) else { return }
                let position = Int.random(in: 0..<set.count, using: &db.keyspace.random)
                set.withMember(at: position, set.makeMemberIndex()) { client.replyBulk($0) }
            }
            return
        }
        guard let count = client.integerArgument(2) else { return }
        guard count != .min else {
            client.replyError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
            return
        }
        frame.withArgument(1) { key in
            guard let set = db.lookupRead(key, as: \.set, for: client, missing: { client.out.writeRESPArrayHeader(0) })
            else { return }
            let wanted = Int(count.magnitude)
            let size = set.count
            let index = set.makeMemberIndex()
            if count < 0 || wanted <= 1 {
                guard fitsSampleReply(wanted, db) else {
                    client.replyError(sampleTooLarge)
                    return
                }
                client.out.writeRESPArrayHeader(wanted)
                for _ in 0..<wanted {
                    set.withMember(at: Int.random(in: 0..<size, using: &db.keyspace.random), index) { client.replyBulk($0) }
                }
                return
            }
            let positions = distinctPositions(wanted, of: size, using: &db.keyspace.random)
            client.out.writeRESPArrayHeader(positions.count)
            for position in positions { set.withMember(at: position, index) { client.replyBulk($0) } }
        }
    }
}
