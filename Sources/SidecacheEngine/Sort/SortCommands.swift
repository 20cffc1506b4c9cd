#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SidecacheRESP

/// SORT and SORT_RO (Redis's `sort.c`): the elements of a list, set or sorted set, ordered
/// numerically or by bytes (ALPHA), by themselves or by the keys a BY pattern names, with
/// LIMIT, GET patterns and STORE into a list.
///
/// ALPHA compares bytes, as redis-server does under the C locale (it uses `strcoll` when not
/// storing; with a UTF-8 locale that is code point order, the same for valid UTF-8).
package enum SortCommands {
    static let handlers: [(String, EngineCommand)] = [
        ("sort", { sort($0, $1, readOnly: false) }), ("sort_ro", { sort($0, $1, readOnly: true) }),
    ]

    private struct Item {
        var element: [UInt8]
        var score = 0.0
        /// ALPHA with BY: the weight's bytes, `nil` when the weight key is missing.
        var weight: [UInt8]?
    }

    static func sort(_ client: EngineClient, _ db: Database, readOnly: Bool) {
        guard var options = SortOptions.parse(client, readOnly: readOnly) else { return }
        var elements: [[UInt8]] = []
        var isSet = false
        if let entry = client.frame.withArgument(1, { db.lookupRead($0) }) {
            switch entry.value.collection?.dumpValue {
            case .list(let values)?: elements = values
            case .set(let members)?: elements = members; isSet = true
            case .sortedSet(let members)?: elements = members.map(\.member)
            default: return client.replyWrongType()
            }
        }
        // A set has no order of its own: stored results (and scripts) are sorted anyway.
        if options.dontSort && isSet && options.storeKey != nil {
            options.dontSort = false
            options.alpha = true
            options.sortBy = nil
        }
        var (start, end) = options.range(count: elements.count)
        var items: [Item]
        if options.dontSort {
            // Lists and sorted sets keep their own order, read backwards for DESC.
            if !isSet && options.descending { elements.reverse() }
            items = elements.map { Item(element: $0) }
        } else {
            items = elements.map { Item(element: $0) }
            var conversionError = false
            for index in items.indices {
                let weight: [UInt8]
                if let pattern = options.sortBy {
                    guard let found = db.sortPatternValue(pattern, for: items[index].element) else { continue }
                    weight = found
                } else {
                    weight = items[index].element
                }
                if options.alpha {
                    if options.sortBy != nil { items[index].weight = weight }
                } else if let score = Self.score(weight) {
                    items[index].score = score
                } else {
                    conversionError = true
                }
            }
            if conversionError {
                return client.replyError("ERR One or more scores can't be converted into double")
            }
            items.sort(by: Self.ordering(options))
        }
        if end < start {
            start = 0
            end = -1
        }
        let selected = items[start..<(end + 1)]
        if let storeKey = options.storeKey {
            store(selected, options: options, into: storeKey, client, db)
        } else {
            reply(selected, options: options, client, db)
        }
    }

    /// Redis's `sortCompare` as a strict order: numeric by score with ties broken by the
    /// element's bytes; ALPHA by the weight (missing weights first) or by the element.
    private static func ordering(_ options: SortOptions) -> (Item, Item) -> Bool {
        let descending = options.descending
        func compare(_ a: Item, _ b: Item) -> Int {
            if !options.alpha {
                if a.score != b.score { return a.score < b.score ? -1 : 1 }
                return bytesCompare(a.element, b.element)
            }
            if options.sortBy != nil {
                switch (a.weight, b.weight) {
                case (nil, nil): return 0
                case (nil, _): return -1
                case (_, nil): return 1
                case (let x?, let y?): return bytesCompare(x, y)
                }
            }
            return bytesCompare(a.element, b.element)
        }
        return { a, b in
            let order = compare(a, b)
            return descending ? order > 0 : order < 0
        }
    }

    private static func bytesCompare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a == b { return 0 }
        return a.lexicographicallyPrecedes(b) ? -1 : 1
    }

    /// A weight as a double, as Redis's `strtod` check reads it (whole string consumed, no
    /// overflow, not NaN); `nil` when it is not a number.
    static func score(_ bytes: [UInt8]) -> Double? {
        var text = bytes
        text.append(0)
        return text.withUnsafeBufferPointer { buffer -> Double? in
            let start = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let value = strtod(start, &end)
            guard let end, end.pointee == 0, errno != ERANGE, !value.isNaN else { return nil }
            return value
        }
    }

    private static func reply(_ items: ArraySlice<Item>, options: SortOptions, _ client: EngineClient, _ db: Database) {
        let gets = options.getPatterns
        client.out.writeRESPArrayHeader(gets.isEmpty ? items.count : items.count * gets.count)
        for item in items {
            if gets.isEmpty { client.out.writeRESPBulkString(item.element) }
            for pattern in gets {
                if let value = db.sortPatternValue(pattern, for: item.element) {
                    client.out.writeRESPBulkString(value)
                } else {
                    client.replyNull()
                }
            }
        }
    }

    /// STORE: the result replaces `key` as a list (a missing GET value stored as an empty
    /// string); an empty result deletes `key`. Answers the number of elements stored.
    private static func store(
        _ items: ArraySlice<Item>, options: SortOptions, into key: [UInt8], _ client: EngineClient, _ db: Database
    ) {
        var values: [[UInt8]] = []
        for item in items {
            if options.getPatterns.isEmpty { values.append(item.element) }
            for pattern in options.getPatterns {
                values.append(db.sortPatternValue(pattern, for: item.element) ?? [])
            }
        }
        key.withUnsafeBytes { key in
            if values.isEmpty {
                if db.delete(key) {
                    db.notify(.generic, "del", key: key)
                    db.keyspace.statistics.changes += 1
                }
            } else {
                db.set(key, .list(ListValue(restoring: values, limits: db.keyspace.encodingLimits)))
                db.signalKeyAsReady(key)
                db.notify(.list, "sortstore", key: key)
                db.keyspace.statistics.changes += values.count
            }
        }
        client.replyInteger(values.count)
    }
}
