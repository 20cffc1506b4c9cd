import NIOCore
import SidecacheEngine
import SidecacheRESP

/// SLOWLOG GET, LEN, RESET and HELP (Redis 7.0's `slowlogCommand`).
enum SlowlogCommand {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("slowlog|get", get), ("slowlog|len", len), ("slowlog|reset", reset), ("slowlog|help", help),
    ]

    /// SLOWLOG GET [count]: the newest `count` entries (10 by default, -1 for all), newest
    /// first, each `[id, unix time, microseconds, arguments, ip:port, client name]`.
    static func get(_ session: ClientSession) {
        let frame = session.frame
        guard frame.count <= 3 else {
            return session.replyError(
                "ERR unknown subcommand or wrong number of arguments for '\(frame.string(1))'. "
                    + "Try \(frame.string(0).uppercased()) HELP."
            )
        }
        var count: Int? = 10
        if frame.count == 3 {
            guard let requested = frame.integer(2), requested >= -1 else {
                return session.replyError("ERR count should be greater than or equal to -1")
            }
            count = requested == -1 ? nil : Int(requested)
        }
        let entries = session.server.monitoring.slowLog.newest(count)
        session.out.writeRESPArrayHeader(entries.count)
        for entry in entries {
            session.out.writeRESPArrayHeader(6)
            session.out.writeRESPInteger(entry.id)
            session.out.writeRESPInteger(Int(entry.unixTime))
            session.out.writeRESPInteger(entry.microseconds)
            session.out.writeRESPArrayHeader(entry.arguments.count)
            for argument in entry.arguments { session.out.writeRESPBulkString(argument) }
            session.out.writeRESPBulkString(entry.peer)
            session.out.writeRESPBulkString(entry.clientName)
        }
    }

    static func len(_ session: ClientSession) {
        session.out.writeRESPInteger(session.server.monitoring.slowLog.count)
    }

    static func reset(_ session: ClientSession) {
        session.server.monitoring.slowLog.reset()
        session.out.writeStaticString("+OK\r\n")
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(
            command: "SLOWLOG",
            lines: [
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.",
            ]
        )
    }
}
