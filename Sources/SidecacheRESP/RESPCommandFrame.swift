public import NIOCore

/// One decoded request: its arguments as ranges of a buffer that the frame borrows.
///
/// A frame is reused from command to command by the connection that reads it, so that the
/// hot path allocates nothing: `reset()` forgets the arguments and drops the borrowed buffer
/// (which must happen before the connection appends to its read buffer again, or that
/// append would copy the storage). Anything that keeps an argument beyond the command
/// must copy its bytes.
public struct RESPCommandFrame: Sendable {
    /// The bytes the ranges point into: the read buffer, or scratch space for inline requests.
    /// Argument offsets are relative to its reader index.
    public private(set) var storage: ByteBuffer
    @usableFromInline
    package var starts: [Int32]
    @usableFromInline
    package var lengths: [Int32]

    public init() {
        self.storage = ByteBuffer()
        self.starts = []
        self.lengths = []
    }

    /// Builds a frame that owns a copy of `arguments` (tests, internally generated commands).
    public init<Argument: Collection<UInt8>>(_ arguments: [Argument]) {
        self.init()
        var buffer = ByteBuffer()
        for argument in arguments {
            let start = buffer.writerIndex - buffer.readerIndex
            buffer.writeBytes(argument)
            starts.append(Int32(start))
            lengths.append(Int32(argument.count))
        }
        storage = buffer
    }

    /// Builds a frame from text arguments (tests and tools; never on the hot path).
    public init(strings: [String]) {
        self.init(strings.map { Array($0.utf8) })
    }

    public var count: Int { starts.count }
    public var isEmpty: Bool { starts.isEmpty }

    package mutating func reset() {
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        storage = ByteBuffer()
    }

    package mutating func reserve(_ capacity: Int) {
        starts.reserveCapacity(capacity)
        lengths.reserveCapacity(capacity)
    }

    package mutating func setStorage(_ buffer: ByteBuffer) {
        storage = buffer
    }

    package mutating func append(start: Int, length: Int) {
        starts.append(Int32(truncatingIfNeeded: start))
        lengths.append(Int32(truncatingIfNeeded: length))
    }

    /// The `index`th argument as a slice of the borrowed storage (no copy of the bytes).
    @inlinable
    public subscript(index: Int) -> ByteBuffer {
        storage.getSlice(at: storage.readerIndex + Int(starts[index]), length: Int(lengths[index]))!
    }

    @inlinable
    public func length(_ index: Int) -> Int { Int(lengths[index]) }

    /// Calls `body` with the bytes of the `index`th argument, valid only inside `body`.
    @inlinable
    public func withArgument<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = Int(starts[index])
        let length = Int(lengths[index])
        return try storage.withUnsafeReadableBytes { all in
            let base = all.baseAddress.map { $0 + start }
            return try body(UnsafeRawBufferPointer(start: length == 0 ? nil : base, count: length))
        }
    }

    /// A copy of the `index`th argument's bytes.
    @inlinable
    public func bytes(_ index: Int) -> [UInt8] {
        withArgument(index) { Array($0) }
    }

    /// The `index`th argument decoded as UTF-8 text (invalid sequences repaired); for names,
    /// options and messages, never for keys or values on the hot path.
    public func string(_ index: Int) -> String {
        withArgument(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the `index`th argument equals `lowercaseASCII` ignoring ASCII case.
    @inlinable
    public func argument(_ index: Int, equalsCaseInsensitive lowercaseASCII: StaticString) -> Bool {
        guard index < count, Int(lengths[index]) == lowercaseASCII.utf8CodeUnitCount else { return false }
        return withArgument(index) { bytes in
            let expected = UnsafeRawBufferPointer(
                start: lowercaseASCII.utf8Start,
                count: lowercaseASCII.utf8CodeUnitCount
            )
            for offset in 0..<bytes.count where ASCII.lowercased(bytes[offset]) != expected[offset] {
                return false
            }
            return true
        }
    }

    /// The `index`th argument parsed as Redis parses integers.
    @inlinable
    public func integer(_ index: Int) -> Int64? {
        withArgument(index) { RedisInteger.parse($0) }
    }

    /// All arguments as byte arrays (tests, logging, slow paths).
    public var arguments: [[UInt8]] {
        (0..<count).map { bytes($0) }
    }
}

/// ASCII helpers that never go through `String`.
public enum ASCII {
    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    @inlinable
    public static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    @inlinable
    public static func isHexDigit(_ byte: UInt8) -> Bool {
        hexValue(byte) != nil
    }

    @inlinable
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
