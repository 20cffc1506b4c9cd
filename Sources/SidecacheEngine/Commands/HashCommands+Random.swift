import NIOCore
import SidecacheRESP

extension HashCommands {
    static let randomHandlers: [(String, EngineCommand)] = [("hrandfield", hrandfield)]

    /// HRANDFIELD key [count [WITHVALUES]] (Redis 7.0.15's `hrandfieldCommand`).
    ///
    /// Without a count: one random field, or null. The count must lie within ±(2^63 - 1);
    /// with WITHVALUES within ±2^62, so that the reply's length cannot overflow. Checked
    /// before the key is looked up.
    static func hrandfield(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard frame.count >= 3 else {
            frame.withArgument(1) { key in
                guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: { client.replyNull() }) else { return }
                let position = Int.random(in: 0..<hash.count, using: &db.keyspace.random)
                hash.withPair(at: position, hash.makePairIndex()) { field, _ in client.replyBulk(field) }
            }
            return
        }
        guard let count = client.integerArgument(2) else { return }
        guard count != .min else {
            client.replyError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
            return
        }
        if frame.count > 4 || (frame.count == 4 && !frame.argument(3, equalsCaseInsensitive: "withvalues")) {
            client.replySyntaxError()
            return
        }
        let withValues = frame.count == 4
        if withValues && (count < -(Int64.max / 2) || count > Int64.max / 2) {
            client.replyError("ERR value is out of range")
            return
        }
        frame.withArgument(1) { key in
            guard let hash = db.lookupRead(key, as: \.hash, for: client, missing: { client.out.writeRESPArrayHeader(0) })
            else { return }
            randomFields(client, db, hash, count: count, withValues: withValues)
        }
    }

    /// Redis's `hrandfieldWithCountCommand`: a negative count draws that many fields with
    /// repetition, in draw order; a positive one draws distinct fields, at most the whole hash
    /// (then in the hash's order, as HGETALL).
    private static func randomFields(_ client: EngineClient, _ db: Database, _ hash: HashValue, count: Int64, withValues: Bool) {
        let size = hash.count
        let wanted = Int(count.magnitude)
        guard wanted > 0 else {
            client.out.writeRESPArrayHeader(0)
            return
        }
        let index = hash.makePairIndex()
        let replyPair = { (position: Int) in
            hash.withPair(at: position, index) { field, value in
                if withValues && client.protocolVersion == .resp3 { client.out.writeRESPArrayHeader(2) }
                client.replyBulk(field)
                if withValues { client.replyBulk(value) }
            }
        }
        let unique = count > 0
        if !unique || wanted == 1 {
            guard SetCommands.fitsSampleReply(wanted, db) else {
                client.replyError(SetCommands.sampleTooLarge)
                return
            }
            client.out.writeRESPArrayHeader(withValues && client.protocolVersion == .resp2 ? wanted * 2 : wanted)
            for _ in 0..<wanted { replyPair(Int.random(in: 0..<size, using: &db.keyspace.random)) }
            return
        }
        let replySize = min(wanted, size)
        client.out.writeRESPArrayHeader(withValues && client.protocolVersion == .resp2 ? replySize * 2 : replySize)
        for position in SetCommands.distinctPositions(wanted, of: size, using: &db.keyspace.random) { replyPair(position) }
    }
}
