import SidecacheRESP

/// SORT's and SORT_RO's options, parsed as Redis's `sortCommandGeneric` does: left to right,
/// the last ASC/DESC wins, LIMIT takes two integers, BY and STORE the last one given, GET
/// patterns in order. Anything else is a syntax error.
struct SortOptions {
    var descending = false
    var alpha = false
    var limitStart: Int64 = 0
    var limitCount: Int64 = -1
    /// BY's pattern; `nil` sorts by the elements themselves.
    var sortBy: [UInt8]?
    /// BY with a pattern that has no `*`: nothing to sort by, elements keep their order.
    var dontSort = false
    var getPatterns: [[UInt8]] = []
    var storeKey: [UInt8]?

    /// The options of `client.frame` from index 2, or `nil` after replying with the error.
    /// `readOnly` (SORT_RO) makes STORE a syntax error.
    static func parse(_ client: EngineClient, readOnly: Bool) -> SortOptions? {
        let frame = client.frame
        var options = SortOptions()
        var index = 2
        while index < frame.count {
            let left = frame.count - index - 1
            if frame.argument(index, equalsCaseInsensitive: "asc") {
                options.descending = false
            } else if frame.argument(index, equalsCaseInsensitive: "desc") {
                options.descending = true
            } else if frame.argument(index, equalsCaseInsensitive: "alpha") {
                options.alpha = true
            } else if frame.argument(index, equalsCaseInsensitive: "limit") && left >= 2 {
                guard let start = client.integerArgument(index + 1), let count = client.integerArgument(index + 2)
                else { return nil }
                options.limitStart = start
                options.limitCount = count
                index += 2
            } else if !readOnly && frame.argument(index, equalsCaseInsensitive: "store") && left >= 1 {
                options.storeKey = frame.bytes(index + 1)
                index += 1
            } else if frame.argument(index, equalsCaseInsensitive: "by") && left >= 1 {
                let pattern = frame.bytes(index + 1)
                options.sortBy = pattern
                // A constant BY pattern names no weight keys: nothing to sort by.
                options.dontSort = !pattern.prefix { $0 != 0 }.contains(UInt8(ascii: "*"))
                index += 1
            } else if frame.argument(index, equalsCaseInsensitive: "get") && left >= 1 {
                options.getPatterns.append(frame.bytes(index + 1))
                index += 1
            } else {
                client.replySyntaxError()
                return nil
            }
            index += 1
        }
        return options
    }

    /// The inclusive range of sorted positions to answer for `count` elements (Redis's LIMIT
    /// sanity checks, clamped so that no arithmetic overflows); empty when `end < start`.
    func range(count: Int) -> (start: Int, end: Int) {
        let length = Int64(count)
        var start = min(max(limitStart, 0), length)
        let limit = min(max(limitCount, -1), length)
        var end = limit < 0 ? length - 1 : start + limit - 1
        if start >= length {
            start = length - 1
            end = length - 2
        }
        if end >= length { end = length - 1 }
        return (Int(start), Int(end))
    }
}
