import SidecacheEngine

extension ClientCommand {
    /// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: ends another client's wait in a blocking
    /// command, with the reply its timeout would give, or an UNBLOCKED error. 1 when that
    /// client was blocked, else 0. The reason is checked before the id, as in Redis.
    static func unblock(_ session: ClientSession) {
        let frame = session.frame
        guard frame.count <= 4 else {
            return session.replyError("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.")
        }
        var withError = false
        if frame.count == 4 {
            if frame.argument(3, equalsCaseInsensitive: "error") {
                withError = true
            } else if !frame.argument(3, equalsCaseInsensitive: "timeout") {
                return session.replyError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
            }
        }
        guard let id = session.client.integerArgument(2) else { return }
        let unblocked = session.withKeyspace { $0.blocking.unblock(owner: UInt64(bitPattern: id), withError: withError) }
        session.out.writeRESPInteger(unblocked ? 1 : 0)
    }
}
