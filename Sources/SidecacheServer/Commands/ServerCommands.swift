import SidecacheEngine
import NIOCore
import SidecacheRESP

/// TIME.
enum ServerCommands {
    static let handlers: [(String, ServerContext.Handler)] = [("time", time)]

    static func time(_ session: ClientSession) {
        let now = Clocks.wallMicroseconds()
        session.out.writeRESPArrayHeader(2)
        session.out.writeRESPBulkString(decimal: now / 1_000_000)
        session.out.writeRESPBulkString(decimal: now % 1_000_000)
    }
}
