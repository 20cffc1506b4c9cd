/// Protocol limits applied while reading requests, with Redis's defaults.
///
/// The unauthenticated limits are Redis's fixed ones (`networking.c`): while a password is
/// required and the client has not authenticated, a multibulk may have at most 10 elements
/// and a bulk at most 16384 bytes, so that an anonymous peer cannot make the server buffer much.
public struct RESPLimits: Sendable, Equatable {
    /// `proto-max-bulk-len`: the longest bulk argument accepted.
    public var maxBulkLength: Int
    /// The most elements one multibulk request may announce (Redis: `INT_MAX`).
    public var maxMultibulkLength: Int
    /// The longest inline request line, and the longest length header (`PROTO_INLINE_MAX_SIZE`).
    public var maxInlineLength: Int
    /// The deepest nesting of aggregates accepted in replies read from upstream servers.
    public var maxNestingDepth: Int
    public var unauthenticatedMaxMultibulkLength: Int
    public var unauthenticatedMaxBulkLength: Int

    public init(
        maxBulkLength: Int = 512 * 1024 * 1024,
        maxMultibulkLength: Int = Int(Int32.max),
        maxInlineLength: Int = 64 * 1024,
        maxNestingDepth: Int = 128,
        unauthenticatedMaxMultibulkLength: Int = 10,
        unauthenticatedMaxBulkLength: Int = 16384
    ) {
        self.maxBulkLength = maxBulkLength
        self.maxMultibulkLength = maxMultibulkLength
        self.maxInlineLength = maxInlineLength
        self.maxNestingDepth = maxNestingDepth
        self.unauthenticatedMaxMultibulkLength = unauthenticatedMaxMultibulkLength
        self.unauthenticatedMaxBulkLength = unauthenticatedMaxBulkLength
    }
}
