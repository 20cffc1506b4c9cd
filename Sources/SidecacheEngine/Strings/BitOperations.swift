/// The bitmap algorithms of redis-server 7.0's `bitops.c` (GETBIT, SETBIT, BITCOUNT, BITPOS,
/// BITOP), over the bytes of a string value.
///
/// Bit 0 is the most significant bit of byte 0; a string is a bitmap zero-padded on the
/// right. The functions take values already looked up; what a missing key means is stated
/// per function. Argument parsing, with Redis's order of errors, is in
/// `BitOperations+Arguments.swift`.
package enum BitOperations {
    /// The unit of BITCOUNT and BITPOS ranges.
    package enum Unit: Sendable, Hashable {
        case byte
        case bit
    }

    /// A BITOP operation.
    package enum Operator: Sendable, Hashable {
        case and
        case or
        case xor
        case not
    }

    // MARK: Population count

    /// Number of bits set in `bytes`.
    package static func popcount(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return 0 }
        var total = 0
        var index = 0
        while index + 32 <= count {
            let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let b = base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
            let c = base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
            let d = base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            total &+= a.nonzeroBitCount &+ b.nonzeroBitCount &+ c.nonzeroBitCount &+ d.nonzeroBitCount
            index += 32
        }
        while index + 8 <= count {
            total &+= base.loadUnaligned(fromByteOffset: index, as: UInt64.self).nonzeroBitCount
            index += 8
        }
        while index < count {
            total &+= bytes[index].nonzeroBitCount
            index += 1
        }
        return Int64(total)
    }

    // MARK: BITCOUNT

    /// BITCOUNT over the whole value (`BITCOUNT key`); 0 for an empty or missing value.
    package static func bitCount(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        popcount(bytes)
    }

    /// BITCOUNT with a range (`BITCOUNT key start end [BYTE|BIT]`), as Redis 7.0 computes it.
    ///
    /// `start` and `end` are inclusive, in bytes or bits; negative values count from the end
    /// (-1 is the last byte or bit). Both negative with `start > end` is 0 before anything else;
    /// otherwise negative results clamp to 0 and `end` clamps to the last index, and
    /// `start > end` counts nothing. A missing key counts as an empty value (0).
    package static func bitCount(_ bytes: UnsafeRawBufferPointer, start: Int64, end: Int64, unit: Unit = .byte) -> Int64 {
        if start < 0 && end < 0 && start > end { return 0 }
        guard let range = normalize(start: start, end: end, length: Int64(bytes.count), unit: unit) else { return 0 }
        if range.start > range.end { return 0 }
        var count = popcount(UnsafeRawBufferPointer(rebasing: bytes[Int(range.start)...Int(range.end)]))
        // Bits of the edge bytes that lie outside a BIT range were counted: take them back.
        if range.firstMask != 0 { count -= Int64((bytes[Int(range.start)] & range.firstMask).nonzeroBitCount) }
        if range.lastMask != 0 { count -= Int64((bytes[Int(range.end)] & range.lastMask).nonzeroBitCount) }
        return count
    }

    package static func bitCount(_ bytes: [UInt8], start: Int64, end: Int64, unit: Unit = .byte) -> Int64 {
        bytes.withUnsafeBytes { bitCount($0, start: start, end: end, unit: unit) }
    }

    // MARK: BITPOS

    /// BITPOS (`BITPOS key bit [start [end [BYTE|BIT]]]`) as Redis 7.0 computes it: the
    /// position, in bits from the start of the value, of the first bit equal to `bit`.
    ///
    /// - `bytes == nil` is a missing key: an infinite run of zeros, so 0 for a clear bit and
    ///   -1 for a set bit, whatever the range (an existing empty value gives -1 for both).
    /// - `start == nil` searches the whole value (`end` and `unit` are then ignored).
    /// - Looking for a clear bit with no `end` treats the value as zero-padded on the right:
    ///   an all-ones value answers its length in bits. With an explicit `end` the search stays
    ///   inside the range and answers -1 instead.
    /// - Negative `start`/`end` count from the end and clamp like BITCOUNT; an empty range
    ///   (`start > end` after clamping) answers -1.
    package static func bitPosition(
        of bit: Bool,
        in bytes: UnsafeRawBufferPointer?,
        start: Int64? = nil,
        end: Int64? = nil,
        unit: Unit = .byte
    ) -> Int64 {
        guard let bytes else { return bit ? -1 : 0 }
        let length = Int64(bytes.count)
        let range: Range
        var endGiven = false
        if let start {
            let upper: Int64
            if let end {
                upper = end
                endGiven = true
            } else {
                upper = unit == .bit ? (length << 3) + 7 : length - 1
            }
            guard let normalized = normalize(start: start, end: upper, length: length, unit: unit) else { return -1 }
            range = normalized
        } else {
            range = Range(start: 0, end: length - 1)
        }
        if range.start > range.end { return -1 }

        var first = range.start
        var remaining = range.end - range.start + 1
        var position: Int64 = -1
        search: do {
            if range.firstMask != 0 {
                var byte = bit ? bytes[Int(first)] & ~range.firstMask : bytes[Int(first)] | range.firstMask
                if range.lastMask != 0 && remaining == 1 {
                    byte = bit ? byte & ~range.lastMask : byte | range.lastMask
                }
                position = firstBit(bit, inByte: byte)
                if remaining == 1 || (position != -1 && position != 8) { break search }
                first += 1
                remaining -= 1
            }
            // A last byte only partly inside the range is searched on its own, masked.
            let whole = remaining - (range.lastMask != 0 ? 1 : 0)
            if whole > 0 {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[Int(first)..<Int(first + whole)])
                position = firstBit(bit, in: slice)
                if remaining == whole || (position != -1 && position != whole << 3) { break search }
                first += whole
                remaining -= whole
            }
            let last = bit ? bytes[Int(range.end)] & ~range.lastMask : bytes[Int(range.end)] | range.lastMask
            position = firstBit(bit, inByte: last)
        }
        // With an explicit end, "the first clear bit past the range" is not an answer.
        if endGiven && !bit && position == remaining << 3 { return -1 }
        if position != -1 { position += first << 3 }
        return position
    }

    package static func bitPosition(
        of bit: Bool,
        in bytes: [UInt8]?,
        start: Int64? = nil,
        end: Int64? = nil,
        unit: Unit = .byte
    ) -> Int64 {
        guard let bytes else { return bit ? -1 : 0 }
        return bytes.withUnsafeBytes { bitPosition(of: bit, in: $0, start: start, end: end, unit: unit) }
    }

    /// Redis's `redisBitpos`: the first bit equal to `bit` in `bytes`. Looking for a set bit
    /// in all zeros gives -1; looking for a clear bit in all ones gives `count * 8` (the
    /// string is taken as zero-padded).
    static func firstBit(_ bit: Bool, in bytes: UnsafeRawBufferPointer) -> Int64 {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return bit ? -1 : 0 }
        let skipWord: UInt64 = bit ? 0 : .max
        let skipByte: UInt8 = bit ? 0 : .max
        var index = 0
        while index + 8 <= count && base.loadUnaligned(fromByteOffset: index, as: UInt64.self) == skipWord {
            index += 8
        }
        while index < count && bytes[index] == skipByte {
            index += 1
        }
        if index == count { return bit ? -1 : Int64(count) << 3 }
        return Int64(index) << 3 + firstBit(bit, inByte: bytes[index])
    }

    /// The first bit equal to `bit` in one byte (0 is the most significant); -1 when looking
    /// for a set bit in 0, 8 when looking for a clear bit in 0xFF.
    static func firstBit(_ bit: Bool, inByte byte: UInt8) -> Int64 {
        let probe = bit ? byte : ~byte
        if probe == 0 { return bit ? -1 : 8 }
        return Int64(probe.leadingZeroBitCount)
    }

    /// An inclusive byte range with the masks of the bits outside a BIT range in its first
    /// and last byte.
    struct Range {
        var start: Int64
        var end: Int64
        var firstMask: UInt8 = 0
        var lastMask: UInt8 = 0
    }

    /// Redis's conversion of a user range: negative indexes from the end, clamping to
    /// `0...length-1` (in the unit), and for BIT ranges the conversion to bytes with masks.
    /// `nil` when the value is too long to be addressed in bits (never for real values).
    static func normalize(start: Int64, end: Int64, length: Int64, unit: Unit) -> Range? {
        guard length <= Int64.max >> 3 else { return nil }
        let total = unit == .bit ? length << 3 : length
        var start = start
        var end = end
        if start < 0 { start = total + start }
        if end < 0 { end = total + end }
        if start < 0 { start = 0 }
        if end < 0 { end = 0 }
        if end >= total { end = total - 1 }
        var range = Range(start: start, end: end)
        if unit == .bit && start <= end {
            range.firstMask = UInt8(truncatingIfNeeded: ~((1 << (8 - (start & 7))) - 1))
            range.lastMask = UInt8(truncatingIfNeeded: (1 << (7 - (end & 7))) - 1)
            range.start = start >> 3
            range.end = end >> 3
        }
        return range
    }

    // MARK: GETBIT / SETBIT

    /// GETBIT: the bit at `offset` (0 is the most significant bit of byte 0); bits past the
    /// end of the value, and of a missing key, are 0.
    package static func getBit(_ bytes: UnsafeRawBufferPointer, offset: UInt64) -> Bool {
        let byte = offset >> 3
        guard byte < UInt64(bytes.count) else { return false }
        return bytes[Int(byte)] & (0x80 >> UInt8(offset & 7)) != 0
    }

    package static func getBit(_ bytes: [UInt8], offset: UInt64) -> Bool {
        bytes.withUnsafeBytes { getBit($0, offset: offset) }
    }

    /// SETBIT: sets the bit at `offset` to `bit`, first growing `value` with zero bytes so
    /// that the byte holding it exists (a missing key is the empty value, and is created).
    ///
    /// Returns the bit's previous value, and whether Redis counts the command as a change
    /// (keyspace notification, dirty counter): the value grew or the bit flipped. The caller
    /// bounds `offset` (see `parseBitOffset`), since the growth allocates `offset / 8 + 1` bytes.
    @discardableResult
    package static func setBit(_ value: inout [UInt8], offset: UInt64, to bit: Bool) -> (previous: Bool, modified: Bool) {
        let byte = Int(offset >> 3)
        let grew = byte >= value.count
        if grew { value.append(contentsOf: repeatElement(0, count: byte + 1 - value.count)) }
        let mask: UInt8 = 0x80 >> UInt8(offset & 7)
        let previous = value[byte] & mask != 0
        if bit {
            value[byte] |= mask
        } else {
            value[byte] &= ~mask
        }
        return (previous, grew || previous != bit)
    }

    // MARK: BITOP

    /// BITOP: combines `sources` byte by byte into a new value as long as the longest source;
    /// shorter sources (and missing keys, passed as empty values) are zero-padded, so AND
    /// clears the tail. NOT takes exactly one source (the caller checks). An empty result
    /// means Redis deletes the destination key instead of storing an empty string.
    package static func bitOp<Sources: Collection>(_ operation: Operator, _ sources: Sources) -> [UInt8]
    where Sources.Element: Collection<UInt8> {
        var maxLength = 0
        for source in sources { maxLength = max(maxLength, source.count) }
        guard maxLength > 0, let firstSource = sources.first else { return [] }
        var result = [UInt8](repeating: 0, count: maxLength)
        result.withUnsafeMutableBytes { output in
            withBytes(of: firstSource) { first in
                output.copyMemory(from: first)
            }
            if operation == .not {
                combine(output, with: nil) { a, _ in ~a }
                return
            }
            for source in sources.dropFirst() {
                withBytes(of: source) { bytes in
                    switch operation {
                    case .and:
                        combine(output, with: bytes) { $0 & $1 }
                        let tail = UnsafeMutableRawBufferPointer(rebasing: output[bytes.count...])
                        tail.initializeMemory(as: UInt8.self, repeating: 0)
                    case .or:
                        combine(output, with: bytes) { $0 | $1 }
                    case .xor:
                        combine(output, with: bytes) { $0 ^ $1 }
                    case .not:
                        break
                    }
                }
            }
        }
        return result
    }

    /// `output[i] = operation(output[i], source[i])` over the first `source.count` bytes (all
    /// of `output` when `source` is nil), eight bytes at a time.
    @inline(__always)
    private static func combine(
        _ output: UnsafeMutableRawBufferPointer,
        with source: UnsafeRawBufferPointer?,
        _ operation: (UInt64, UInt64) -> UInt64
    ) {
        let count = source?.count ?? output.count
        guard count > 0, let out = output.baseAddress else { return }
        let input = source?.baseAddress
        var index = 0
        while index + 8 <= count {
            let a = out.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let b = input?.loadUnaligned(fromByteOffset: index, as: UInt64.self) ?? 0
            out.storeBytes(of: operation(a, b), toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            let a = UInt64(output[index])
            let b = UInt64(source?[index] ?? 0)
            output[index] = UInt8(truncatingIfNeeded: operation(a, b))
            index += 1
        }
    }

    /// Calls `body` with the contiguous bytes of `source`, copying only when it has none.
    static func withBytes<Source: Collection<UInt8>, R>(of source: Source, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = source.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(source).withUnsafeBytes(body)
    }
}
