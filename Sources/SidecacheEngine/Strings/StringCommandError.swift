/// An error reply of a string command, with the exact text redis-server 7.0 sends.
///
/// `message` is the whole error line without the leading `-` and without CRLF, e.g.
/// `ERR syntax error`: the command layer writes it as it is.
package struct StringCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    package let message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }

    /// `shared.syntaxerr`.
    package static let syntax = StringCommandError("ERR syntax error")
    /// `string2ll` rejected an argument (`getLongLongFromObjectOrReply` with no message).
    package static let notAnInteger = StringCommandError("ERR value is not an integer or out of range")
    /// A bit offset that is not an integer, negative, or beyond `proto-max-bulk-len` bytes.
    package static let bitOffset = StringCommandError("ERR bit offset is not an integer or out of range")
    /// SETBIT's value argument is not 0 or 1.
    package static let bitValue = StringCommandError("ERR bit is not an integer or out of range")
    /// BITPOS's bit argument is an integer other than 0 or 1.
    package static let bitPositionBit = StringCommandError("ERR The bit argument must be 1 or 0.")
    /// BITOP NOT with more or fewer than one source key.
    package static let bitOpNotArity = StringCommandError("ERR BITOP NOT must be called with a single source key.")
    /// A BITFIELD type that is not `i1`..`i64` or `u1`..`u63`.
    package static let bitFieldType = StringCommandError(
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
    )
    package static let bitFieldOverflowType = StringCommandError("ERR Invalid OVERFLOW type specified")
    package static let bitFieldReadOnly = StringCommandError("ERR BITFIELD_RO only supports the GET subcommand")
    /// LCS when either key holds something other than a string (checked before the options).
    package static let lcsWrongType = StringCommandError("ERR The specified keys must contain string values")
    /// LCS with both LEN and IDX.
    package static let lcsLengthAndIndexes = StringCommandError(
        "ERR If you want both the length and indexes, please just use IDX."
    )
    /// LCS over a string of 2^32-1 bytes or more.
    package static let lcsStringTooLong = StringCommandError("ERR String too long for LCS")
    /// LCS whose dynamic-programming table would exceed `proto-max-bulk-len` bytes.
    package static let lcsTableTooLarge = StringCommandError(
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
    )
    /// LCS whose table size does not even fit in 64 bits (Redis's failed allocation).
    package static let lcsAllocationFailed = StringCommandError(
        "ERR Insufficient memory, failed allocating transient memory for LCS"
    )
    /// INCRBYFLOAT (and HINCRBYFLOAT) on a value or with an increment `string2ld` rejects.
    package static let notAFloat = StringCommandError("ERR value is not a valid float")
    package static let floatResultNotFinite = StringCommandError("ERR increment would produce NaN or Infinity")
}
