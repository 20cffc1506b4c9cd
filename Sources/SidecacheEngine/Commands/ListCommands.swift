import NIOCore
import SidecacheRESP

/// The list commands of Redis 7.0's `t_list.c`: pushes and pops here, positional commands in
/// `ListCommands+Positions.swift`, moves and LMPOP in `ListCommands+Move.swift`, the blocking
/// forms in `ListCommands+Blocking.swift`.
package enum ListCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("lpush", { push($0, $1, atHead: true, onlyExisting: false) }),
        ("rpush", { push($0, $1, atHead: false, onlyExisting: false) }),
        ("lpushx", { push($0, $1, atHead: true, onlyExisting: true) }),
        ("rpushx", { push($0, $1, atHead: false, onlyExisting: true) }),
        ("lpop", { pop($0, $1, atHead: true) }), ("rpop", { pop($0, $1, atHead: false) }),
        ("llen", llen),
    ] + positionHandlers + moveHandlers + blockingHandlers

    /// LPUSH, RPUSH, LPUSHX and RPUSHX (`pushGenericCommand`, `pushxGenericCommand`): the
    /// elements go in one by one, so LPUSH a b c leaves c at the head. Replies with the new
    /// length; the X forms answer 0 for a missing key and create nothing.
    static func push(_ client: EngineClient, _ db: Database, atHead: Bool, onlyExisting: Bool) {
        let frame = client.frame
        frame.withArgument(1) { key in
            let list: ListValue
            switch db.lookupWrite(key, as: \.list, for: client) {
            case .wrongType: return
            case .found(let existing): list = existing
            case .missing:
                guard !onlyExisting else { return client.replyInteger(0) }
                list = ListValue()
                db.add(key, .list(list))
            }
            let fill = ListFill(db.keyspace.encodingLimits)
            for index in 2..<frame.count {
                frame.withArgument(index) { list.push($0, atHead: atHead, fill: fill) }
            }
            client.replyInteger(list.count)
            db.signalModified(key)
            db.notify(.list, atHead ? "lpush" : "rpush", key: key)
            db.keyspace.statistics.changes += frame.count - 2
            db.signalKeyAsReady(key)
        }
    }

    /// LPOP and RPOP key [count] (`popGenericCommand`). Without a count: the element or null.
    /// With one: an array of up to `count` elements in the order popped (RPOP's tail first),
    /// a null array for a missing key, an empty array for a count of 0.
    static func pop(_ client: EngineClient, _ db: Database, atHead: Bool) {
        let frame = client.frame
        guard frame.count <= 3 else {
            return client.replyError("ERR wrong number of arguments for '\(atHead ? "lpop" : "rpop")' command")
        }
        var count: Int?
        if frame.count == 3 {
            guard let parsed = frame.integer(2), parsed >= 0 else {
                return client.replyError("ERR value is out of range, must be positive")
            }
            count = Int(parsed)
        }
        frame.withArgument(1) { key in
            guard case .found(let list) = db.lookupWrite(key, as: \.list, for: client, missing: {
                count == nil ? client.replyNull() : client.replyNullArray()
            }) else { return }
            guard let count else {
                let index = atHead ? 0 : list.count - 1
                list.withElement(at: index) { $0.write(to: &client.out) }
                list.removeRange(start: index, length: 1)
                db.elementsRemoved(from: list, key: key, atHead: atHead, count: 1)
                return
            }
            guard count > 0 else { return client.out.writeRESPArrayHeader(0) }
            popRange(client, db, list: list, key: key, atHead: atHead, count: count)
        }
    }

    /// Pops up to `count` elements (count > 0) from a list, replying with them as an array in
    /// the order popped (`addListRangeReply` + `listTypeDelRange` + `listElementsRemoved`).
    static func popRange(_ client: EngineClient, _ db: Database, list: ListValue, key: UnsafeRawBufferPointer, atHead: Bool, count: Int) {
        let length = min(count, list.count)
        let start = atHead ? 0 : list.count - length
        replyRange(client, list, start: start, length: length, reverse: !atHead)
        list.removeRange(start: start, length: length)
        db.elementsRemoved(from: list, key: key, atHead: atHead, count: length)
    }

    static func llen(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let list = db.lookupRead(key, as: \.list, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(list.count)
        }
    }

    /// An array of `length` elements from `start` (head to tail, or tail to head when `reverse`).
    static func replyRange(_ client: EngineClient, _ list: ListValue, start: Int, length: Int, reverse: Bool) {
        client.out.writeRESPArrayHeader(length)
        guard length > 0 else { return }
        var remaining = length
        list.forEach(from: reverse ? start + length - 1 : start, reverse: reverse) { element in
            element.write(to: &client.out)
            remaining -= 1
            return remaining > 0
        }
    }
}

extension Database {
    /// `lookupWrite(_:as:for:)` that answers `missing` for an absent key.
    @inline(__always)
    func lookupWrite<Value>(
        _ key: UnsafeRawBufferPointer,
        as view: (StoredValue) -> Value?,
        for client: EngineClient,
        missing: () -> Void
    ) -> TypedLookup<Value> {
        let found = lookupWrite(key, as: view, for: client)
        if case .missing = found { missing() }
        return found
    }

    /// What follows popping `count` elements from `list` at `key` (`listElementsRemoved`): the
    /// lpop/rpop event, the key deleted (with a del event) when the list is empty, watchers
    /// signalled, the changes counted.
    func elementsRemoved(from list: ListValue, key: UnsafeRawBufferPointer, atHead: Bool, count: Int) {
        notify(.list, atHead ? "lpop" : "rpop", key: key)
        if list.isEmpty {
            delete(key)
            notify(.generic, "del", key: key)
        } else {
            signalModified(key)
        }
        keyspace.statistics.changes += count
    }
}

extension ListElement {
    /// The element as a bulk string.
    @inline(__always)
    func write(to out: inout ByteBuffer) {
        if let string {
            out.writeRESPBulkString(UnsafeRawBufferPointer(start: count == 0 ? nil : string, count: count))
        } else {
            out.writeRESPBulkString(decimal: integer)
        }
    }
}
