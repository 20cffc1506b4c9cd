import SidecacheRESP

/// How redis-server reads keywords and numbers out of command arguments, for the parsers of
/// the string commands.
enum ArgumentBytes {
    /// Redis compares keywords with `strcasecmp` on the argument's C string: ASCII case is
    /// folded and the argument ends at its first NUL byte (`"get\0x"` is `GET`).
    static func isKeyword<Argument: Collection<UInt8>>(_ argument: Argument, _ keyword: StaticString) -> Bool {
        let count = keyword.utf8CodeUnitCount
        let word = UnsafeBufferPointer(start: keyword.utf8Start, count: count)
        var index = 0
        for byte in argument {
            if byte == 0 { break }
            guard index < count, lowercase(byte) == lowercase(word[index]) else { return false }
            index += 1
        }
        return index == count
    }

    /// `string2ll` over the whole argument (embedded NULs make it invalid).
    static func integer<Argument: Collection<UInt8>>(_ argument: Argument) -> Int64? {
        RedisInteger.parse(bytes: argument)
    }

    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
