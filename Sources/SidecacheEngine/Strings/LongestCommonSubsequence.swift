import SidecacheRESP

/// LCS as redis-server 7.0 computes it (`lcsCommand` in `t_string.c`): the classic dynamic
/// programming table, then a walk back from the end of both strings that yields the common
/// subsequence and the ranges where the strings match, last range first.
///
/// Order of checks for the command layer: the keys' types (`lcsWrongType`; a missing key is
/// the empty string), then `parseOptions`, then `compute`, which refuses strings or tables
/// too large before allocating anything.
package enum LongestCommonSubsequence {
    /// What the reply carries.
    package enum Mode: Sendable, Hashable {
        /// The subsequence itself (no option).
        case string
        /// LEN: its length only.
        case length
        /// IDX: the matching ranges and the length.
        case indexes
    }

    package struct Options: Sendable, Hashable {
        package var mode: Mode
        /// MINMATCHLEN, negative values read as 0: IDX leaves out ranges shorter than this.
        package var minMatchLength: Int64
        /// WITHMATCHLEN: each IDX range carries its length as a third element.
        package var withMatchLength: Bool

        package init(mode: Mode = .string, minMatchLength: Int64 = 0, withMatchLength: Bool = false) {
            self.mode = mode
            self.minMatchLength = max(0, minMatchLength)
            self.withMatchLength = withMatchLength
        }
    }

    /// One range where the strings match: inclusive byte indexes in each.
    package struct Match: Sendable, Hashable {
        package var first: ClosedRange<Int>
        package var second: ClosedRange<Int>

        package init(first: ClosedRange<Int>, second: ClosedRange<Int>) {
            self.first = first
            self.second = second
        }

        /// The WITHMATCHLEN value.
        package var length: Int { first.count }
    }

    package enum Reply: Sendable, Hashable {
        case string([UInt8])
        case length(Int)
        /// IDX: ranges in Redis's reply order (from the end of the strings), and the LCS length.
        case indexes([Match], length: Int)
    }

    /// Parses the options after the two keys: IDX, LEN, WITHMATCHLEN, MINMATCHLEN <n>
    /// (case-insensitive, any order, repeatable). An unknown word, or MINMATCHLEN last, is a
    /// syntax error; a bad MINMATCHLEN is not an integer; LEN with IDX is refused after all
    /// options are read.
    package static func parseOptions<Arguments: Collection>(
        _ arguments: Arguments
    ) throws(StringCommandError) -> Options where Arguments.Element: Collection<UInt8> {
        let items = Array(arguments)
        var getLength = false
        var getIndexes = false
        var options = Options()
        var index = 0
        while index < items.count {
            let option = items[index]
            let more = items.count - 1 - index
            if ArgumentBytes.isKeyword(option, "idx") {
                getIndexes = true
            } else if ArgumentBytes.isKeyword(option, "len") {
                getLength = true
            } else if ArgumentBytes.isKeyword(option, "withmatchlen") {
                options.withMatchLength = true
            } else if ArgumentBytes.isKeyword(option, "minmatchlen") && more > 0 {
                guard let value = ArgumentBytes.integer(items[index + 1]) else { throw .notAnInteger }
                options.minMatchLength = max(0, value)
                index += 1
            } else {
                throw .syntax
            }
            index += 1
        }
        if getLength && getIndexes { throw .lcsLengthAndIndexes }
        options.mode = getIndexes ? .indexes : (getLength ? .length : .string)
        return options
    }

    /// Redis's size checks, before any allocation: each string shorter than 2^32-2 bytes,
    /// and the table of `(a+1)*(b+1)` 32-bit cells no larger than `maxBulkLength` bytes
    /// (proto-max-bulk-len). Returns the number of cells.
    package static func checkSize(_ firstCount: Int, _ secondCount: Int, maxBulkLength: Int) throws(StringCommandError) -> Int {
        guard firstCount < Int(UInt32.max) - 1, secondCount < Int(UInt32.max) - 1 else { throw .lcsStringTooLong }
        let cells = UInt64(firstCount + 1) * UInt64(secondCount + 1)
        let (bytes, overflow) = cells.multipliedReportingOverflow(by: 4)
        guard !overflow, bytes < UInt64(Int.max) else { throw .lcsAllocationFailed }
        guard bytes <= UInt64(maxBulkLength) else { throw .lcsTableTooLarge }
        return Int(cells)
    }

    /// LCS of `first` and `second` as Redis computes it, after `checkSize`. The table the
    /// computation keeps is at most `maxBulkLength` bytes, as in Redis, and usually smaller:
    /// its cells are as narrow as the shorter string's length allows, and LEN keeps two rows.
    package static func compute(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        options: Options = Options(),
        maxBulkLength: Int = RESPLimits().maxBulkLength
    ) throws(StringCommandError) -> Reply {
        _ = try checkSize(first.count, second.count, maxBulkLength: maxBulkLength)
        if options.mode == .length {
            return .length(lengthOnly(first, second))
        }
        let shorter = min(first.count, second.count)
        if shorter <= Int(UInt8.max) {
            return walk(Table<UInt8>(first, second), first, second, options)
        }
        if shorter <= Int(UInt16.max) {
            return walk(Table<UInt16>(first, second), first, second, options)
        }
        return walk(Table<UInt32>(first, second), first, second, options)
    }

    package static func compute(
        _ first: [UInt8],
        _ second: [UInt8],
        options: Options = Options(),
        maxBulkLength: Int = RESPLimits().maxBulkLength
    ) throws(StringCommandError) -> Reply {
        let result = first.withUnsafeBytes { a in
            second.withUnsafeBytes { b in
                Result { () throws(StringCommandError) in try compute(a, b, options: options, maxBulkLength: maxBulkLength) }
            }
        }
        return try result.get()
    }

    /// The table: `cells[j + i * (b + 1)]` is the LCS length of `a[0..<i]` and `b[0..<j]`.
    struct Table<Cell: FixedWidthInteger & UnsignedInteger> {
        let columns: Int
        var cells: [Cell]

        init(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) {
            columns = b.count + 1
            cells = [Cell](repeating: 0, count: (a.count + 1) * columns)
            let columns = columns
            cells.withUnsafeMutableBufferPointer { table in
                for i in 1..<(a.count + 1) {
                    let row = i * columns
                    let above = row - columns
                    let byte = a[i - 1]
                    for j in 1..<columns {
                        if byte == b[j - 1] {
                            table[row + j] = table[above + j - 1] &+ 1
                        } else {
                            table[row + j] = max(table[above + j], table[row + j - 1])
                        }
                    }
                }
            }
        }

        @inline(__always)
        subscript(i: Int, j: Int) -> Cell { cells[j + i * columns] }
    }

    /// Redis's walk back through the table, emitting the subsequence and the ranges.
    private static func walk<Cell>(
        _ table: Table<Cell>,
        _ a: UnsafeRawBufferPointer,
        _ b: UnsafeRawBufferPointer,
        _ options: Options
    ) -> Reply {
        let total = Int(table[a.count, b.count])
        var subsequence = [UInt8](repeating: 0, count: total)
        var matches: [Match] = []
        let unset = a.count  // Redis marks "no current range" with the length of `a`.
        var aStart = unset
        var aEnd = 0
        var bStart = 0
        var bEnd = 0
        var remaining = total
        var i = a.count
        var j = b.count
        while i > 0 && j > 0 {
            var emit = false
            if a[i - 1] == b[j - 1] {
                subsequence[remaining - 1] = a[i - 1]
                if aStart == unset {
                    aStart = i - 1
                    aEnd = i - 1
                    bStart = j - 1
                    bEnd = j - 1
                } else if aStart == i && bStart == j {
                    // Contiguous with the current range: extend it backwards.
                    aStart -= 1
                    bStart -= 1
                } else {
                    emit = true
                }
                // A range that reached the first byte of either string is complete.
                if aStart == 0 || bStart == 0 { emit = true }
                remaining -= 1
                i -= 1
                j -= 1
            } else {
                if table[i - 1, j] > table[i, j - 1] {
                    i -= 1
                } else {
                    j -= 1
                }
                if aStart != unset { emit = true }
            }
            if emit {
                let length = aEnd - aStart + 1
                if options.minMatchLength == 0 || Int64(length) >= options.minMatchLength {
                    matches.append(Match(first: aStart...aEnd, second: bStart...bEnd))
                }
                aStart = unset
            }
        }
        switch options.mode {
        case .indexes: return .indexes(matches, length: total)
        case .length: return .length(total)
        case .string: return .string(subsequence)
        }
    }

    /// The LCS length with two rows of the table (LEN needs no walk back).
    static func lengthOnly(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if a.isEmpty || b.isEmpty { return 0 }
        var previous = [UInt32](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            let byte = a[i - 1]
            for j in 1...b.count {
                current[j] = byte == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return Int(previous[b.count])
    }
}
