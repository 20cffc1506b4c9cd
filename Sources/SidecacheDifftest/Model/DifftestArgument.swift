/// One argument of a generated command: bytes, or a Unix time relative to the moment the step
/// is sent.
///
/// Times are symbolic so that a sequence stays the same whatever the clock says; the runner
/// resolves them once per step, before sending it to the first server, and sends the same
/// bytes to both servers (so that `EXPIREAT k <t>` sets the same absolute time on both).
public enum DifftestArgument: Sendable, Hashable {
    case bytes([UInt8])
    /// Now plus `offsetMilliseconds`, written in whole seconds or in milliseconds.
    case unixTime(offsetMilliseconds: Int64, unit: TimeUnit)

    public enum TimeUnit: Sendable, Hashable {
        case seconds
        case milliseconds
    }

    /// The bytes to send when the current time is `nowMilliseconds` (Unix time in ms).
    public func resolved(nowMilliseconds: Int64) -> [UInt8] {
        switch self {
        case .bytes(let bytes):
            return bytes
        case .unixTime(let offset, let unit):
            let milliseconds = nowMilliseconds + offset
            let value = unit == .seconds ? milliseconds / 1000 : milliseconds
            return Array(String(value).utf8)
        }
    }

    /// The bytes if this is a byte argument.
    public var bytes: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }
}

extension DifftestArgument: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .bytes(Array(value.utf8))
    }
}

extension DifftestArgument: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .bytes(Array(String(value).utf8))
    }
}
