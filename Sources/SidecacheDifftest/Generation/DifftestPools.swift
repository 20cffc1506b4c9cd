/// The small worlds that generated commands draw from. Small on purpose: with 8 keys, commands
/// keep meeting each other's keys (overwrites, type clashes, RENAME onto an existing key).
///
/// Sizes are bounded so that no generated command makes a server allocate much: SETRANGE
/// offsets stay under 1 kB except the one just past the 512 MB limit (an error, nothing
/// allocated); SETBIT and BITFIELD offsets stay under a few kilobits.
public enum DifftestPools {
    /// Keys with their weights: a few short names that collide often, the empty name, binary
    /// bytes with CR LF inside, a hash-tagged name, a long name with spaces.
    public static let keys: [(key: [UInt8], weight: Int)] = [
        (bytes("a"), 5), (bytes("b"), 5), (bytes("c"), 4), (bytes("n"), 3),
        (bytes("{t}x"), 2), ([], 1), ([0x00, 0xFF, 0x0D, 0x0A, 0x6B], 1),
        (bytes("key with spaces:0123456789abcdef"), 1),
    ]

    /// String values: integers (boundaries, non-canonical forms, one past the 64-bit range),
    /// floats, empty, short, exactly 44 and 45 bytes (the embstr/raw boundary), long, binary.
    public static let values: [[UInt8]] =
        [
            "0", "1", "-1", "42", "10", "9999", "10000", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "007", "+1", " 1", "1.5", "-0.25", "3.0e2", "inf", "nan", "0x10",
            "", "x", "hello", "bar baz", "foobar", String(repeating: "a", count: 44), String(repeating: "b", count: 45),
            String(repeating: "0123456789", count: 10),
        ].map(bytes) + [
            [0x00, 0x01, 0xFF], [0x0D, 0x0A], [0xFF, 0xF0, 0x00, 0x0F], [0x80], Array(repeating: 0xAA, count: 50),
        ]

    /// Increments for INCRBY / DECRBY, including the ones that overflow and the ones that are
    /// not integers.
    public static let increments: [[UInt8]] = [
        "1", "-1", "0", "5", "100", "-100", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "1.5", "abc", "", " 1", "+2",
    ].map(bytes)

    /// Increments for INCRBYFLOAT, including the ones that overflow to infinity and the ones
    /// that are not numbers.
    public static let floatIncrements: [[UInt8]] = [
        "0.1", "-0.1", "1", "1.5e3", "-2.5", "0", "1e308", "-1e308", "abc", "inf", "", "3.0000000000000004",
        "5.0e-1", "10", "1.7976931348623157e308",
    ].map(bytes)

    /// Indices for GETRANGE, BITCOUNT, BITPOS ranges and the like (reads only: large ones are fine).
    public static let indices: [[UInt8]] = [
        "0", "1", "-1", "2", "3", "-2", "5", "10", "-10", "44", "100", "-100",
        "9223372036854775807", "-9223372036854775808", "x", "1.5",
    ].map(bytes)

    /// SETRANGE offsets: small ones, a negative one, one just past proto-max-bulk-len (512 MB).
    public static let setRangeOffsets: [[UInt8]] = [
        "0", "1", "3", "10", "44", "50", "200", "-1", "536870912", "x",
    ].map(bytes)

    /// SETBIT / GETBIT offsets: small ones, negative, past the 2^32 bit limit, not a number.
    public static let bitOffsets: [[UInt8]] = [
        "0", "1", "7", "8", "15", "63", "100", "1000", "-1", "4294967296", "x",
    ].map(bytes)

    /// KEYS and SCAN MATCH patterns, including malformed ones.
    public static let patterns: [[UInt8]] =
        [
            "*", "*", "a", "?", "[a-c]", "[^a]*", "{t}*", "*e*", "k*", "", "[", "a[", "\\*", "*\\", "[]",
        ].map(bytes) + [[0x00, 0x2A]]

    /// Database indices: the three in use, then invalid ones.
    public static let databases: [(index: [UInt8], weight: Int)] = [
        (bytes("0"), 6), (bytes("1"), 5), (bytes("2"), 3), (bytes("16"), 1), (bytes("-1"), 1), (bytes("x"), 1),
    ]

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
