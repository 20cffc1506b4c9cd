/// One element of a listpack or ziplist, as stored: text or an integer.
package enum PackedEntry: Hashable, Sendable {
    case string([UInt8])
    case integer(Int64)

    /// The element as bytes (integers as their decimal text), as Redis returns it.
    package var bytes: [UInt8] {
        switch self {
        case .string(let bytes): bytes
        case .integer(let value): RDBNumbers.decimal(value)
        }
    }

    /// The element read as a sorted-set score (`zzlGetScore`); `nil` when it is not a number.
    package var score: Double? {
        switch self {
        case .string(let bytes): RDBNumbers.parseDouble(bytes)
        case .integer(let value): Double(value)
        }
    }
}
