/// A generated expiry argument (`EX 100`, `PX 1`, `EXAT <past>`...) and whether the key it
/// applies to must be settled after the step.
public struct TimeToLive: Sendable, Hashable {
    /// How the time is written in the command.
    public enum Form: Sendable, Hashable {
        /// Relative seconds (EXPIRE, SET EX, SETEX, GETEX EX).
        case seconds
        /// Relative milliseconds (PEXPIRE, SET PX, PSETEX, GETEX PX).
        case milliseconds
        /// Absolute Unix seconds (EXPIREAT, SET EXAT, GETEX EXAT).
        case unixSeconds
        /// Absolute Unix milliseconds (PEXPIREAT, SET PXAT, GETEX PXAT, RESTORE ... ABSTTL).
        case unixMilliseconds
    }

    public var argument: DifftestArgument
    /// `nil` when the time either cannot fire within a sequence (>= 100 s) or is not a valid
    /// time at all; otherwise the pause before settling: 0 for a time already in the past,
    /// a few milliseconds for a time 1 or 2 ms ahead.
    public var settlePause: Int?

    public init(argument: DifftestArgument, settlePause: Int?) {
        self.argument = argument
        self.settlePause = settlePause
    }
}

extension DifftestStep {
    /// This step, settling `key` when `ttl` may fire (see `Settle`).
    public func settling(_ key: [UInt8], for ttl: TimeToLive) -> DifftestStep {
        guard let pause = ttl.settlePause else { return self }
        return settling(key, pauseMilliseconds: pause)
    }
}
