import NIOCore
import SidecacheRESP

extension SetCommands {
    static let scanHandlers: [(String, EngineCommand)] = [("sscan", sscan)]

    /// SSCAN key cursor [MATCH pattern] [COUNT count] (Redis's `sscanCommand`): an intset or
    /// listpack is answered whole with cursor 0 (members as decimal text for an intset).
    static func sscan(_ client: EngineClient, _ db: Database) {
        guard let cursor = ScanArguments.cursor(client, at: 2) else { return }
        client.frame.withArgument(1) { key in
            let missing = { HashCommands.replyEmptyScan(client) }
            guard let set = db.lookupRead(key, as: \.set, for: client, missing: missing) else { return }
            HashCommands.replyScanPage(client, from: cursor, elementsPerItem: 1) { cursor, emit in
                set.scan(cursor: cursor) { member in emit(member, nil) }
            }
        }
    }
}
