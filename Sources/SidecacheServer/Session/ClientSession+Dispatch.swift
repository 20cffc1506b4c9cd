import NIOCore
import SidecacheEngine
import SidecacheRESP

extension ClientSession {
    /// Runs the request in `frame` with redis-server's `processCommand` checks, in its order:
    /// command lookup (unknown command, unknown subcommand), arity, authentication, ACL; then
    /// queues it inside MULTI or runs it, timed for `commandstats`. Honours CLIENT REPLY OFF/SKIP.
    func dispatch() {
        let skipThis = replyMode == .skipThis
        failed = false
        defer {
            if skipThis && replyMode == .skipThis {
                replyMode = .on
            } else if replyMode == .skipNext {
                replyMode = .skipThis
            }
        }
        if forwarding != nil, dispatchForwarded(suppressed: replyMode == .off || skipThis) { return }
        let replyStart = out.writerIndex
        defer {
            if replyMode == .off || skipThis {
                out.moveWriterIndex(to: replyStart)
            }
        }
        guard let spec = resolveCommand() else { return }
        command = spec
        guard spec.acceptsArgumentCount(frame.count) else {
            reject(spec, "ERR wrong number of arguments for '\(spec.name)' command")
            return
        }
        if !authenticated && !spec.flags.contains(.noAuth) {
            reject(spec, "NOAUTH Authentication required.")
            return
        }
        if let denial = aclDenial(spec) {
            reject(spec, denial.error(for: spec))
            return
        }
        if subscriptions.isActive && protocolVersion == .resp2 && !PubSubCommands.allowedInSubscribedMode(spec.name) {
            reject(spec, PubSubCommands.subscribedModeError(spec.name))
            return
        }
        if isMonitoring && MonitorCommand.isRefusedToMonitors(spec) {
            reject(spec, MonitorCommand.keyspaceError)
            return
        }
        guard let handler = server.handlers[spec.id] else {
            // Known to Redis, not executed here: the same answer as for an unknown name.
            flagTransaction()
            client.replyError(bytes: Self.unknownCommandMessage(frame))
            return
        }
        // Over maxmemory, Redis refuses every command queued in MULTI (queueing takes memory
        // too), bar the ones that end the transaction or the connection.
        if transaction != nil, !Self.endsTransaction(spec), !withKeyspace({ $0.freeMemoryIfNeeded() }) {
            reject(spec, KeyspaceState.outOfMemoryError)
            return
        }
        if transaction != nil && !Self.runsInsideMulti(spec) {
            transaction!.append((spec, RESPCommandFrame(frame.arguments)))
            out.writeStaticString("+QUEUED\r\n")
            return
        }
        execute(spec, handler)
    }

    /// Runs a command that passed the checks (also each command of an EXEC), timed. A
    /// blocking command that found nothing leaves the session waiting (`beginWait`); inside
    /// an EXEC it answers at once instead.
    func execute(_ spec: CommandSpec, _ handler: ServerContext.CommandHandler) {
        failed = false
        let started = Clocks.monotonicNanoseconds()
        switch handler {
        case .session(let run):
            run(self)
        case .engine(let run):
            if let state = lockedKeyspace {
                client.blocking.denied = true
                run(client, state.database(client.database))
                client.blocking.denied = false
            } else {
                server.keyspace.withState { state in
                    // Redis's performEvictions, for commands that may grow memory.
                    guard !spec.flags.contains(.denyoom) || state.freeMemoryIfNeeded() else {
                        return client.replyError(KeyspaceState.outOfMemoryError)
                    }
                    run(client, state.database(client.database))
                }
            }
        }
        let elapsed = Int((Clocks.monotonicNanoseconds() &- started) / 1000)
        observe(spec, microseconds: elapsed)
        if client.blocking.current != nil {
            // Counted when the wait ends, as Redis counts a blocked command on unblocking.
            return beginWait(spec, microseconds: elapsed)
        }
        statistics.recordCall(commandID: spec.id, microseconds: elapsed, failed: failed)
    }

    /// Runs `body` on the keyspace: under the lock, or directly inside an EXEC, which
    /// already holds it.
    func withKeyspace<R>(_ body: (KeyspaceState) -> R) -> R {
        if let state = lockedKeyspace { return body(state) }
        return server.keyspace.withState(body)
    }

    /// Commands that act on the transaction itself run at once inside MULTI (Redis's list).
    private static func runsInsideMulti(_ spec: CommandSpec) -> Bool {
        switch spec.name {
        case "exec", "discard", "multi", "watch", "quit", "reset": true
        default: false
        }
    }

    private static func endsTransaction(_ spec: CommandSpec) -> Bool {
        switch spec.name {
        case "exec", "discard", "quit", "reset": true
        default: false
        }
    }

    /// A command refused while queueing makes the EXEC fail (`flagTransaction`).
    private func flagTransaction() {
        if transaction != nil { transactionFailed = true }
    }

    /// The spec of the request, or `nil` after answering the lookup error.
    private func resolveCommand() -> CommandSpec? {
        let top = frame.withArgument(0) { server.table.lookup($0) }
        guard let top else {
            flagTransaction()
            client.replyError(bytes: Self.unknownCommandMessage(frame))
            return nil
        }
        guard top.isContainer, frame.count >= 2 else { return top }
        if let sub = frame.withArgument(1, { top.subcommand($0) }), server.handlers[sub.id] != nil {
            return sub
        }
        flagTransaction()
        client.replyError(
            bytes: Array("ERR unknown subcommand '".utf8) + Self.cString(frame.bytes(1), limit: 128)
                + Array("'. Try ".utf8) + Self.cString(frame.bytes(0), limit: Int.max).map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
                + Array(" HELP.".utf8)
        )
        return nil
    }

    /// Redis's `rejectCommand`: a refused EXEC also discards the transaction and the watched
    /// keys (`execCommandAbort`), inside MULTI or not, and says why in an EXECABORT error.
    private func reject(_ spec: CommandSpec, _ message: String) {
        flagTransaction()
        statistics.recordRejection(commandID: spec.id)
        guard spec.name == "exec" else { return replyError(message) }
        TransactionCommands.forget(self)
        let reason = message.hasPrefix("ERR ") ? message.dropFirst(4) : Substring(message)
        replyError("EXECABORT Transaction discarded because of: \(reason)")
    }

    /// An argument as Redis's `%.*s` prints it: up to its first NUL byte, at most `limit` bytes.
    static func cString(_ bytes: [UInt8], limit: Int) -> ArraySlice<UInt8> {
        bytes.prefix { $0 != 0 }.prefix(limit)
    }

    /// Redis 7's text, in the client's own bytes: `unknown command 'foo', with args beginning
    /// with: 'a' 'b' ` (each piece cut at 128 bytes, arguments listed until 128 bytes).
    static func unknownCommandMessage(_ frame: RESPCommandFrame) -> [UInt8] {
        var arguments: [UInt8] = []
        var index = 1
        while index < frame.count && arguments.count < 128 {
            arguments += [UInt8(ascii: "'")] + Self.cString(frame.bytes(index), limit: 128 - arguments.count) + Array("' ".utf8)
            index += 1
        }
        return Array("ERR unknown command '".utf8) + Self.cString(frame.bytes(0), limit: 128)
            + Array("', with args beginning with: ".utf8) + arguments
    }
}
