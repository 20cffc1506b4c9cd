/// Redis's `string2ll`: the only accepted form of a 64-bit integer in the protocol and in
/// commands. No sign other than a leading `-`, no leading zeros, no spaces, no `-0`.
public enum RedisInteger {
    /// Parses `bytes` strictly as Redis does; `nil` when it is not a valid 64-bit integer.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        if count == 0 || count > 20 { return nil }
        if count == 1 && bytes[0] == UInt8(ascii: "0") { return 0 }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative {
            index = 1
            if count == 1 { return nil }
        }
        let first = bytes[index]
        guard first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { return nil }
        var magnitude = UInt64(first &- UInt8(ascii: "0"))
        index += 1
        while index < count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
            index += 1
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        if magnitude > UInt64(Int64.max) { return nil }
        return Int64(magnitude)
    }

    /// Convenience for byte arrays and other contiguous collections.
    @inlinable
    public static func parse<Bytes: Collection<UInt8>>(bytes: Bytes) -> Int64? {
        if let result = bytes.withContiguousStorageIfAvailable({ parse(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { parse($0) }
    }

    /// Number of decimal characters `value` needs, sign included.
    @inlinable
    public static func decimalLength(_ value: Int64) -> Int {
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            length += 1
        }
        return length
    }

    /// Calls `body` with the decimal digits of `value`, formatted in a stack buffer.
    @inlinable
    public static func withDecimalDigits<R>(of value: Int64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var magnitude = value.magnitude
            var index = 20
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "-")
            }
            return try body(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[index...]))
        }
    }
}
