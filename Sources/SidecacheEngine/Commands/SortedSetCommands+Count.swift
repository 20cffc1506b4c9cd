/// ZCOUNT and ZLEXCOUNT.
extension SortedSetCommands {
    static let countHandlers: [(String, EngineCommand)] = [("zcount", zcount), ("zlexcount", zlexcount)]

    /// ZCOUNT key min max: the members whose score is in the range (parsed before the
    /// key is looked up).
    static func zcount(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard let range = frame.withArgument(2, { min in frame.withArgument(3) { ScoreRange(min: min, max: $0) } }) else {
            client.replyError("ERR min or max is not a float")
            return
        }
        frame.withArgument(1) { key in
            guard let value = db.lookupRead(key, as: \.sortedSet, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(value.count(in: range))
        }
    }

    /// ZLEXCOUNT key min max: the members in the lexicographic range.
    static func zlexcount(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard let range = frame.withArgument(2, { min in frame.withArgument(3) { LexRange(min: min, max: $0) } }) else {
            client.replyError("ERR min or max not valid string range item")
            return
        }
        frame.withArgument(1) { key in
            guard let value = db.lookupRead(key, as: \.sortedSet, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(value.count(in: range))
        }
    }
}
