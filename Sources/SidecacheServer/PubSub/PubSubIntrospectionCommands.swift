import NIOCore
import SidecacheRESP

/// PUBSUB CHANNELS | NUMSUB | NUMPAT | SHARDCHANNELS | SHARDNUMSUB | HELP.
enum PubSubIntrospectionCommands {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("pubsub|channels", { names($0, .channel) }), ("pubsub|shardchannels", { names($0, .shard) }),
        ("pubsub|numsub", { subscriberCounts($0, .channel) }), ("pubsub|shardnumsub", { subscriberCounts($0, .shard) }),
        ("pubsub|numpat", { $0.out.writeRESPInteger($0.server.pubsub.activeCount(.pattern)) }),
        ("pubsub|help", help),
    ]

    /// CHANNELS / SHARDCHANNELS [pattern]: active names, in no particular order (as Redis).
    static func names(_ session: ClientSession, _ kind: PubSubKind) {
        let frame = session.frame
        guard frame.count <= 3 else {
            return session.replyError(
                "ERR unknown subcommand or wrong number of arguments for '\(frame.string(1))'. Try PUBSUB HELP."
            )
        }
        let names = session.server.pubsub.activeNames(kind, matching: frame.count == 3 ? frame.bytes(2) : nil)
        session.out.writeRESPArrayHeader(names.count)
        for name in names { session.out.writeRESPBulkString(name) }
    }

    /// NUMSUB / SHARDNUMSUB [name ...]: each name and its subscriber count (patterns aside),
    /// in one flat array in RESP3 too, as Redis 7.0 answers.
    static func subscriberCounts(_ session: ClientSession, _ kind: PubSubKind) {
        let frame = session.frame
        session.out.writeRESPArrayHeader((frame.count - 2) * 2)
        for index in 2..<frame.count {
            let name = frame.bytes(index)
            session.out.writeRESPBulkString(name)
            session.out.writeRESPInteger(session.server.pubsub.subscriberCount(name, kind))
        }
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(command: "PUBSUB",
            lines: [
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT", "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)",
            ]
        )
    }
}
