import NIOCore
import SidecacheRESP

/// SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH and
/// SPUBLISH (Redis's `pubsub.c`). Standalone, shard channels are simply a namespace apart
/// from channels, and patterns never see shard messages.
enum PubSubCommands {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("subscribe", { subscribe($0, .channel) }), ("psubscribe", { subscribe($0, .pattern) }),
        ("ssubscribe", ssubscribe),
        ("unsubscribe", { unsubscribe($0, .channel) }), ("punsubscribe", { unsubscribe($0, .pattern) }),
        ("sunsubscribe", { unsubscribe($0, .shard) }),
        ("publish", { publish($0, shard: false) }), ("spublish", { publish($0, shard: true) }),
    ]

    /// The commands a RESP2 connection in subscribed mode may still run (Redis's list).
    static func allowedInSubscribedMode(_ name: String) -> Bool {
        switch name {
        case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe",
            "quit", "reset":
            true
        default: false
        }
    }

    static func subscribedModeError(_ name: String) -> String {
        "ERR Can't execute '\(name)': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    }

    static func subscribe(_ session: ClientSession, _ kind: PubSubKind) {
        for index in 1..<session.frame.count { session.subscribe(session.frame.bytes(index), kind) }
    }

    /// SSUBSCRIBE: as SUBSCRIBE, but Redis 7.0 refuses it inside EXEC (a client that may not
    /// block), where SUBSCRIBE is let through for backward compatibility.
    static func ssubscribe(_ session: ClientSession) {
        guard session.lockedKeyspace == nil else {
            return session.replyError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")
        }
        subscribe(session, .shard)
    }

    static func unsubscribe(_ session: ClientSession, _ kind: PubSubKind) {
        let frame = session.frame
        if frame.count == 1 { return session.unsubscribeAll(kind, confirm: true) }
        for index in 1..<frame.count { session.unsubscribe(frame.bytes(index), kind, confirm: true) }
    }

    /// PUBLISH / SPUBLISH channel message: the number of receivers.
    static func publish(_ session: ClientSession, shard: Bool) {
        let frame = session.frame
        let receivers = session.server.pubsub.publish(frame[2].readableBytesView, to: frame.bytes(1), shard: shard)
        session.out.writeRESPInteger(receivers)
    }
}
