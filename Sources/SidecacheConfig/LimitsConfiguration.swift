/// The `limits` section: protocol limits that keep a bad client or upstream from exhausting memory.
public struct LimitsConfiguration: Sendable, Equatable {
    /// `proto_max_bulk_len`: largest bulk string accepted, in bytes.
    public var protoMaxBulkLen: Int = 512 * 1024 * 1024
    /// `max_multibulk_length`: most elements in one request array.
    public var maxMultibulkLength: Int = Int(Int32.max)
    /// `max_inline_length`: longest inline (non-RESP) command line, in bytes.
    public var maxInlineLength: Int = 64 * 1024
    /// `max_nesting_depth`: deepest nesting of RESP3 aggregates read from upstream.
    public var maxNestingDepth: Int = 128
    /// `client_query_buffer_limit`: largest query buffer of one client, in bytes.
    public var clientQueryBufferLimit: Int = 1024 * 1024 * 1024
    /// `client_output_buffer_limit_normal`, `_replica`, `_pubsub`: output a client may have pending
    /// before it is disconnected, per client class.
    public var clientOutputBufferLimits = ClientOutputBufferLimits()

    public init() {}
}

extension LimitsConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("proto_max_bulk_len", \.protoMaxBulkLen, .size(atLeast: 1024 * 1024)),
            ConfigurationKey("max_multibulk_length", \.maxMultibulkLength, .integer(in: 1...Int(Int32.max))),
            ConfigurationKey("max_inline_length", \.maxInlineLength, .size(atLeast: 1024)),
            ConfigurationKey("max_nesting_depth", \.maxNestingDepth, .integer(in: 1...1000)),
            ConfigurationKey("client_query_buffer_limit", \.clientQueryBufferLimit, .size(atLeast: 1024 * 1024)),
            ConfigurationKey("client_output_buffer_limit_normal", \.clientOutputBufferLimits.normal, .outputBufferLimit),
            ConfigurationKey("client_output_buffer_limit_replica", \.clientOutputBufferLimits.replica, .outputBufferLimit),
            ConfigurationKey("client_output_buffer_limit_pubsub", \.clientOutputBufferLimits.pubsub, .outputBufferLimit),
        ]
    }
}
