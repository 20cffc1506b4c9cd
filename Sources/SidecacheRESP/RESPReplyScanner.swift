#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds where whole RESP2/RESP3 replies end without building them: a proxy passes reply
/// bytes through untouched and only needs their extent.
///
/// It walks the bytes once with a count of values still owed, so nesting costs no recursion;
/// every value takes at least three bytes, so the walk is bounded by the bytes it is given.
public struct RESPReplyScanner: Sendable {
    public var limits: RESPLimits

    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    /// What one whole reply at the start of the bytes looks like.
    public struct Extent: Sendable, Equatable {
        /// Bytes the reply takes, its final CRLF included.
        public var length: Int
        /// The reply's type byte (`+`, `-`, `*`, `>` ...).
        public var marker: UInt8
    }

    /// The extent of the whole reply that starts `bytes`; `nil` when it has not fully arrived.
    public func scan(_ bytes: UnsafeRawBufferPointer) throws(RESPProtocolError) -> Extent? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        let end = bytes.count
        var position = 0
        var owed = 1
        let marker = bytes[0]
        while owed > 0 {
            guard position < end else { return nil }
            let type = bytes[position]
            guard let lineEnd = Self.lineEnd(base, from: position + 1, end: end) else {
                if end - position > limits.maxInlineLength { throw RESPProtocolError("too long line") }
                return nil
            }
            let header = UnsafeRawBufferPointer(start: base + position + 1, count: lineEnd - position - 1)
            position = lineEnd + 2
            owed -= 1
            switch type {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "#"),
                UInt8(ascii: ","), UInt8(ascii: "("):
                continue
            case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
                guard let length = RedisInteger.parse(header) else { throw RESPProtocolError("invalid bulk length") }
                if length == -1 && type == UInt8(ascii: "$") { continue }
                guard length >= 0, length <= limits.maxBulkLength else { throw .invalidBulkLength }
                guard end - position >= Int(length) + 2 else { return nil }
                position += Int(length)
                guard bytes[position] == 0x0D, bytes[position + 1] == 0x0A else { throw RESPProtocolError("expected CRLF") }
                position += 2
            case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
                guard let count = RedisInteger.parse(header) else { throw RESPProtocolError("invalid multibulk length") }
                if count == -1 && type == UInt8(ascii: "*") { continue }
                guard count >= 0, count <= limits.maxMultibulkLength else { throw .invalidMultibulkLength }
                switch type {
                case UInt8(ascii: "%"): owed += 2 * Int(count)
                // An attribute map annotates the value that follows it, which is still owed.
                case UInt8(ascii: "|"): owed += 2 * Int(count) + 1
                default: owed += Int(count)
                }
            default:
                throw RESPProtocolError("unknown reply type '\(Character(Unicode.Scalar(type)))'")
            }
        }
        return Extent(length: position, marker: marker)
    }

    /// The index of the CR of the first CRLF at or after `start`; `nil` when none has arrived.
    /// A CR followed by anything but LF is a protocol error in a reply line; it is reported by
    /// the integer parse of the header that contains it, or passed through in a simple string.
    @inline(__always)
    private static func lineEnd(_ base: UnsafeRawPointer, from start: Int, end: Int) -> Int? {
        var from = start
        while from < end {
            guard let found = memchr(base + from, 0x0D, end - from) else { return nil }
            let index = base.distance(to: UnsafeRawPointer(found))
            guard index + 1 < end else { return nil }
            if base.load(fromByteOffset: index + 1, as: UInt8.self) == 0x0A { return index }
            from = index + 1
        }
        return nil
    }
}
