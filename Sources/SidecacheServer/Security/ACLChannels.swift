import SidecacheEngine

/// The channels of the pub/sub commands (Redis's `commands_with_channels` table).
enum ACLChannels {
    enum Kind {
        case publish, subscribe, patternSubscribe, unsubscribe
    }

    static func kind(of spec: CommandSpec) -> Kind? {
        switch spec.name {
        case "publish", "spublish": .publish
        case "subscribe", "ssubscribe": .subscribe
        case "psubscribe": .patternSubscribe
        case "unsubscribe", "sunsubscribe", "punsubscribe": .unsubscribe
        default: nil
        }
    }

    /// Argument positions of the channels: the first for PUBLISH, all the others for the
    /// subscriptions.
    static func positions(_ kind: Kind, argumentCount: Int) -> Range<Int> {
        kind == .publish ? 1..<min(2, argumentCount) : 1..<max(1, argumentCount)
    }
}
