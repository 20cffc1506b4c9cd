/// The three namespaces of pub/sub subscriptions, with the words Redis uses for each.
enum PubSubKind: Sendable {
    /// SUBSCRIBE / PUBLISH: messages on a channel name.
    case channel
    /// PSUBSCRIBE: messages on every channel matching a glob pattern.
    case pattern
    /// SSUBSCRIBE / SPUBLISH: shard channels, a namespace of their own (standalone: one shard).
    case shard

    var subscribeReply: StaticString {
        switch self {
        case .channel: "$9\r\nsubscribe\r\n"
        case .pattern: "$10\r\npsubscribe\r\n"
        case .shard: "$10\r\nssubscribe\r\n"
        }
    }

    var unsubscribeReply: StaticString {
        switch self {
        case .channel: "$11\r\nunsubscribe\r\n"
        case .pattern: "$12\r\npunsubscribe\r\n"
        case .shard: "$12\r\nsunsubscribe\r\n"
        }
    }
}
