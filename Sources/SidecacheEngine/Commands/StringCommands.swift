import NIOCore
import SidecacheRESP

/// The string commands of Redis's `t_string.c`.
package enum StringCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("get", get), ("set", set), ("setnx", setnx), ("setex", setex), ("psetex", psetex),
        ("getset", getset), ("getdel", getdel), ("getex", getex), ("mget", mget), ("mset", mset),
        ("msetnx", msetnx), ("append", append), ("strlen", strlen), ("incr", incr), ("decr", decr),
        ("incrby", incrby), ("decrby", decrby), ("getrange", getrange), ("substr", getrange),
        ("setrange", setrange),
    ]

    /// Replies with the string at argument 1 (or null); `false` after a WRONGTYPE error.
    /// Redis's `getGenericCommand`.
    @discardableResult
    static func replyWithValue(_ client: EngineClient, _ db: Database) -> Bool {
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupRead(key) else {
                client.replyNull()
                return true
            }
            guard entry.value.isString else {
                client.replyWrongType()
                return false
            }
            client.replyStringValue(entry)
            return true
        }
    }

    static func get(_ client: EngineClient, _ db: Database) {
        replyWithValue(client, db)
    }

    // MARK: SET and its variants

    /// The options of SET and GETEX (Redis's `parseExtendedStringArgumentsOrReply`).
    struct SetOptions {
        enum Condition { case always, ifAbsent, ifPresent }
        /// A time option names the argument that holds its amount: like Redis, the amount is
        /// parsed only after every option was accepted (`getExpireMillisecondsOrReply`).
        enum Expiry {
            case none, keep, persist
            case relativeSeconds(argument: Int), relativeMilliseconds(argument: Int)
            case unixSeconds(argument: Int), unixMilliseconds(argument: Int)
        }

        var condition = Condition.always
        var returnOld = false
        var expiry = Expiry.none
    }

    /// Parses SET (`isSet`) or GETEX options from argument `start` on; replies and returns
    /// `nil` on a syntax error. Follows Redis's order of checks, including that a repeated time
    /// option of the same kind is accepted (the last one wins). Time amounts are not read here.
    static func parseSetOptions(_ client: EngineClient, from start: Int, isSet: Bool) -> SetOptions? {
        var options = SetOptions()
        var index = start
        let frame = client.frame
        var timeKind = 0  // 1 EX, 2 PX, 3 EXAT, 4 PXAT
        while index < frame.count {
            let hasNext = index + 1 < frame.count
            if isSet && frame.argument(index, equalsCaseInsensitive: "nx") && options.condition != .ifPresent {
                options.condition = .ifAbsent
            } else if isSet && frame.argument(index, equalsCaseInsensitive: "xx") && options.condition != .ifAbsent {
                options.condition = .ifPresent
            } else if isSet && frame.argument(index, equalsCaseInsensitive: "get") {
                options.returnOld = true
            } else if isSet && frame.argument(index, equalsCaseInsensitive: "keepttl") && timeKind == 0 {
                options.expiry = .keep
            } else if !isSet && frame.argument(index, equalsCaseInsensitive: "persist") && timeKind == 0 {
                options.expiry = .persist
            } else if let kind = timeOption(frame, index), hasNext, timeKind == 0 || timeKind == kind,
                !isKeepOrPersist(options.expiry)
            {
                timeKind = kind
                index += 1
                switch kind {
                case 1: options.expiry = .relativeSeconds(argument: index)
                case 2: options.expiry = .relativeMilliseconds(argument: index)
                case 3: options.expiry = .unixSeconds(argument: index)
                default: options.expiry = .unixMilliseconds(argument: index)
                }
            } else {
                client.replySyntaxError()
                return nil
            }
            index += 1
        }
        return options
    }

    private static func timeOption(_ frame: RESPCommandFrame, _ index: Int) -> Int? {
        if frame.argument(index, equalsCaseInsensitive: "ex") { return 1 }
        if frame.argument(index, equalsCaseInsensitive: "px") { return 2 }
        if frame.argument(index, equalsCaseInsensitive: "exat") { return 3 }
        if frame.argument(index, equalsCaseInsensitive: "pxat") { return 4 }
        return nil
    }

    private static func isKeepOrPersist(_ expiry: SetOptions.Expiry) -> Bool {
        switch expiry {
        case .keep, .persist: true
        default: false
        }
    }

    /// The absolute expiry in Unix milliseconds that `expiry` names (`.some(nil)` for none), or
    /// `nil` after replying "not an integer" or "invalid expire time" (Redis's
    /// `getExpireMillisecondsOrReply`).
    static func absoluteExpiry(_ expiry: SetOptions.Expiry, now: Int64, client: EngineClient, command: String) -> Int64?? {
        let argument: Int
        let inSeconds: Bool
        let relative: Bool
        switch expiry {
        case .none, .keep, .persist:
            return .some(nil)
        case .relativeSeconds(let index): (argument, inSeconds, relative) = (index, true, true)
        case .relativeMilliseconds(let index): (argument, inSeconds, relative) = (index, false, true)
        case .unixSeconds(let index): (argument, inSeconds, relative) = (index, true, false)
        case .unixMilliseconds(let index): (argument, inSeconds, relative) = (index, false, false)
        }
        guard let value = client.integerArgument(argument) else { return nil }
        guard value > 0, !inSeconds || value <= Int64.max / 1000 else {
            client.replyError(RedisError.invalidExpireTime(command))
            return nil
        }
        var when = inSeconds ? value * 1000 : value
        if relative { when = when &+ now }
        guard when > 0 else {
            client.replyError(RedisError.invalidExpireTime(command))
            return nil
        }
        return .some(when)
    }

    /// SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT time|KEEPTTL]
    static func set(_ client: EngineClient, _ db: Database) {
        guard let options = parseSetOptions(client, from: 3, isSet: true) else { return }
        setGeneric(client, db, options: options, valueIndex: 2, command: "set")
    }

    /// Redis's `setGenericCommand`: stores argument `valueIndex` under argument 1.
    static func setGeneric(
        _ client: EngineClient,
        _ db: Database,
        options: SetOptions,
        valueIndex: Int,
        command: String,
        okReply: Bool = true
    ) {
        guard let expireAt = absoluteExpiry(options.expiry, now: db.keyspace.now, client: client, command: command)
        else { return }
        if options.returnOld {
            guard replyWithValue(client, db) else { return }
        }
        client.frame.withArgument(1) { key in
            // Only NX/XX need to know beforehand; `setString`'s own lookup has the same lazy
            // expiry, so a plain SET hashes and finds its key once.
            let found = options.condition != .always && db.lookupWrite(key) != nil
            if (options.condition == .ifAbsent && found) || (options.condition == .ifPresent && !found) {
                if !options.returnOld {
                    if okReply { client.replyNull() } else { client.replyInteger(0) }
                }
                return
            }
            let entry = client.frame.withArgument(valueIndex) { value in
                db.setString(key, value, keepTTL: { if case .keep = options.expiry { true } else { false } }())
            }
            db.keyspace.statistics.changes += 1
            db.notify(.string, "set", key: key)
            if let expireAt {
                db.setExpire(entry, at: expireAt)
                db.notify(.generic, "expire", key: key)
            }
            if !options.returnOld {
                if okReply { client.replyOK() } else { client.replyInteger(1) }
            }
        }
    }

    static func setnx(_ client: EngineClient, _ db: Database) {
        setGeneric(client, db, options: SetOptions(condition: .ifAbsent), valueIndex: 2, command: "setnx", okReply: false)
    }

    /// SETEX key seconds value
    static func setex(_ client: EngineClient, _ db: Database) {
        setGeneric(client, db, options: SetOptions(expiry: .relativeSeconds(argument: 2)), valueIndex: 3, command: "setex")
    }

    /// PSETEX key milliseconds value
    static func psetex(_ client: EngineClient, _ db: Database) {
        setGeneric(
            client, db, options: SetOptions(expiry: .relativeMilliseconds(argument: 2)), valueIndex: 3,
            command: "psetex"
        )
    }

    /// GETSET key value: SET with GET, dropping the TTL.
    static func getset(_ client: EngineClient, _ db: Database) {
        guard replyWithValue(client, db) else { return }
        client.frame.withArgument(1) { key in
            client.frame.withArgument(2) { value in _ = db.setString(key, value) }
            db.notify(.string, "set", key: key)
        }
        db.keyspace.statistics.changes += 1
    }

    static func getdel(_ client: EngineClient, _ db: Database) {
        guard replyWithValue(client, db) else { return }
        client.frame.withArgument(1) { key in
            if db.delete(key) {
                db.notify(.generic, "del", key: key)
                db.keyspace.statistics.changes += 1
            }
        }
    }

    /// GETEX key [EX|PX|EXAT|PXAT time|PERSIST]. As in Redis, the time is read and checked
    /// only once the key was found to hold a string: a missing key answers null whatever it is.
    static func getex(_ client: EngineClient, _ db: Database) {
        guard let options = parseSetOptions(client, from: 2, isSet: false) else { return }
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupString(key, for: client, missing: { client.replyNull() }) else { return }
            guard let expireAt = absoluteExpiry(options.expiry, now: db.keyspace.now, client: client, command: "getex")
            else { return }
            client.replyStringValue(entry)
            if let expireAt {
                db.expire(entry, key: key, at: expireAt)
            } else if case .persist = options.expiry, db.removeExpire(entry) {
                db.signalModified(key)
                db.notify(.generic, "persist", key: key)
                db.keyspace.statistics.changes += 1
            }
        }
    }

    // MARK: Several keys

    static func mget(_ client: EngineClient, _ db: Database) {
        let count = client.frame.count - 1
        client.out.writeRESPArrayHeader(count)
        for index in 1...count {
            client.frame.withArgument(index) { key in
                if let entry = db.lookupRead(key), entry.value.isString {
                    client.replyStringValue(entry)
                } else {
                    client.replyNull()
                }
            }
        }
    }

    static func mset(_ client: EngineClient, _ db: Database) {
        msetGeneric(client, db, onlyIfNoneExist: false)
    }

    static func msetnx(_ client: EngineClient, _ db: Database) {
        msetGeneric(client, db, onlyIfNoneExist: true)
    }

    private static func msetGeneric(_ client: EngineClient, _ db: Database, onlyIfNoneExist: Bool) {
        let frame = client.frame
        guard frame.count % 2 == 1 else {
            client.replyError("ERR wrong number of arguments for '\(onlyIfNoneExist ? "msetnx" : "mset")' command")
            return
        }
        if onlyIfNoneExist {
            for index in stride(from: 1, to: frame.count, by: 2)
            where frame.withArgument(index, { db.lookupWrite($0) }) != nil {
                client.replyInteger(0)
                return
            }
        }
        for index in stride(from: 1, to: frame.count, by: 2) {
            frame.withArgument(index) { key in
                frame.withArgument(index + 1) { value in _ = db.setString(key, value) }
                db.notify(.string, "set", key: key)
            }
        }
        db.keyspace.statistics.changes += (frame.count - 1) / 2
        if onlyIfNoneExist { client.replyInteger(1) } else { client.replyOK() }
    }

    // MARK: Editing

    static func append(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            client.frame.withArgument(2) { suffix in
                guard let entry = db.lookupWrite(key) else {
                    // A new key is stored as SET would store the value (`tryObjectEncoding`).
                    db.addString(key, suffix)
                    db.signalModified(key)
                    db.notify(.string, "append", key: key)
                    db.keyspace.statistics.changes += 1
                    client.replyInteger(suffix.count)
                    return
                }
                guard entry.value.isString else {
                    client.replyWrongType()
                    return
                }
                guard checkStringLength(client, db, entry.stringLength, suffix.count) else { return }
                var bytes = db.takeRawBytes(entry)
                bytes.append(contentsOf: suffix)
                let length = bytes.count
                db.replaceValue(of: entry, with: .raw(bytes))
                db.signalModified(key)
                db.notify(.string, "append", key: key)
                db.keyspace.statistics.changes += 1
                client.replyInteger(length)
            }
        }
    }

    /// Whether a string of `size` bytes may grow by `append` bytes; replies with Redis's error
    /// when not. The sum is checked for overflow (SETRANGE takes any offset up to `Int64.max`).
    static func checkStringLength(_ client: EngineClient, _ db: Database, _ size: Int, _ append: Int) -> Bool {
        let (total, overflow) = size.addingReportingOverflow(append)
        guard !overflow, total <= db.keyspace.maxStringLength else {
            client.replyError(RedisError.stringTooLong)
            return false
        }
        return true
    }

    static func strlen(_ client: EngineClient, _ db: Database) {
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupString(key, for: client, missing: { client.replyInteger(0) }) else { return }
            client.replyInteger(entry.stringLength)
        }
    }

    // MARK: Counters

    static func incr(_ client: EngineClient, _ db: Database) { incrementBy(client, db, 1) }
    static func decr(_ client: EngineClient, _ db: Database) { incrementBy(client, db, -1) }

    static func incrby(_ client: EngineClient, _ db: Database) {
        guard let increment = client.integerArgument(2) else { return }
        incrementBy(client, db, increment)
    }

    static func decrby(_ client: EngineClient, _ db: Database) {
        guard let decrement = client.integerArgument(2) else { return }
        guard decrement != Int64.min else {
            client.replyError("ERR decrement would overflow")
            return
        }
        incrementBy(client, db, -decrement)
    }

    /// Redis's `incrDecrCommand`.
    private static func incrementBy(_ client: EngineClient, _ db: Database, _ increment: Int64) {
        client.frame.withArgument(1) { key in
            let entry = db.lookupWrite(key)
            var current: Int64 = 0
            if let entry {
                guard entry.value.isString else {
                    client.replyWrongType()
                    return
                }
                guard let value = integerValue(entry) else {
                    client.replyNotInteger()
                    return
                }
                current = value
            }
            let (result, overflow) = current.addingReportingOverflow(increment)
            guard !overflow else {
                client.replyError(RedisError.overflow)
                return
            }
            if let entry {
                db.replaceValue(of: entry, with: .integer(result))
            } else {
                db.add(key, .integer(result))
            }
            db.signalModified(key)
            db.notify(.string, "incrby", key: key)
            db.keyspace.statistics.changes += 1
            client.out.writeRESPInteger(Int(result))
        }
    }

    /// A string value read as a 64-bit integer, as Redis's `getLongLongFromObject` does.
    static func integerValue(_ entry: KeyEntry) -> Int64? {
        if case .integer(let number) = entry.value { return number }
        return entry.withStringBytes { RedisInteger.parse($0) }
    }

    // MARK: Ranges

    /// GETRANGE key start end (and SUBSTR).
    static func getrange(_ client: EngineClient, _ db: Database) {
        guard var start = client.integerArgument(2), var end = client.integerArgument(3) else { return }
        client.frame.withArgument(1) { key in
            guard let entry = db.lookupString(key, for: client, missing: { client.out.writeRESPBulkString(UnsafeRawBufferPointer(start: nil, count: 0)) }) else { return }
            entry.withStringBytes { bytes in
                let length = Int64(bytes.count)
                if start < 0 && end < 0 && start > end {
                    client.replyBulk(UnsafeRawBufferPointer(start: nil, count: 0))
                    return
                }
                if start < 0 { start = length + start }
                if end < 0 { end = length + end }
                if start < 0 { start = 0 }
                if end < 0 { end = 0 }
                if end >= length { end = length - 1 }
                if start > end || length == 0 {
                    client.replyBulk(UnsafeRawBufferPointer(start: nil, count: 0))
                } else {
                    client.replyBulk(UnsafeRawBufferPointer(rebasing: bytes[Int(start)...Int(end)]))
                }
            }
        }
    }

    /// SETRANGE key offset value
    static func setrange(_ client: EngineClient, _ db: Database) {
        guard let offset = client.integerArgument(2) else { return }
        guard offset >= 0 else {
            client.replyError(RedisError.offsetOutOfRange)
            return
        }
        client.frame.withArgument(1) { key in
            client.frame.withArgument(3) { patch in
                let entry = db.lookupWrite(key)
                if let entry, !entry.value.isString {
                    client.replyWrongType()
                    return
                }
                let currentLength = entry?.stringLength ?? 0
                if patch.isEmpty {
                    client.replyInteger(currentLength)
                    return
                }
                guard checkStringLength(client, db, Int(offset), patch.count) else { return }
                var bytes = entry.map(db.takeRawBytes) ?? []
                let end = Int(offset) + patch.count
                if bytes.count < end { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
                bytes.withUnsafeMutableBytes { target in
                    UnsafeMutableRawBufferPointer(rebasing: target[Int(offset)..<end]).copyMemory(from: patch)
                }
                let length = bytes.count
                if let entry {
                    db.replaceValue(of: entry, with: .raw(bytes))
                } else {
                    db.add(key, .raw(bytes))
                }
                db.signalModified(key)
                db.notify(.string, "setrange", key: key)
                db.keyspace.statistics.changes += 1
                client.replyInteger(length)
            }
        }
    }
}
