import NIOCore
import SidecacheRESP

/// BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH: the non-blocking command when a key has
/// something, else a wait registered with `Database.block` (see `BlockingRegistry`). Inside
/// MULTI/EXEC they answer at once as if timed out: a null array, or null for BLMOVE and
/// BRPOPLPUSH. A wait that times out answers a null array for all five, as Redis does.
extension ListCommands {
    static let blockingHandlers: [(String, EngineCommand)] = [
        ("blpop", { blockingPop($0, $1, atHead: true) }), ("brpop", { blockingPop($0, $1, atHead: false) }),
        ("blmpop", blmpop), ("blmove", blmove), ("brpoplpush", brpoplpush),
    ]

    /// BLPOP/BRPOP key [key ...] timeout: the timeout is parsed before any key is looked up.
    static func blockingPop(_ client: EngineClient, _ db: Database, atHead: Bool) {
        let last = client.frame.count - 1
        guard let timeout = BlockingTimeout.parse(client, argument: last) else { return }
        popOrBlock(client, db, keys: 1..<last, atHead: atHead, count: nil, timeout: timeout)
    }

    /// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the other arguments are
    /// checked before the timeout.
    static func blmpop(_ client: EngineClient, _ db: Database) {
        guard let request = parseMultiPop(client, numkeysIndex: 2) else { return }
        guard let timeout = BlockingTimeout.parse(client, argument: 1) else { return }
        popOrBlock(client, db, keys: request.keys, atHead: request.atHead, count: request.count, timeout: timeout)
    }

    /// `blockingPopGenericCommand`: pops from the first key that holds a list (one element
    /// with `count` nil, as BLPOP; up to `count` as BLMPOP), WRONGTYPE at the first key of
    /// another type, else blocks on all the keys.
    static func popOrBlock(_ client: EngineClient, _ db: Database, keys: Range<Int>, atHead: Bool, count: Int?, timeout: Int64) {
        let frame = client.frame
        for index in keys {
            let done = frame.withArgument(index) { key -> Bool in
                switch db.lookupWrite(key, as: \.list, for: client) {
                case .missing: return false
                case .wrongType: return true
                case .found(let list):
                    pop(client, db, list: list, key: key, atHead: atHead, count: count)
                    return true
                }
            }
            if done { return }
        }
        guard client.blocking.allowed else { return client.replyNullArray() }
        db.block(client, keys: keys.map { frame.bytes($0) }, timeout: timeout) { client, db, key in
            guard let list = db.lookup(key)?.value.list else { return false }
            pop(client, db, list: list, key: key, atHead: atHead, count: count)
            return true
        }
    }

    private static func pop(_ client: EngineClient, _ db: Database, list: ListValue, key: UnsafeRawBufferPointer, atHead: Bool, count: Int?) {
        if let count {
            popWithKey(client, db, list: list, key: key, atHead: atHead, count: count)
        } else {
            popOneWithKey(client, db, list: list, key: key, atHead: atHead)
        }
    }

    /// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout.
    static func blmove(_ client: EngineClient, _ db: Database) {
        guard let fromHead = side(client.frame, 3), let toHead = side(client.frame, 4) else {
            return client.replySyntaxError()
        }
        guard let timeout = BlockingTimeout.parse(client, argument: 5) else { return }
        moveOrBlock(client, db, fromHead: fromHead, toHead: toHead, timeout: timeout)
    }

    /// BRPOPLPUSH source destination timeout.
    static func brpoplpush(_ client: EngineClient, _ db: Database) {
        guard let timeout = BlockingTimeout.parse(client, argument: 3) else { return }
        moveOrBlock(client, db, fromHead: false, toHead: true, timeout: timeout)
    }

    /// `blmoveGenericCommand`: LMOVE when the source holds a list, WRONGTYPE when it holds
    /// something else, else a wait on the source. When served, a destination of another type
    /// answers WRONGTYPE (and ends the wait), as in Redis.
    static func moveOrBlock(_ client: EngineClient, _ db: Database, fromHead: Bool, toHead: Bool, timeout: Int64) {
        let frame = client.frame
        frame.withArgument(1) { source in
            switch db.lookupWrite(source, as: \.list, for: client) {
            case .wrongType:
                return
            case .found(let list):
                frame.withArgument(2) { destination in
                    moveElement(client, db, from: list, sourceKey: source, to: destination, fromHead: fromHead, toHead: toHead)
                }
            case .missing:
                guard client.blocking.allowed else { return client.replyNull() }
                let destination = frame.bytes(2)
                db.block(client, keys: [Array(source)], timeout: timeout) { client, db, key in
                    guard let list = db.lookup(key)?.value.list else { return false }
                    destination.withUnsafeBytes { destination in
                        moveElement(client, db, from: list, sourceKey: key, to: destination, fromHead: fromHead, toHead: toHead)
                    }
                    return true
                }
            }
        }
    }
}
