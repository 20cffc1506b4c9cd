import NIOCore
import SidecacheRESP

/// BZPOPMIN, BZPOPMAX and BZMPOP (Redis's `blockingGenericZpopCommand`): the pop of ZPOPMIN,
/// ZPOPMAX or ZMPOP when a key holds a sorted set, else a wait registered with
/// `Database.block`. Inside MULTI/EXEC they answer a null array at once, as on timeout.
extension SortedSetCommands {
    static let blockingHandlers: [(String, EngineCommand)] = [
        ("bzpopmin", { blockingPopMinMax($0, $1, end: .min) }),
        ("bzpopmax", { blockingPopMinMax($0, $1, end: .max) }),
        ("bzmpop", bzmpop),
    ]

    /// BZPOPMIN/BZPOPMAX key [key ...] timeout: `[key, member, score]`; the timeout is parsed
    /// before any key is looked up.
    static func blockingPopMinMax(_ client: EngineClient, _ db: Database, end: PopEnd) {
        let last = client.frame.count - 1
        guard let timeout = BlockingTimeout.parse(client, argument: last) else { return }
        popOrBlock(client, db, keys: 1..<last, end: end, count: 1, shape: .keyThenFlat, timeout: timeout)
    }

    /// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: `[key, [[member, score], ...]]`;
    /// the other arguments are checked before the timeout.
    static func bzmpop(_ client: EngineClient, _ db: Database) {
        guard let arguments = parseMultiPop(client, numberOfKeysIndex: 2) else { return }
        guard let timeout = BlockingTimeout.parse(client, argument: 1) else { return }
        popOrBlock(client, db, keys: arguments.keys, end: arguments.end, count: arguments.count, shape: .keyThenPairs, timeout: timeout)
    }

    /// Pops from the first key that holds a sorted set, answers WRONGTYPE at the first key of
    /// another type, else blocks on all the keys; when served, the first ready key is popped.
    private static func popOrBlock(
        _ client: EngineClient, _ db: Database, keys: Range<Int>, end: PopEnd, count: Int, shape: PopReplyShape, timeout: Int64
    ) {
        let frame = client.frame
        for index in keys {
            let done = frame.withArgument(index) { key -> Bool in
                switch db.lookupWrite(key, as: \.sortedSet, for: client) {
                case .missing: return false
                case .wrongType: return true
                case .found(let value):
                    pop(value, key: key, from: end, count: count, shape: shape, client: client, db: db)
                    return true
                }
            }
            if done { return }
        }
        guard client.blocking.allowed else { return client.replyNullArray() }
        db.block(client, keys: keys.map { frame.bytes($0) }, timeout: timeout) { client, db, key in
            guard let value = db.lookup(key)?.value.sortedSet else { return false }
            pop(value, key: key, from: end, count: count, shape: shape, client: client, db: db)
            return true
        }
    }
}
