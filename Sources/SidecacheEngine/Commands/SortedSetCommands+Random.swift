import NIOCore
import SidecacheRESP

/// ZRANDMEMBER (Redis's `zrandmemberCommand` and `zrandmemberWithCountCommand`).
extension SortedSetCommands {
    static let randomHandlers: [(String, EngineCommand)] = [("zrandmember", zrandmember)]

    /// ZRANDMEMBER key [count [WITHSCORES]]: without a count, one random member (null when
    /// the key is missing). The count is read first, then the options. A count beyond ±2^62
    /// is refused as "value is out of range" (Redis 7.2's guard; 7.0.15 tries to build the
    /// reply and runs out of memory), and so is a negative count asking for more than
    /// `maximumRepeats` members, a reply of hundreds of megabytes (Sidecache's own bound:
    /// nothing may grow memory without bound).
    static func zrandmember(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        if frame.count >= 3 {
            guard let count = client.integerArgument(2) else { return }
            guard frame.count == 3 || (frame.count == 4 && frame.argument(3, equalsCaseInsensitive: "withscores")) else {
                client.replySyntaxError()
                return
            }
            guard count >= -maximumRepeats, count <= Int64.max / 2 else {
                client.replyError("ERR value is out of range")
                return
            }
            randomMembers(client, db, count: count, withScores: frame.count == 4)
            return
        }
        frame.withArgument(1) { key in
            guard let value = db.lookupRead(key, as: \.sortedSet, for: client, missing: { client.replyNull() }) else { return }
            let rank = Int.random(in: 0..<value.count, using: &db.keyspace.random)
            value.forEach(ranks: rank..<(rank + 1)) { member, _ in client.out.writeRESPBulkString(member) }
        }
    }

    /// The most members a negative count may ask for.
    static let maximumRepeats: Int64 = 1 << 24

    /// `count` random members: a negative count may repeat members and gives exactly
    /// |count| of them in random order; a positive one gives distinct members, the whole set
    /// (highest rank first, as Redis walks it) when it asks for as many or more.
    private static func randomMembers(_ client: EngineClient, _ db: Database, count: Int64, withScores: Bool) {
        client.frame.withArgument(1) { key in
            let value = db.lookupRead(key, as: \.sortedSet, for: client) { client.out.writeRESPArrayHeader(0) }
            guard let value else { return }
            let size = value.count
            let distinct = count >= 0
            let wanted = Int(count.magnitude)
            guard wanted > 0 else {
                client.out.writeRESPArrayHeader(0)
                return
            }
            let pairs = withScores && client.protocolVersion == .resp3
            let replied = distinct ? min(wanted, size) : wanted
            client.out.writeRESPArrayHeader(withScores && !pairs ? replied * 2 : replied)
            let emit = { (member: UnsafeRawBufferPointer, score: Double) in
                if pairs { client.out.writeRESPArrayHeader(2) }
                client.out.writeRESPBulkString(member)
                if withScores { client.out.writeRESPDouble(score, client.protocolVersion) }
            }
            if distinct && wanted >= size {
                value.forEach(ranks: 0..<size, reverse: true, emit)
                return
            }
            if !distinct || wanted == 1 {
                // Packed members are copied out once rather than walked for every draw.
                let members: MemberList? = value.isPacked ? value.members(in: 0..<size) : nil
                for _ in 0..<wanted {
                    let rank = Int.random(in: 0..<size, using: &db.keyspace.random)
                    if let members {
                        members.withMember(rank, emit)
                    } else {
                        value.forEach(ranks: rank..<(rank + 1), emit)
                    }
                }
                return
            }
            // Distinct members, fewer than the set holds: a random choice of ranks (Floyd's
            // algorithm), given in rank order as Redis's listpack sampling gives them.
            var chosen = Set<Int>()
            for upper in (size - wanted)..<size {
                let rank = Int.random(in: 0...upper, using: &db.keyspace.random)
                chosen.insert(chosen.contains(rank) ? upper : rank)
            }
            for rank in chosen.sorted() { value.forEach(ranks: rank..<(rank + 1), emit) }
        }
    }
}
