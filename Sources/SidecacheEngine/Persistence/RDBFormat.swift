/// Constants of the RDB format shared by the encoder and the decoder.
package enum RDBFormat {
    /// The RDB version this codec writes: Redis 7.0's.
    package static let version: UInt16 = 10
    /// The newest RDB version accepted when decoding (Redis 7.4). Redis itself accepts only
    /// its own version or older; a cache tier copies keys from newer upstream servers.
    package static let newestReadableVersion: UInt16 = 12

    // Length prefixes (`rdbSaveLen`): two high bits of the first byte.
    static let length6Bit: UInt8 = 0
    static let length14Bit: UInt8 = 1
    static let length32Bit: UInt8 = 0x80
    static let length64Bit: UInt8 = 0x81
    static let encodedValue: UInt8 = 3

    // Special string encodings after an `encodedValue` prefix.
    static let encodingInt8: UInt8 = 0
    static let encodingInt16: UInt8 = 1
    static let encodingInt32: UInt8 = 2
    static let encodingLZF: UInt8 = 3

    // Quicklist node containers.
    static let quicklistPlainNode = 1
    static let quicklistPackedNode = 2
}
