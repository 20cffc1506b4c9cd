import SidecacheEngine

extension ClientCommand {
    /// CLIENT PAUSE timeout [WRITE|ALL]: holds back every command (ALL, the default) or those
    /// that write or may replicate (WRITE) of every client for `timeout` milliseconds. Redis
    /// 7.0's checks in its order: the mode, then the timeout; the end is `now + timeout` in
    /// wall-clock milliseconds, and one past the largest time (or a timeout of 0) pauses nothing.
    static func pause(_ session: ClientSession) {
        let frame = session.frame
        guard frame.count <= 4 else {
            return session.replyError(
                "ERR unknown subcommand or wrong number of arguments for '\(frame.string(1))'. Try CLIENT HELP."
            )
        }
        var mode = ClientPause.Mode.all
        if frame.count == 4 {
            if frame.argument(3, equalsCaseInsensitive: "write") {
                mode = .write
            } else if !frame.argument(3, equalsCaseInsensitive: "all") {
                return session.replyError("ERR CLIENT PAUSE mode must be WRITE or ALL")
            }
        }
        guard let timeout = frame.integer(2) else {
            return session.replyError("ERR timeout is not an integer or out of range")
        }
        guard timeout >= 0 else { return session.replyError("ERR timeout is negative") }
        let now = Clocks.wallMilliseconds()
        let end = now &+ timeout
        if end > now {
            // Past about 30 years, a pause lasts until CLIENT UNPAUSE all the same.
            let milliseconds = UInt64(min(end - now, ClientSession.longestTimeoutMilliseconds))
            session.server.clientPause.pause(
                mode,
                until: Clocks.monotonicNanoseconds() + milliseconds * 1_000_000,
                timerLoop: session.record.channel.eventLoop
            )
        }
        session.out.writeStaticString("+OK\r\n")
    }

    /// CLIENT UNPAUSE: ends the pause; the held clients run their commands in the order they
    /// were held.
    static func unpause(_ session: ClientSession) {
        session.server.clientPause.unpause()
        session.out.writeStaticString("+OK\r\n")
    }
}
