import NIOCore
import SidecacheEngine
import SidecacheRESP

extension ClientSession {
    /// Runs the request in `frame` with redis-server's `processCommand` checks, in its order:
    /// command lookup (unknown command, unknown subcommand), arity, authentication; then the
    /// handler, timed for `commandstats`. Honours CLIENT REPLY OFF/SKIP.
    func dispatch() {
        let replyStart = out.writerIndex
        let skipThis = replyMode == .skipThis
        failed = false
        defer {
            if replyMode == .off || skipThis {
                out.moveWriterIndex(to: replyStart)
            }
            if skipThis && replyMode == .skipThis {
                replyMode = .on
            } else if replyMode == .skipNext {
                replyMode = .skipThis
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
        guard let handler = server.handlers[spec.id] else {
            // Known to Redis, not executed here: the same answer as for an unknown name.
            replyError(Self.unknownCommandMessage(frame))
            return
        }
        let started = Clocks.monotonicNanoseconds()
        handler(self)
        let elapsed = Int((Clocks.monotonicNanoseconds() &- started) / 1000)
        statistics.recordCall(commandID: spec.id, microseconds: elapsed, failed: failed)
    }

    /// The spec of the request, or `nil` after answering the lookup error.
    private func resolveCommand() -> CommandSpec? {
        let top = frame.withArgument(0) { server.table.lookup($0) }
        guard let top else {
            replyError(Self.unknownCommandMessage(frame))
            return nil
        }
        guard top.isContainer, frame.count >= 2 else { return top }
        if let sub = frame.withArgument(1, { top.subcommand($0) }), server.handlers[sub.id] != nil {
            return sub
        }
        let name = Self.truncated(frame.bytes(1), to: 128)
        replyError("ERR unknown subcommand '\(name)'. Try \(top.name.uppercased()) HELP.")
        return nil
    }

    private func reject(_ spec: CommandSpec, _ message: String) {
        statistics.recordRejection(commandID: spec.id)
        replyError(message)
    }

    /// Redis 7's text: `unknown command 'foo', with args beginning with: 'a' 'b' `.
    static func unknownCommandMessage(_ frame: RESPCommandFrame) -> String {
        var arguments = ""
        var index = 1
        while index < frame.count && arguments.utf8.count < 128 {
            arguments += "'" + truncated(frame.bytes(index), to: 128 - arguments.utf8.count) + "' "
            index += 1
        }
        return "ERR unknown command '\(truncated(frame.bytes(0), to: 128))', with args beginning with: \(arguments)"
    }

    static func truncated(_ bytes: [UInt8], to limit: Int) -> String {
        String(decoding: bytes.prefix(limit), as: UTF8.self)
    }
}
