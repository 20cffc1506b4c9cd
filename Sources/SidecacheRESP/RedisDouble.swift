#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Double formatting as redis-server 7.0 does it for replies (`addReplyDouble`): `%.17g`,
/// with `inf` and `-inf` spelled explicitly.
public enum RedisDouble {
    /// Writes the reply text of `value` (without any RESP framing) into `body`.
    public static func withFormatted<R>(_ value: Double, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if value.isInfinite {
            let text: StaticString = value > 0 ? "inf" : "-inf"
            return body(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { scratch in
            let length = withVaList([value]) { vsnprintf(scratch.baseAddress, 40, "%.17g", $0) }
            return body(UnsafeRawBufferPointer(start: scratch.baseAddress, count: Int(length)))
        }
    }

    /// The formatted text as bytes.
    public static func format(_ value: Double) -> [UInt8] {
        withFormatted(value) { Array($0) }
    }
}
