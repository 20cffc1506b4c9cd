import NIOCore
import SidecacheRESP

/// LMOVE, RPOPLPUSH and LMPOP, and the pops that reply with their key, which the blocking
/// forms share.
extension ListCommands {
    static let moveHandlers: [(String, EngineCommand)] = [
        ("lmove", lmove), ("rpoplpush", { move($0, $1, fromHead: false, toHead: true) }), ("lmpop", lmpop),
    ]

    /// LEFT or RIGHT (any case) in argument `index`: `true` for LEFT, `nil` for anything else.
    static func side(_ frame: RESPCommandFrame, _ index: Int) -> Bool? {
        if frame.argument(index, equalsCaseInsensitive: "left") { return true }
        if frame.argument(index, equalsCaseInsensitive: "right") { return false }
        return nil
    }

    /// LMOVE source destination LEFT|RIGHT LEFT|RIGHT.
    static func lmove(_ client: EngineClient, _ db: Database) {
        guard let fromHead = side(client.frame, 3), let toHead = side(client.frame, 4) else {
            return client.replySyntaxError()
        }
        move(client, db, fromHead: fromHead, toHead: toHead)
    }

    /// `lmoveGenericCommand`: null for a missing source, else the moved element.
    static func move(_ client: EngineClient, _ db: Database, fromHead: Bool, toHead: Bool) {
        let frame = client.frame
        frame.withArgument(1) { source in
            guard case .found(let list) = db.lookupWrite(source, as: \.list, for: client, missing: { client.replyNull() }) else {
                return
            }
            frame.withArgument(2) { destination in
                moveElement(client, db, from: list, sourceKey: source, to: destination, fromHead: fromHead, toHead: toHead)
            }
        }
    }

    /// Moves the end element of `list` (at `sourceKey`, not empty) to the destination list,
    /// which is created if missing, and replies with it. A destination of another type answers
    /// WRONGTYPE and nothing moves. With source and destination the same key the element
    /// rotates (the list is momentarily empty but not deleted).
    static func moveElement(
        _ client: EngineClient,
        _ db: Database,
        from list: ListValue,
        sourceKey: UnsafeRawBufferPointer,
        to destinationKey: UnsafeRawBufferPointer,
        fromHead: Bool,
        toHead: Bool
    ) {
        let existing: ListValue?
        switch db.lookupWrite(destinationKey, as: \.list, for: client) {
        case .wrongType: return
        case .found(let found): existing = found
        case .missing: existing = nil
        }
        let index = fromHead ? 0 : list.count - 1
        let element = list.withElement(at: index) { $0.bytes }
        list.removeRange(start: index, length: 1)
        let destination: ListValue
        if let existing {
            destination = existing
        } else {
            destination = ListValue()
            db.add(destinationKey, .list(destination))
        }
        db.signalModified(destinationKey)
        element.withUnsafeBytes { destination.push($0, atHead: toHead, fill: ListFill(db.keyspace.encodingLimits)) }
        db.notify(.list, toHead ? "lpush" : "rpush", key: destinationKey)
        db.signalKeyAsReady(destinationKey)
        client.out.writeRESPBulkString(element)
        db.elementsRemoved(from: list, key: sourceKey, atHead: fromHead, count: 1)
    }

    /// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count].
    static func lmpop(_ client: EngineClient, _ db: Database) {
        guard let request = parseMultiPop(client, numkeysIndex: 1) else { return }
        for index in request.keys {
            let done = client.frame.withArgument(index) { key -> Bool in
                switch db.lookupWrite(key, as: \.list, for: client) {
                case .missing: return false
                case .wrongType: return true
                case .found(let list):
                    popWithKey(client, db, list: list, key: key, atHead: request.atHead, count: request.count)
                    return true
                }
            }
            if done { return }
        }
        client.replyNullArray()
    }

    /// The arguments of LMPOP and BLMPOP from `numkeysIndex` on (`lmpopGenericCommand`): the
    /// argument range of the keys, the side and the count (1 when not given); `nil` after
    /// replying. Checked in Redis's order: numkeys, that the side argument exists, the side,
    /// then the options.
    static func parseMultiPop(_ client: EngineClient, numkeysIndex: Int) -> (keys: Range<Int>, atHead: Bool, count: Int)? {
        let frame = client.frame
        guard let numkeys = frame.integer(numkeysIndex), numkeys > 0 else {
            client.replyError("ERR numkeys should be greater than 0")
            return nil
        }
        guard numkeys <= Int64(frame.count - numkeysIndex - 2) else {
            client.replySyntaxError()
            return nil
        }
        let sideIndex = numkeysIndex + 1 + Int(numkeys)
        guard let atHead = side(frame, sideIndex) else {
            client.replySyntaxError()
            return nil
        }
        var count: Int64 = -1
        var index = sideIndex + 1
        while index < frame.count {
            guard count == -1 && frame.argument(index, equalsCaseInsensitive: "count") && index + 1 < frame.count else {
                client.replySyntaxError()
                return nil
            }
            guard let value = frame.integer(index + 1), value > 0 else {
                client.replyError("ERR count should be greater than 0")
                return nil
            }
            count = value
            index += 2
        }
        return (numkeysIndex + 1..<sideIndex, atHead, count == -1 ? 1 : Int(count))
    }

    /// LMPOP's reply for a non-empty list: the key and an array of up to `count` elements
    /// (`listPopRangeAndReplyWithKey`).
    static func popWithKey(_ client: EngineClient, _ db: Database, list: ListValue, key: UnsafeRawBufferPointer, atHead: Bool, count: Int) {
        client.out.writeRESPArrayHeader(2)
        client.replyBulk(key)
        popRange(client, db, list: list, key: key, atHead: atHead, count: count)
    }

    /// BLPOP's reply for a non-empty list: the key and one element.
    static func popOneWithKey(_ client: EngineClient, _ db: Database, list: ListValue, key: UnsafeRawBufferPointer, atHead: Bool) {
        let index = atHead ? 0 : list.count - 1
        client.out.writeRESPArrayHeader(2)
        client.replyBulk(key)
        list.withElement(at: index) { $0.write(to: &client.out) }
        list.removeRange(start: index, length: 1)
        db.elementsRemoved(from: list, key: key, atHead: atHead, count: 1)
    }
}
