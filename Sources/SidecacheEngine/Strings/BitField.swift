import SidecacheRESP

/// BITFIELD and BITFIELD_RO as redis-server 7.0 runs them (`bitfieldGeneric` in `bitops.c`):
/// integers of 1 to 64 bits at arbitrary bit offsets of a string value, bit 0 being the most
/// significant bit of byte 0 (the SETBIT convention).
///
/// The command layer parses the arguments after the key with `parse`, looks the key up
/// (for reading when `writes(_:)` is false, for writing otherwise), and runs `execute` or
/// `read`. Replies are one integer per operation, `nil` meaning a null reply (an overflow
/// under `OVERFLOW FAIL`).
package enum BitField {
    /// What happens when SET or INCRBY does not fit the field. Applies to the operations
    /// that follow the OVERFLOW subcommand; WRAP until the first one.
    package enum Overflow: Sendable, Hashable {
        /// Modular arithmetic: unsigned fields wrap to 0, signed fields to the most negative.
        case wrap
        /// Saturate at the field's minimum or maximum.
        case sat
        /// Do nothing and reply null.
        case fail
    }

    /// `i1`..`i64` or `u1`..`u63` (u64 would not fit Redis's signed integer reply).
    package struct FieldType: Sendable, Hashable {
        package var isSigned: Bool
        package var bits: Int

        package init(isSigned: Bool, bits: Int) {
            precondition(bits >= 1 && bits <= (isSigned ? 64 : 63))
            self.isSigned = isSigned
            self.bits = bits
        }
    }

    package enum Kind: Sendable, Hashable {
        case get
        /// SET: stores the value (after overflow handling) and answers the previous one.
        case set(Int64)
        /// INCRBY: adds the increment (after overflow handling) and answers the new value.
        case incrementBy(Int64)
    }

    package struct Operation: Sendable, Hashable {
        package var kind: Kind
        package var type: FieldType
        /// In bits, `#N` already multiplied by the width.
        package var offset: UInt64
        package var overflow: Overflow

        package init(_ kind: Kind, _ type: FieldType, offset: UInt64, overflow: Overflow = .wrap) {
            self.kind = kind
            self.type = type
            self.offset = offset
            self.overflow = overflow
        }

        package var isWrite: Bool {
            if case .get = kind { return false }
            return true
        }
    }

    /// The result of `execute`.
    package struct Outcome: Sendable, Hashable {
        /// One per operation: the reply integer, or `nil` for a null reply (FAIL overflow).
        package var results: [Int64?]
        /// Writes that changed the value or ran on a value that had to grow: what Redis adds
        /// to its dirty counter. Redis signals the key (and notifies `setbit`) when it is > 0.
        package var changes: Int

        /// Whether Redis signals the key as modified and notifies `setbit`.
        package var modified: Bool { changes > 0 }
    }

    // MARK: Parsing

    /// Parses the arguments after the key into operations, checking them in Redis's order:
    /// each subcommand in turn (name and argument count, type, offset, then value), and for
    /// BITFIELD_RO (`readOnly`) the refusal of SET and INCRBY only once all parsed. All of
    /// this comes before the key is looked up. `maxBulkLength` is proto-max-bulk-len, the
    /// bound on offsets. An empty list is valid (the reply is an empty array).
    package static func parse<Arguments: Collection>(
        _ arguments: Arguments,
        readOnly: Bool = false,
        maxBulkLength: Int = RESPLimits().maxBulkLength
    ) throws(StringCommandError) -> [Operation] where Arguments.Element: Collection<UInt8> {
        let items = Array(arguments)
        var operations: [Operation] = []
        var overflow = Overflow.wrap
        var index = 0
        while index < items.count {
            let remaining = items.count - index - 1
            let name = items[index]
            let opcode: Opcode
            if ArgumentBytes.isKeyword(name, "get") && remaining >= 2 {
                opcode = .get
            } else if ArgumentBytes.isKeyword(name, "set") && remaining >= 3 {
                opcode = .set
            } else if ArgumentBytes.isKeyword(name, "incrby") && remaining >= 3 {
                opcode = .incrementBy
            } else if ArgumentBytes.isKeyword(name, "overflow") && remaining >= 1 {
                let mode = items[index + 1]
                if ArgumentBytes.isKeyword(mode, "wrap") {
                    overflow = .wrap
                } else if ArgumentBytes.isKeyword(mode, "sat") {
                    overflow = .sat
                } else if ArgumentBytes.isKeyword(mode, "fail") {
                    overflow = .fail
                } else {
                    throw .bitFieldOverflowType
                }
                index += 2
                continue
            } else {
                throw .syntax
            }
            let type = try parseType(items[index + 1])
            let offset = try BitOperations.parseBitOffset(items[index + 2], hashWidth: type.bits, maxBulkLength: maxBulkLength)
            let kind: Kind
            switch opcode {
            case .get:
                kind = .get
            case .set, .incrementBy:
                guard let value = ArgumentBytes.integer(items[index + 3]) else { throw .notAnInteger }
                kind = opcode == .set ? .set(value) : .incrementBy(value)
            }
            operations.append(Operation(kind, type, offset: offset, overflow: overflow))
            index += opcode == .get ? 3 : 4
        }
        if readOnly && writes(operations) { throw .bitFieldReadOnly }
        return operations
    }

    private enum Opcode { case get, set, incrementBy }

    /// `getBitfieldTypeFromArgument`: `i` or `u` (lower case only), then a `string2ll` width
    /// read up to the first NUL byte, 1...64 signed or 1...63 unsigned.
    package static func parseType<Argument: Collection<UInt8>>(_ argument: Argument) throws(StringCommandError) -> FieldType {
        guard let sign = argument.first, sign == UInt8(ascii: "i") || sign == UInt8(ascii: "u") else {
            throw .bitFieldType
        }
        let isSigned = sign == UInt8(ascii: "i")
        let digits = argument.dropFirst().prefix { $0 != 0 }
        guard let bits = ArgumentBytes.integer(digits), bits >= 1, bits <= (isSigned ? 64 : 63) else {
            throw .bitFieldType
        }
        return FieldType(isSigned: isSigned, bits: Int(bits))
    }

    /// Whether any operation is SET or INCRBY: then Redis looks the key up for writing,
    /// creating it (empty) when missing, and the command is refused by BITFIELD_RO.
    package static func writes(_ operations: [Operation]) -> Bool {
        operations.contains { $0.isWrite }
    }

    // MARK: Execution

    /// Runs `operations` on `value` as Redis does. When any operation writes, `value` is
    /// first grown with zero bytes up to the byte holding the last bit any write touches
    /// (GETs past the end read zeros and never grow it); pass an empty value for a missing
    /// key. The caller stores `value` back whenever `writes(operations)` is true, even with
    /// no changes: Redis creates or grows the key even when every write fails.
    package static func execute(_ operations: [Operation], on value: inout [UInt8]) -> Outcome {
        var highestWrittenBit: UInt64 = 0
        var anyWrite = false
        for operation in operations where operation.isWrite {
            anyWrite = true
            highestWrittenBit = max(highestWrittenBit, operation.offset + UInt64(operation.type.bits) - 1)
        }
        var grew = false
        if anyWrite {
            let needed = Int(highestWrittenBit >> 3) + 1
            if needed > value.count {
                value.append(contentsOf: repeatElement(0, count: needed - value.count))
                grew = true
            }
        }
        var outcome = Outcome(results: [], changes: 0)
        outcome.results.reserveCapacity(operations.count)
        value.withUnsafeMutableBytes { bytes in
            for operation in operations {
                let bits = UInt64(operation.type.bits)
                let offset = operation.offset
                switch operation.kind {
                case .get:
                    let raw = readBits(UnsafeRawBufferPointer(bytes), offset: offset, bits: bits)
                    outcome.results.append(operation.type.isSigned ? signExtend(raw, bits: bits) : Int64(bitPattern: raw))
                case .set(let argument), .incrementBy(let argument):
                    let isIncrement = if case .incrementBy = operation.kind { true } else { false }
                    let step: Step
                    if operation.type.isSigned {
                        step = signedStep(bytes, operation, argument, isIncrement: isIncrement)
                    } else {
                        step = unsignedStep(bytes, operation, argument, isIncrement: isIncrement)
                    }
                    if step.overflowed && operation.overflow == .fail {
                        outcome.results.append(nil)
                        continue
                    }
                    outcome.results.append(step.reply)
                    writeBits(bytes, offset: offset, bits: bits, value: step.newBits)
                    if grew || step.oldBits != step.newBits { outcome.changes += 1 }
                }
            }
        }
        return outcome
    }

    /// Runs GET-only operations on a value that is not modified (`nil` for a missing key:
    /// every field reads 0). Precondition: `writes(operations)` is false.
    package static func read(_ operations: [Operation], from bytes: UnsafeRawBufferPointer?) -> [Int64] {
        precondition(!writes(operations), "BitField.read runs GET operations only")
        let bytes = bytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
        return operations.map { operation in
            let bits = UInt64(operation.type.bits)
            let raw = readBits(bytes, offset: operation.offset, bits: bits)
            return operation.type.isSigned ? signExtend(raw, bits: bits) : Int64(bitPattern: raw)
        }
    }

    /// One SET or INCRBY: the field's bits before and after, the reply, and whether it overflowed.
    struct Step {
        var oldBits: UInt64
        var newBits: UInt64
        var reply: Int64
        var overflowed: Bool
    }

    private static func signedStep(
        _ bytes: UnsafeMutableRawBufferPointer,
        _ operation: Operation,
        _ argument: Int64,
        isIncrement: Bool
    ) -> Step {
        let bits = UInt64(operation.type.bits)
        let old = signExtend(readBits(UnsafeRawBufferPointer(bytes), offset: operation.offset, bits: bits), bits: bits)
        var new: Int64
        let check: Check<Int64>
        if isIncrement {
            check = signedOverflow(old, argument, bits: bits, overflow: operation.overflow)
            new = check.overflowed ? check.limit : old &+ argument
        } else {
            check = signedOverflow(argument, 0, bits: bits, overflow: operation.overflow)
            new = check.overflowed ? check.limit : argument
        }
        if check.overflowed && operation.overflow == .fail { new = old }
        return Step(
            oldBits: UInt64(bitPattern: old) & fieldMask(bits),
            newBits: UInt64(bitPattern: new) & fieldMask(bits),
            reply: isIncrement ? new : old,
            overflowed: check.overflowed
        )
    }

    private static func unsignedStep(
        _ bytes: UnsafeMutableRawBufferPointer,
        _ operation: Operation,
        _ argument: Int64,
        isIncrement: Bool
    ) -> Step {
        let bits = UInt64(operation.type.bits)
        let old = readBits(UnsafeRawBufferPointer(bytes), offset: operation.offset, bits: bits)
        var new: UInt64
        let check: Check<UInt64>
        if isIncrement {
            check = unsignedOverflow(old, argument, bits: bits, overflow: operation.overflow)
            new = check.overflowed ? check.limit : old &+ UInt64(bitPattern: argument)
        } else {
            check = unsignedOverflow(UInt64(bitPattern: argument), 0, bits: bits, overflow: operation.overflow)
            new = check.overflowed ? check.limit : UInt64(bitPattern: argument)
        }
        if check.overflowed && operation.overflow == .fail { new = old }
        return Step(
            oldBits: old,
            newBits: new & fieldMask(bits),
            reply: Int64(bitPattern: isIncrement ? new : old),
            overflowed: check.overflowed
        )
    }

    // MARK: Overflow arithmetic (checkUnsignedBitfieldOverflow / checkSignedBitfieldOverflow)

    /// Whether `value + increment` leaves the field's range and, under WRAP or SAT, the value
    /// to store instead (`limit`; meaningless under FAIL).
    struct Check<Value> {
        var overflowed: Bool
        var limit: Value
    }

    /// Redis's unsigned check, 64-bit wrap-around included: a negative SET value is a huge
    /// unsigned one (overflow, so SAT stores the maximum); WRAP keeps the low `bits` bits.
    static func unsignedOverflow(_ value: UInt64, _ increment: Int64, bits: UInt64, overflow: Overflow) -> Check<UInt64> {
        let maximum: UInt64 = bits == 64 ? .max : (1 << bits) - 1
        let maxIncrement = Int64(bitPattern: maximum &- value)
        let minIncrement = Int64(bitPattern: 0 &- value)
        let wrapped = (value &+ UInt64(bitPattern: increment)) & maximum
        if value > maximum || (increment > 0 && increment > maxIncrement) {
            return Check(overflowed: true, limit: overflow == .sat ? maximum : wrapped)
        }
        if increment < 0 && increment < minIncrement {
            return Check(overflowed: true, limit: overflow == .sat ? 0 : wrapped)
        }
        return Check(overflowed: false, limit: 0)
    }

    /// Redis's signed check, with its 64-bit wrap-around in the intermediate increments (so a
    /// SET far below the minimum of a narrow field counts as an overflow upwards, and SAT
    /// stores the maximum, as redis-server does); WRAP sign-extends the low `bits` bits.
    static func signedOverflow(_ value: Int64, _ increment: Int64, bits: UInt64, overflow: Overflow) -> Check<Int64> {
        let maximum: Int64 = bits == 64 ? .max : (1 << (bits - 1)) - 1
        let minimum = -maximum - 1
        let maxIncrement = Int64(bitPattern: UInt64(bitPattern: maximum) &- UInt64(bitPattern: value))
        let minIncrement = minimum &- value
        var sum = UInt64(bitPattern: value) &+ UInt64(bitPattern: increment)
        if bits < 64 {
            let mask = UInt64.max << bits
            sum = sum & (1 << (bits - 1)) != 0 ? sum | mask : sum & ~mask
        }
        let wrapped = Int64(bitPattern: sum)
        if value > maximum || (bits != 64 && increment > maxIncrement) || (value >= 0 && increment > 0 && increment > maxIncrement) {
            return Check(overflowed: true, limit: overflow == .sat ? maximum : wrapped)
        }
        if value < minimum || (bits != 64 && increment < minIncrement) || (value < 0 && increment < 0 && increment < minIncrement) {
            return Check(overflowed: true, limit: overflow == .sat ? minimum : wrapped)
        }
        return Check(overflowed: false, limit: 0)
    }

    // MARK: Bit access

    @inline(__always)
    static func fieldMask(_ bits: UInt64) -> UInt64 {
        bits == 64 ? .max : (1 << bits) - 1
    }

    /// The `bits`-bit unsigned integer at bit `offset`, most significant bit first; bits past
    /// the end of `bytes` read as 0.
    static func readBits(_ bytes: UnsafeRawBufferPointer, offset: UInt64, bits: UInt64) -> UInt64 {
        let count = UInt64(bytes.count)
        var value: UInt64 = 0
        var position = offset
        for _ in 0..<bits {
            let byte = position >> 3
            let bit: UInt64 = byte < count ? UInt64(bytes[Int(byte)] >> (7 - UInt8(position & 7))) & 1 : 0
            value = value << 1 | bit
            position += 1
        }
        return value
    }

    /// Stores the low `bits` bits of `value` at bit `offset`, most significant first. The
    /// caller has grown the value to hold them.
    static func writeBits(_ bytes: UnsafeMutableRawBufferPointer, offset: UInt64, bits: UInt64, value: UInt64) {
        var position = offset
        for index in 0..<bits {
            let bit = UInt8(truncatingIfNeeded: value >> (bits - 1 - index)) & 1
            let byte = Int(position >> 3)
            let shift = 7 - UInt8(position & 7)
            bytes[byte] = bytes[byte] & ~(1 << shift) | bit << shift
            position += 1
        }
    }

    /// Two's-complement reading of a `bits`-bit field.
    static func signExtend(_ raw: UInt64, bits: UInt64) -> Int64 {
        if bits < 64 && raw & (1 << (bits - 1)) != 0 {
            return Int64(bitPattern: raw | UInt64.max << bits)
        }
        return Int64(bitPattern: raw)
    }
}
