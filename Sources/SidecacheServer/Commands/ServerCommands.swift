import NIOCore
import SidecacheRESP

/// TIME and DBSIZE.
enum ServerCommands {
    static let handlers: [(String, ServerContext.Handler)] = [("time", time), ("dbsize", dbsize)]

    static func time(_ session: ClientSession) {
        let now = Clocks.wallMicroseconds()
        session.out.writeRESPArrayHeader(2)
        session.out.writeRESPBulkString(decimal: now / 1_000_000)
        session.out.writeRESPBulkString(decimal: now % 1_000_000)
    }

    static func dbsize(_ session: ClientSession) {
        session.out.writeRESPInteger(session.server.keyspace.keyCount(database: session.database))
    }
}
