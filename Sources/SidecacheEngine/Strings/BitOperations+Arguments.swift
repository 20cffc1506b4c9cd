import SidecacheRESP

/// Argument parsing for GETBIT, SETBIT, BITCOUNT, BITPOS and BITOP, with redis-server 7.0's
/// error texts and order of checks. Each parser takes the arguments it names (not the
/// command name or the key) as byte collections (`[UInt8]`, `ByteBufferView`, ...).
///
/// Where Redis interleaves parsing with the key lookup, the split is stated: the command
/// layer calls the parsers and the lookup in the order given in each comment.
extension BitOperations {
    /// A BITCOUNT range as given by the client.
    package struct CountRange: Sendable, Hashable {
        package var start: Int64
        package var end: Int64
        package var unit: Unit

        package init(start: Int64, end: Int64, unit: Unit = .byte) {
            self.start = start
            self.end = end
            self.unit = unit
        }
    }

    /// A BITPOS range as given by the client (`start == nil`: the whole value).
    package struct PositionRange: Sendable, Hashable {
        package var start: Int64?
        package var end: Int64?
        package var unit: Unit

        package init(start: Int64? = nil, end: Int64? = nil, unit: Unit = .byte) {
            self.start = start
            self.end = end
            self.unit = unit
        }
    }

    /// The offset argument of GETBIT and SETBIT (`getBitOffsetFromArgument`): a `string2ll`
    /// integer, not negative, addressing a byte below `maxBulkLength` (proto-max-bulk-len).
    /// Redis checks it before looking the key up (so before WRONGTYPE).
    package static func parseBitOffset<Argument: Collection<UInt8>>(
        _ argument: Argument,
        maxBulkLength: Int = RESPLimits().maxBulkLength
    ) throws(StringCommandError) -> UInt64 {
        try parseBitOffset(argument, hashWidth: nil, maxBulkLength: maxBulkLength)
    }

    /// The offset parser shared with BITFIELD: with `hashWidth`, `#N` means `N * hashWidth`
    /// (multiplied with 64-bit wrap-around, as Redis does, so huge `#N` become negative and
    /// are refused).
    static func parseBitOffset<Argument: Collection<UInt8>>(
        _ argument: Argument,
        hashWidth: Int?,
        maxBulkLength: Int
    ) throws(StringCommandError) -> UInt64 {
        var offset: Int64
        if let hashWidth, hashWidth > 0, argument.first == UInt8(ascii: "#") {
            guard let value = ArgumentBytes.integer(argument.dropFirst()) else { throw .bitOffset }
            offset = value &* Int64(hashWidth)
        } else {
            guard let value = ArgumentBytes.integer(argument) else { throw .bitOffset }
            offset = value
        }
        guard offset >= 0, offset >> 3 < Int64(maxBulkLength) else { throw .bitOffset }
        return UInt64(offset)
    }

    /// SETBIT's value: the integers 0 and 1 only. Checked after the offset, before the lookup.
    package static func parseSetBitValue<Argument: Collection<UInt8>>(_ argument: Argument) throws(StringCommandError) -> Bool {
        guard let value = ArgumentBytes.integer(argument), value & ~1 == 0 else { throw .bitValue }
        return value == 1
    }

    /// BITCOUNT's arguments after the key: none (`nil`, the whole value), or `start end
    /// [BYTE|BIT]`; any other count is a syntax error.
    ///
    /// Redis 7.0 looks the key up first: a missing key answers 0 and a wrong type answers
    /// WRONGTYPE before any of these errors. When both indexes are negative and `start > end`
    /// the answer is 0 before the unit is read, so the unit is not checked then (the range
    /// returned counts nothing).
    package static func parseBitCountRange<Arguments: Collection>(
        _ arguments: Arguments
    ) throws(StringCommandError) -> CountRange? where Arguments.Element: Collection<UInt8> {
        if arguments.isEmpty { return nil }
        guard arguments.count == 2 || arguments.count == 3 else { throw .syntax }
        var iterator = arguments.makeIterator()
        guard let start = ArgumentBytes.integer(iterator.next()!) else { throw .notAnInteger }
        guard let end = ArgumentBytes.integer(iterator.next()!) else { throw .notAnInteger }
        if start < 0 && end < 0 && start > end { return CountRange(start: start, end: end) }
        guard let unitArgument = iterator.next() else { return CountRange(start: start, end: end) }
        return CountRange(start: start, end: end, unit: try parseUnit(unitArgument))
    }

    /// BITPOS's bit argument (0 or 1). Redis reads it before looking the key up; the range
    /// (`parseBitPositionRange`) after the lookup, so a missing key answers even when the
    /// range is invalid.
    package static func parseBitPositionBit<Argument: Collection<UInt8>>(_ argument: Argument) throws(StringCommandError) -> Bool {
        guard let value = ArgumentBytes.integer(argument) else { throw .notAnInteger }
        guard value == 0 || value == 1 else { throw .bitPositionBit }
        return value == 1
    }

    /// BITPOS's arguments after the bit: none, `start`, `start end`, or `start end BYTE|BIT`.
    /// Redis reads `start`, then the unit, then `end`; more arguments are a syntax error.
    package static func parseBitPositionRange<Arguments: Collection>(
        _ arguments: Arguments
    ) throws(StringCommandError) -> PositionRange where Arguments.Element: Collection<UInt8> {
        if arguments.isEmpty { return PositionRange() }
        guard arguments.count <= 3 else { throw .syntax }
        let items = Array(arguments)
        guard let start = ArgumentBytes.integer(items[0]) else { throw .notAnInteger }
        var range = PositionRange(start: start)
        if items.count == 3 { range.unit = try parseUnit(items[2]) }
        if items.count >= 2 {
            guard let end = ArgumentBytes.integer(items[1]) else { throw .notAnInteger }
            range.end = end
        }
        return range
    }

    /// BITOP's operation name (case-insensitive AND, OR, XOR, NOT) checked against the number
    /// of source keys: NOT takes exactly one. Both are checked before any key is looked up.
    package static func parseOperator<Argument: Collection<UInt8>>(
        _ argument: Argument,
        sourceCount: Int
    ) throws(StringCommandError) -> Operator {
        let operation: Operator
        if ArgumentBytes.isKeyword(argument, "and") {
            operation = .and
        } else if ArgumentBytes.isKeyword(argument, "or") {
            operation = .or
        } else if ArgumentBytes.isKeyword(argument, "xor") {
            operation = .xor
        } else if ArgumentBytes.isKeyword(argument, "not") {
            operation = .not
        } else {
            throw .syntax
        }
        if operation == .not && sourceCount != 1 { throw .bitOpNotArity }
        return operation
    }

    static func parseUnit<Argument: Collection<UInt8>>(_ argument: Argument) throws(StringCommandError) -> Unit {
        if ArgumentBytes.isKeyword(argument, "bit") { return .bit }
        if ArgumentBytes.isKeyword(argument, "byte") { return .byte }
        throw .syntax
    }
}
