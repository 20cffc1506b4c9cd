import NIOCore
import SidecacheRESP

/// ZSCAN (Redis's `zscanCommand` and the sorted-set half of `scanGenericCommand`).
extension SortedSetCommands {
    static let scanHandlers: [(String, EngineCommand)] = [("zscan", zscan)]

    /// ZSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the
    /// key (a missing key answers an empty page without looking at the options), then the
    /// options. A packed set answers whole with cursor 0, its scores as its listpack would
    /// spell them (`RDBNumbers.scoreText`); a skip list is stepped through its member index
    /// until COUNT / 2 members (Redis counts members and scores together) were collected or
    /// COUNT × 10 more buckets were visited, scores as `%.17g`. MATCH filters by member.
    static func zscan(_ client: EngineClient, _ db: Database) {
        guard let start = ScanArguments.cursor(client, at: 2) else { return }
        let frame = client.frame
        frame.withArgument(1) { key in
            let found = db.lookupRead(key, as: \.sortedSet, for: client) {
                client.out.writeRESPArrayHeader(2)
                client.out.writeRESPBulkString(decimal: 0)
                client.out.writeRESPArrayHeader(0)
            }
            guard let value = found, let arguments = ScanArguments.parse(client, from: 3, allowsType: false) else { return }
            var page = MemberList()
            var cursor: UInt64 = 0
            if let skipList = value.skipList {
                cursor = start
                var iterationsLeft = arguments.maximumIterations
                while true {
                    cursor = skipList.scan(cursor: cursor) { page.append($0.member, score: $0.score) }
                    if cursor == 0 || iterationsLeft == 0 { break }
                    iterationsLeft -= 1
                    if page.count * 2 >= arguments.count { break }
                }
            } else {
                value.forEach(ranks: 0..<value.count) { page.append($0, score: $1) }
            }
            var kept: [Int] = []
            kept.reserveCapacity(page.count)
            for index in 0..<page.count {
                let matches = page.withMember(index) { member, _ in
                    guard let patternIndex = arguments.patternIndex else { return true }
                    return frame.withArgument(patternIndex) { GlobMatcher.matches(pattern: $0, member) }
                }
                if matches { kept.append(index) }
            }
            client.out.writeRESPArrayHeader(2)
            client.out.writeRESPBulkString(decimal: Int64(truncatingIfNeeded: cursor))
            client.out.writeRESPArrayHeader(kept.count * 2)
            for index in kept {
                page.withMember(index) { member, score in
                    client.out.writeRESPBulkString(member)
                    if value.isPacked {
                        client.out.writeRESPBulkString(RDBNumbers.scoreText(score))
                    } else {
                        RedisDouble.withFormatted(score) { client.out.writeRESPBulkString($0) }
                    }
                }
            }
        }
    }
}
