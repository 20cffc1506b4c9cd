import NIOCore
import SidecacheRESP

/// The set commands of Redis's `t_set.c`. Lookups, replies, change counts and keyspace
/// notifications follow Redis 7.0 command by command; encodings follow Redis 7.2 (see
/// `SetValue`).
package enum SetCommands {
    static let handlers: [(String, EngineCommand)] =
        [
            ("sadd", sadd), ("srem", srem), ("sismember", sismember), ("smismember", smismember),
            ("smembers", smembers), ("scard", scard), ("smove", smove),
        ] + randomHandlers + algebraHandlers + scanHandlers

    // MARK: Writing

    /// SADD key member [member ...]: the number of members added. A missing key gets the
    /// encoding Redis 7.2 picks from the first member and the number of members.
    static func sadd(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            let limits = db.keyspace.encodingLimits
            let set: SetValue
            var isNew = false
            switch db.lookupWrite(key, as: \.set, for: client) {
            case .found(let found): set = found
            case .wrongType: return
            case .missing:
                set = frame.withArgument(2) { SetValue(first: $0, expected: frame.count - 2, limits: limits) }
                isNew = true
            }
            var added = 0
            for index in 2..<frame.count where frame.withArgument(index, { set.add($0, limits: limits) }) {
                added += 1
            }
            if isNew { db.add(key, .set(set)) }
            if added > 0 {
                db.signalModified(key)
                db.notify(.set, "sadd", key: key)
            }
            db.keyspace.statistics.changes += added
            client.replyInteger(added)
        }
    }

    /// SREM key member [member ...]: the number of members removed. The key goes with its
    /// last member (later members are not looked at, as in Redis).
    static func srem(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            let set: SetValue
            switch db.lookupWrite(key, as: \.set, for: client) {
            case .found(let found): set = found
            case .wrongType: return
            case .missing:
                client.replyInteger(0)
                return
            }
            let removed = db.removeMembers(
                of: key, frame: frame, type: .set, event: "srem", remove: { set.remove($0) }, isEmpty: { set.count == 0 }
            )
            client.replyInteger(removed)
        }
    }

    /// SMOVE source destination member (Redis's `smoveCommand`): 1 when the member was moved
    /// (or is in a source that is also the destination), 0 when the source lacks it.
    /// WRONGTYPE for either key comes before anything changes; a missing source answers 0
    /// before the destination's type is checked, as in Redis.
    static func smove(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { sourceKey in
            frame.withArgument(2) { destinationKey in
                frame.withArgument(3) { member in
                    let sourceEntry = db.lookupWrite(sourceKey)
                    let destinationEntry = db.lookupWrite(destinationKey)
                    guard let sourceEntry else {
                        client.replyInteger(0)
                        return
                    }
                    guard let source = sourceEntry.value.set else {
                        client.replyWrongType()
                        return
                    }
                    var destination: SetValue?
                    if let destinationEntry {
                        guard let found = destinationEntry.value.set else {
                            client.replyWrongType()
                            return
                        }
                        destination = found
                    }
                    if source === destination {
                        client.replyInteger(source.contains(member) ? 1 : 0)
                        return
                    }
                    guard source.remove(member) else {
                        client.replyInteger(0)
                        return
                    }
                    db.notify(.set, "srem", key: sourceKey)
                    if source.count == 0 {
                        db.delete(sourceKey)
                        db.notify(.generic, "del", key: sourceKey)
                    }
                    let limits = db.keyspace.encodingLimits
                    let target = destination ?? SetValue(first: member, expected: 1, limits: limits)
                    if destination == nil { db.add(destinationKey, .set(target)) }
                    db.signalModified(sourceKey)
                    db.keyspace.statistics.changes += 1
                    if target.add(member, limits: limits) {
                        db.keyspace.statistics.changes += 1
                        db.signalModified(destinationKey)
                        db.notify(.set, "sadd", key: destinationKey)
                    }
                    client.replyInteger(1)
                }
            }
        }
    }

    // MARK: Reading

    /// SISMEMBER key member: 1 or 0.
    static func sismember(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let set = db.lookupRead(key, as: \.set, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(client.frame.withArgument(2) { set.contains($0) } ? 1 : 0)
        }
    }

    /// SMISMEMBER key member [member ...]: 1 or 0 for each member (all 0 for a missing key).
    static func smismember(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        frame.withArgument(1) { key in
            var set: SetValue?
            if let entry = db.lookupRead(key) {
                guard let found = entry.value.set else {
                    client.replyWrongType()
                    return
                }
                set = found
            }
            client.out.writeRESPArrayHeader(frame.count - 2)
            for index in 2..<frame.count {
                let isMember = set.map { set in frame.withArgument(index) { set.contains($0) } } ?? false
                client.replyInteger(isMember ? 1 : 0)
            }
        }
    }

    /// SCARD key: the number of members, 0 for a missing key.
    static func scard(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let set = db.lookupRead(key, as: \.set, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(set.count)
        }
    }

    /// SMEMBERS key: every member, as a RESP3 set (Redis runs SINTER on the one key).
    static func smembers(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            let missing = { client.out.writeRESPSetHeader(0, client.protocolVersion) }
            guard let set = db.lookupRead(key, as: \.set, for: client, missing: missing) else { return }
            replyMembers(client, set)
        }
    }

    /// Every member of `set`, as a RESP3 set (an array in RESP2).
    static func replyMembers(_ client: EngineClient, _ set: SetValue) {
        client.out.writeRESPSetHeader(set.count, client.protocolVersion)
        set.forEach { client.replyBulk($0) }
    }
}
