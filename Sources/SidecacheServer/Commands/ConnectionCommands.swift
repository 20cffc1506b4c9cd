import NIOCore
import SidecacheRESP

/// PING, ECHO, QUIT, HELLO, AUTH, SELECT, RESET: Redis's connection commands.
enum ConnectionCommands {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("ping", ping), ("echo", echo), ("quit", quit), ("hello", hello), ("auth", auth),
        ("select", select), ("reset", reset),
    ]

    /// PING [message]; a RESP2 connection in subscribed mode gets `["pong", message or ""]`.
    static func ping(_ session: ClientSession) {
        if session.subscriptions.isActive && session.protocolVersion == .resp2 && session.frame.count <= 2 {
            session.out.writeStaticString("*2\r\n$4\r\npong\r\n")
            if session.frame.count == 2 {
                session.out.writeRESPBulkString(buffer: session.frame[1])
            } else {
                session.out.writeStaticString("$0\r\n\r\n")
            }
            return
        }
        switch session.frame.count {
        case 1: session.out.writeStaticString("+PONG\r\n")
        case 2: session.out.writeRESPBulkString(buffer: session.frame[1])
        default: session.replyError("ERR wrong number of arguments for 'ping' command")
        }
    }

    static func echo(_ session: ClientSession) {
        session.out.writeRESPBulkString(buffer: session.frame[1])
    }

    static func quit(_ session: ClientSession) {
        session.out.writeStaticString("+OK\r\n")
        session.closeAfterReply = true
    }

    /// AUTH [username] password: as the named user, or as the default user, which must then
    /// have a password (Redis's old `requirepass` behaviour).
    static func auth(_ session: ClientSession) {
        let frame = session.frame
        guard frame.count <= 3 else { return session.replyError("ERR syntax error") }
        if frame.count == 2 && session.server.acl.defaultUser.flags.contains(.noPass) {
            return session.replyError(
                "ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?"
            )
        }
        let user = frame.count == 3 ? frame.bytes(1) : ACLUser.defaultName
        if session.authenticate(user: user, password: frame.bytes(frame.count - 1)) {
            session.out.writeStaticString("+OK\r\n")
        } else {
            session.replyError("WRONGPASS invalid username-password pair or user is disabled.")
        }
    }

    static func hello(_ session: ClientSession) {
        let frame = session.frame
        var version: RESPProtocolVersion?
        var index = 1
        if frame.count >= 2 {
            guard let requested = frame.integer(1) else {
                return session.replyError("ERR Protocol version is not an integer or out of range")
            }
            guard let supported = RESPProtocolVersion(rawValue: Int(requested)) else {
                return session.replyError("NOPROTO unsupported protocol version")
            }
            version = supported
            index = 2
        }
        var credentials: (user: [UInt8], password: [UInt8])?
        var name: [UInt8]?
        while index < frame.count {
            let remaining = frame.count - 1 - index
            if frame.argument(index, equalsCaseInsensitive: "auth") && remaining >= 2 {
                credentials = (frame.bytes(index + 1), frame.bytes(index + 2))
                index += 3
            } else if frame.argument(index, equalsCaseInsensitive: "setname") && remaining >= 1 {
                name = frame.bytes(index + 1)
                index += 2
            } else {
                return session.replyError("ERR Syntax error in HELLO option '\(frame.string(index))'")
            }
        }
        if let credentials, !session.authenticate(user: credentials.user, password: credentials.password) {
            return session.replyError("WRONGPASS invalid username-password pair or user is disabled.")
        }
        guard session.authenticated else {
            return session.replyError(
                "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> "
                    + "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time"
            )
        }
        if let name, !ClientCommand.setName(session, name) { return }
        if let version { session.protocolVersion = version }
        let out = session.protocolVersion
        session.out.writeRESPMapHeader(7, out)
        session.out.writeRESPBulkString("server")
        session.out.writeRESPBulkString("redis")
        session.out.writeRESPBulkString("version")
        session.out.writeRESPBulkString(session.server.table.referenceVersion)
        session.out.writeRESPBulkString("proto")
        session.out.writeRESPInteger(out.rawValue)
        session.out.writeRESPBulkString("id")
        session.out.writeRESPInteger(Int(session.record.id))
        session.out.writeRESPBulkString("mode")
        session.out.writeRESPBulkString("standalone")
        session.out.writeRESPBulkString("role")
        session.out.writeRESPBulkString("master")
        session.out.writeRESPBulkString("modules")
        session.out.writeRESPArrayHeader(0)
        session.recordDirty = true
    }

    static func select(_ session: ClientSession) {
        guard let index = session.frame.integer(1) else {
            return session.replyError("ERR value is not an integer or out of range")
        }
        guard index >= Int64(Int32.min), index <= Int64(Int32.max) else {
            return session.replyError("ERR value is out of range, value must between -2147483648 and 2147483647")
        }
        guard index >= 0, index < session.server.keyspace.databaseCount else {
            return session.replyError("ERR DB index is out of range")
        }
        session.database = Int(index)
        session.out.writeStaticString("+OK\r\n")
    }

    /// RESET: back to a fresh connection's state (database 0, RESP2, replies on, no name, no
    /// subscriptions, re-authenticated as the default user only if it needs no password).
    static func reset(_ session: ClientSession) {
        TransactionCommands.forget(session)
        session.releaseUpstreamConnection()
        session.dropSubscriptions()
        session.stopMonitoring()
        session.database = 0
        session.protocolVersion = .resp2
        session.replyMode = .on
        session.authenticated = !session.server.authenticationRequired
        session.switchUser(to: session.server.acl.defaultUser)
        session.record.update { snapshot in
            snapshot.name = []
            snapshot.noEvict = false
        }
        session.out.writeStaticString("+RESET\r\n")
    }
}
