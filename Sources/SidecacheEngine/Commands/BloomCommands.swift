import NIOCore
import SidecacheRESP

/// RedisBloom's Bloom filter commands (`rebloom.c`): BF.RESERVE, BF.ADD, BF.MADD, BF.INSERT
/// here; BF.EXISTS, BF.MEXISTS, BF.INFO, BF.CARD in `BloomCommands+Read.swift`. The filter
/// is `Bloom/BloomFilterValue.swift`.
///
/// Followed: RedisBloom's `src/rebloom.c` (the 2.4-era source, with BF.CARD as 2.4.4 added
/// it) and `src/sb.c`, `deps/bloom/bloom.c`; there is no RedisBloom binary to compare with.
/// Error texts are that source's, with the `ERR ` prefix later RedisBloom releases put on
/// BF.INSERT's and BF.INFO's errors. As a module's command does, every write command signals
/// its key to watchers once it has opened it (even when it then fails), and counts one change
/// when it replicates. RedisBloom sends no keyspace notifications for these commands.
package enum BloomCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("bf.reserve", reserve), ("bf.add", add), ("bf.madd", add), ("bf.insert", insert),
        ("bf.exists", exists), ("bf.mexists", exists), ("bf.info", info), ("bf.card", card),
    ]

    static let defaultErrorRate = 0.01
    static let defaultCapacity: UInt64 = 100
    static let defaultExpansion: UInt32 = 2

    enum Errors {
        static let notFound = "ERR not found"
        static let itemExists = "ERR item exists"
        static let badErrorRate = "ERR bad error rate"
        static let errorRateRange = "ERR (0 < error rate range < 1)"
        static let badCapacity = "ERR bad capacity"
        static let capacityRange = "ERR (capacity should be larger than 0)"
        static let noExpansion = "ERR no expansion"
        static let badExpansion = "ERR bad expansion"
        static let expansionRange = "ERR expansion should be greater or equal to 1"
        static let nonScalingExpansion = "ERR Nonscaling filters cannot expand"
        static let full = "ERR non scaling filter is full"
        static let cannotCreate = "ERR could not create filter"
        static let insertBadErrorRate = "ERR Bad error rate"
        static let insertBadCapacity = "ERR Bad capacity"
        static let insertBadExpansion = "ERR Bad expansion"
        static let unknownArgument = "ERR Unknown argument received"
        static let badArgument = "ERR Bad argument received"
        static let invalidInfo = "ERR Invalid information value"
    }

    /// BF.RESERVE key error_rate capacity [EXPANSION expansion] [NONSCALING]
    ///
    /// Checks in RedisBloom's order: at most 7 arguments, the rate, the capacity, then the
    /// words NONSCALING and EXPANSION searched anywhere among the arguments (the key
    /// included; other words are ignored), then the key, which must not exist.
    static func reserve(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        guard frame.count <= 7 else {
            client.replyError("ERR wrong number of arguments for 'bf.reserve' command")
            return
        }
        guard let errorRate = parseDouble(frame, 2) else { return client.replyError(Errors.badErrorRate) }
        guard errorRate > 0 && errorRate < 1 else { return client.replyError(Errors.errorRateRange) }
        guard let capacity = frame.integer(3) else { return client.replyError(Errors.badCapacity) }
        guard capacity > 0 else { return client.replyError(Errors.capacityRange) }
        let scaling = argumentIndex(frame, "nonscaling") == nil
        var expansion = Int64(defaultExpansion)
        if let index = argumentIndex(frame, "expansion") {
            guard index + 1 < frame.count else { return client.replyError(Errors.noExpansion) }
            guard scaling else { return client.replyError(Errors.nonScalingExpansion) }
            guard let parsed = frame.integer(index + 1) else { return client.replyError(Errors.badExpansion) }
            guard parsed >= 1 else { return client.replyError(Errors.expansionRange) }
            expansion = parsed
        }
        frame.withArgument(1) { key in
            defer { db.signalModified(key) }
            if let entry = db.lookupWrite(key) {
                client.replyError(entry.value.bloom == nil ? RedisError.wrongType : Errors.itemExists)
                return
            }
            db.keyspace.statistics.changes += 1
            guard
                let filter = BloomFilterValue(
                    capacity: UInt64(capacity),
                    errorRate: errorRate,
                    expansion: UInt32(truncatingIfNeeded: expansion),
                    scaling: scaling
                )
            else { return client.replyError(Errors.cannotCreate) }
            db.add(key, .bloom(filter))
            client.replyOK()
        }
    }

    /// BF.ADD key item, BF.MADD key item [item ...]: adds to the filter, created with the
    /// defaults (1%, 100 items, expansion 2, scaling) when missing.
    static func add(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        let options = InsertOptions()
        insert(client, db, options, items: 2, multi: frame.argument(0, equalsCaseInsensitive: "bf.madd"))
    }

    /// What BF.INSERT can change of `add`.
    struct InsertOptions {
        var capacity = Int64(defaultCapacity)
        var errorRate = defaultErrorRate
        var expansion = Int64(defaultExpansion)
        var create = true
        var scaling = true
    }

    /// BF.INSERT key [CAPACITY c] [ERROR e] [EXPANSION n] [NOCREATE] [NONSCALING] ITEMS item...
    ///
    /// RedisBloom reads options by their first letters: `i…` starts the items, `er…` is the
    /// error rate and any other `e…` the expansion, `c…` the capacity, `n?c…` NOCREATE and
    /// any other `n…` NONSCALING. A missing value or an empty item list is a wrong arity.
    static func insert(_ client: EngineClient, _ db: Database) {
        let frame = client.frame
        var options = InsertOptions()
        var itemsIndex: Int? = nil
        var position = 2
        let wrongArity = "ERR wrong number of arguments for 'bf.insert' command"
        while position < frame.count && itemsIndex == nil {
            switch lowercasedByte(frame, position, at: 0) {
            case UInt8(ascii: "i"):
                position += 1
                itemsIndex = position
            case UInt8(ascii: "e"):
                let isErrorRate = lowercasedByte(frame, position, at: 1) == UInt8(ascii: "r")
                position += 1
                guard position < frame.count else { return client.replyError(wrongArity) }
                if isErrorRate {
                    guard let rate = parseDouble(frame, position) else { return client.replyError(Errors.insertBadErrorRate) }
                    options.errorRate = rate
                } else {
                    guard let expansion = frame.integer(position) else { return client.replyError(Errors.insertBadExpansion) }
                    options.expansion = expansion
                }
                position += 1
            case UInt8(ascii: "c"):
                position += 1
                guard position < frame.count else { return client.replyError(wrongArity) }
                guard let capacity = frame.integer(position) else { return client.replyError(Errors.insertBadCapacity) }
                options.capacity = capacity
                position += 1
            case UInt8(ascii: "n"):
                if lowercasedByte(frame, position, at: 2) == UInt8(ascii: "c") {
                    options.create = false
                } else {
                    options.scaling = false
                }
                position += 1
            default:
                return client.replyError(Errors.unknownArgument)
            }
        }
        guard let itemsIndex, itemsIndex < frame.count else { return client.replyError(wrongArity) }
        guard options.errorRate > 0 && options.errorRate < 1 && options.capacity >= 1 && options.expansion >= 1 else {
            return client.replyError(Errors.badArgument)
        }
        insert(client, db, options, items: itemsIndex, multi: true)
    }

    /// RedisBloom's `bfInsertCommon`: finds or creates the filter, then adds the items from
    /// argument `items` on, one integer each (1: added, 0: probably present) in an array
    /// when `multi`. A full non-scaling filter (or a layer too large to allocate) answers an
    /// error in the item's place and stops there.
    private static func insert(_ client: EngineClient, _ db: Database, _ options: InsertOptions, items: Int, multi: Bool) {
        let frame = client.frame
        frame.withArgument(1) { key in
            defer { db.signalModified(key) }
            let filter: BloomFilterValue
            if let entry = db.lookupWrite(key) {
                guard let found = entry.value.bloom else { return client.replyWrongType() }
                filter = found
            } else {
                guard options.create else { return client.replyError(Errors.notFound) }
                guard
                    let created = BloomFilterValue(
                        capacity: UInt64(options.capacity),
                        errorRate: options.errorRate,
                        expansion: UInt32(truncatingIfNeeded: options.expansion),
                        scaling: options.scaling
                    )
                else { return client.replyError(Errors.cannotCreate) }
                db.add(key, .bloom(created))
                filter = created
            }
            var results: [BloomFilterValue.AddResult] = []
            for index in items..<frame.count {
                let result = frame.withArgument(index) { filter.add($0) }
                results.append(result)
                if result == .full || result == .tooLarge { break }
            }
            if multi { client.out.writeRESPArrayHeader(results.count) }
            for result in results {
                switch result {
                case .added: client.replyInteger(1)
                case .present: client.replyInteger(0)
                case .full: client.replyError(Errors.full)
                case .tooLarge: client.replyError(Errors.cannotCreate)
                }
            }
            db.keyspace.statistics.changes += 1
        }
    }
}
