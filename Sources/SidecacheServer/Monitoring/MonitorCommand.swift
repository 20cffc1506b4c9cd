import NIOCore
import SidecacheEngine

/// MONITOR (Redis's `monitorCommand`) and the rule for connections in MONITOR mode.
enum MonitorCommand {
    static let handlers: [(String, ServerContext.Handler)] = [("monitor", monitor)]

    /// Starts MONITOR mode with `+OK`; a second MONITOR answers nothing, as in Redis. Refused
    /// inside EXEC, where a client expects one reply per command.
    static func monitor(_ session: ClientSession) {
        if session.lockedKeyspace != nil {
            return session.replyError("ERR MONITOR isn't allowed for DENY BLOCKING client")
        }
        guard !session.isMonitoring else { return }
        session.startMonitoring()
        session.out.writeStaticString("+OK\r\n")
    }

    /// Redis flags a monitor as a replica, and a replica may not run commands that read,
    /// write or may replicate: they are refused with this error (PING, INFO, CLIENT, SUBSCRIBE
    /// and the like still run). RESET leaves MONITOR mode.
    static let keyspaceError = "ERR Replica can't interact with the keyspace"

    static func isRefusedToMonitors(_ spec: CommandSpec) -> Bool {
        // COMMAND INFO in 7.0 does not list `may_replicate`, so the table lacks it on PUBLISH
        // and SPUBLISH, the two executed here that carry it without reading or writing.
        !spec.flags.isDisjoint(with: [.write, .readonly, .mayReplicate])
            || spec.name == "publish" || spec.name == "spublish"
    }
}
