import NIOCore
import SidecacheRESP

extension ListCommands {
    /// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] (`lposCommand`).
    ///
    /// Options are parsed before the key is looked up. RANK n skips to the n-th match (a
    /// negative rank searches from the tail; 0 is refused); COUNT returns up to that many
    /// matches as an array (0: all); MAXLEN compares at most that many elements. Redis's
    /// arithmetic is kept where it wraps: the most negative RANK stays negative when negated,
    /// so every match qualifies, and COUNT then never stops the search.
    static func lpos(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        var rank: Int64 = 1
        var count: Int64 = -1
        var maxLength: Int64 = 0
        var index = 3
        while index < frame.count {
            let hasValue = index + 1 < frame.count
            if hasValue && frame.argument(index, equalsCaseInsensitive: "rank") {
                guard let value = client.integerArgument(index + 1) else { return }
                guard value != 0 else {
                    return client.replyError(
                        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
                    )
                }
                rank = value
            } else if hasValue && frame.argument(index, equalsCaseInsensitive: "count") {
                guard let value = frame.integer(index + 1), value >= 0 else {
                    return client.replyError("ERR COUNT can't be negative")
                }
                count = value
            } else if hasValue && frame.argument(index, equalsCaseInsensitive: "maxlen") {
                guard let value = frame.integer(index + 1), value >= 0 else {
                    return client.replyError("ERR MAXLEN can't be negative")
                }
                maxLength = value
            } else {
                return client.replySyntaxError()
            }
            index += 2
        }
        let fromTail = rank < 0
        if fromTail { rank = 0 &- rank }
        frame.withArgument(1) { key in
            guard let list = db.lookupRead(key, as: \.list, for: client, missing: {
                count == -1 ? client.replyNull() : client.out.writeRESPArrayHeader(0)
            }) else { return }
            let length = Int64(list.count)
            var position: Int64 = 0
            var matches: Int64 = 0
            var matchIndex: Int64 = -1
            var found: [Int64] = []
            frame.withArgument(2) { element in
                let needle = ListNeedle(element)
                list.forEach(from: fromTail ? list.count - 1 : 0, reverse: fromTail) { entry in
                    if maxLength != 0 && position >= maxLength { return false }
                    if entry.equals(needle) {
                        matches += 1
                        matchIndex = fromTail ? length - position - 1 : position
                        if matches >= rank {
                            guard count != -1 else { return false }
                            found.append(matchIndex)
                            if count != 0 && matches &- rank &+ 1 >= count { return false }
                        }
                    }
                    position += 1
                    matchIndex = -1
                    return true
                }
            }
            if count != -1 {
                client.out.writeRESPArrayHeader(found.count)
                for match in found { client.replyInteger(Int(match)) }
            } else if matchIndex != -1 {
                client.replyInteger(Int(matchIndex))
            } else {
                client.replyNull()
            }
        }
    }
}
