import SidecacheRESP

/// The cursor and options of SCAN (and of HSCAN, SSCAN and ZSCAN to come): Redis's
/// `parseScanCursorOrReply` and step 1 of `scanGenericCommand`.
///
/// The pattern and type are kept as argument positions, not copies: they are read from the
/// request frame while the command runs.
package struct ScanArguments {
    /// Keys to collect per call before filtering (COUNT, default 10).
    package var count = 10
    /// The frame position of the MATCH pattern; `nil` when absent or exactly `*`.
    package var patternIndex: Int?
    /// The frame position of the TYPE name; `nil` when absent.
    package var typeIndex: Int?

    /// Parses a SCAN cursor as Redis does with `strtoul(..., 10)`: an optional sign (a negative
    /// number wraps around, `-1` is the largest cursor), decimal digits, nothing after them. A
    /// leading space, trailing bytes or overflow make it invalid (`nil`); the empty string is 0.
    /// The bytes are read as a C string: a NUL byte ends them.
    package static func parseCursor(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        if end > 0 && ASCII.isSpace(bytes[0]) { return nil }
        var index = 0
        var negative = false
        if index < end && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let digitsStart = index
        var value: UInt64 = 0
        var overflow = false
        while index < end, bytes[index] &- UInt8(ascii: "0") < 10 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] &- UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            value = sum
            index += 1
        }
        // No digits: strtoul converts nothing and points back at the first byte, which is
        // the terminating NUL only for an empty cursor.
        if index == digitsStart { return end == 0 ? 0 : nil }
        guard index == end, !overflow else { return nil }
        return negative ? 0 &- value : value
    }

    /// The cursor at frame position `index`, or `nil` after replying "ERR invalid cursor".
    package static func cursor(_ client: EngineClient, at index: Int) -> UInt64? {
        guard let cursor = client.frame.withArgument(index, parseCursor) else {
            client.replyError("ERR invalid cursor")
            return nil
        }
        return cursor
    }

    /// Parses `COUNT n`, `MATCH pattern` and (when `allowsType`) `TYPE name` from frame
    /// position `first` on, in any order, later ones winning. Replies with Redis's error and
    /// returns `nil` on the first bad option: a COUNT that is not an integer ("not an
    /// integer"), below 1 or a missing value or unknown option (syntax error).
    package static func parse(_ client: EngineClient, from first: Int, allowsType: Bool) -> ScanArguments? {
        var arguments = ScanArguments()
        let frame = client.frame
        var index = first
        while index < frame.count {
            let hasValue = frame.count - index >= 2
            if hasValue && frame.argument(index, equalsCaseInsensitive: "count") {
                guard let count = client.integerArgument(index + 1) else { return nil }
                guard count >= 1 else {
                    client.replySyntaxError()
                    return nil
                }
                arguments.count = Int(count)
            } else if hasValue && frame.argument(index, equalsCaseInsensitive: "match") {
                let matchesAll = frame.length(index + 1) == 1 && frame.withArgument(index + 1) { $0[0] == UInt8(ascii: "*") }
                arguments.patternIndex = matchesAll ? nil : index + 1
            } else if hasValue && allowsType && frame.argument(index, equalsCaseInsensitive: "type") {
                arguments.typeIndex = index + 1
            } else {
                client.replySyntaxError()
                return nil
            }
            index += 2
        }
        return arguments
    }

    /// Redis bounds one call at `COUNT * 10` further table steps, so a sparse table cannot
    /// make SCAN walk all of it while holding the lock.
    package var maximumIterations: Int {
        let (product, overflow) = count.multipliedReportingOverflow(by: 10)
        return overflow ? Int.max : product
    }
}
