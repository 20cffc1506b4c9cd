import NIOCore
import SidecacheEngine
import SidecacheRESP

/// ACL and its subcommands, with redis-server 7.0's replies and errors. There is no ACL
/// file: ACL SAVE and LOAD answer Redis's error for that case.
enum ACLCommand {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("acl|setuser", setUser), ("acl|getuser", getUser), ("acl|deluser", deleteUsers), ("acl|list", list),
        ("acl|users", users), ("acl|whoami", whoAmI), ("acl|cat", categories), ("acl|log", log),
        ("acl|genpass", generatePassword), ("acl|dryrun", dryRun), ("acl|help", help), ("acl|save", noFile),
        ("acl|load", noFile),
    ]

    static func setUser(_ session: ClientSession) {
        let frame = session.frame
        let name = frame.bytes(2)
        guard !name.hasSpaceOrNul else {
            return session.replyError("ERR Usernames can't contain spaces or null characters")
        }
        let rules: [[UInt8]]
        switch ACLArguments.mergeSelectors((3..<frame.count).map { frame.bytes($0) }) {
        case .success(let merged): rules = merged
        case .failure(let unclosed):
            return session.client.replyError(
                bytes: Array("ERR Unmatched parenthesis in acl selector starting at '".utf8)
                    + ClientSession.cString(frame.bytes(unclosed.index + 3), limit: Int.max) + Array("'.".utf8)
            )
        }
        switch session.server.acl.setUser(name, rules: rules) {
        case .success:
            session.out.writeStaticString("+OK\r\n")
        case .failure(let failure):
            session.client.replyError(
                bytes: Array("ERR Error in ACL SETUSER modifier '".utf8)
                    + ClientSession.cString(failure.rule, limit: Int.max) + Array("': \(failure.error.message)".utf8)
            )
        }
    }

    static func getUser(_ session: ClientSession) {
        let version = session.protocolVersion
        guard let user = session.server.acl.user(named: session.frame.bytes(2)) else {
            return session.out.writeRESPNull(version)
        }
        session.out.writeRESPMapHeader(6, version)
        session.out.writeRESPBulkString("flags")
        let flags = ACLUser.Flags.named.filter { user.flags.contains($0.1) }
        session.out.writeRESPSetHeader(flags.count, version)
        for (name, _) in flags { session.out.writeRESPBulkString(name) }
        session.out.writeRESPBulkString("passwords")
        session.out.writeRESPArrayHeader(user.passwords.count)
        for hash in user.passwords { session.out.writeRESPBulkString(hash) }
        writeSelector(user.root, session)
        session.out.writeRESPBulkString("selectors")
        session.out.writeRESPArrayHeader(user.selectors.count - 1)
        for selector in user.selectors.dropFirst() {
            session.out.writeRESPMapHeader(3, version)
            writeSelector(selector, session)
        }
    }

    /// The `commands`, `keys` and `channels` fields of a selector.
    private static func writeSelector(_ selector: ACLSelector, _ session: ClientSession) {
        session.out.writeRESPBulkString("commands")
        session.out.writeRESPBulkString(ACLDescription.commandRules(selector))
        session.out.writeRESPBulkString("keys")
        session.out.writeRESPBulkString(ACLDescription.keys(selector))
        session.out.writeRESPBulkString("channels")
        session.out.writeRESPBulkString(ACLDescription.channels(selector))
    }

    /// ACL DELUSER: connections authenticated as a deleted user are closed, as Redis does.
    static func deleteUsers(_ session: ClientSession) {
        let names = (2..<session.frame.count).map { session.frame.bytes($0) }
        if names.contains(ACLUser.defaultName) {
            return session.replyError("ERR The 'default' user cannot be removed")
        }
        let existing = Set(names.filter { session.server.acl.user(named: $0) != nil }.map { String(decoding: $0, as: UTF8.self) })
        let deleted = session.server.acl.deleteUsers(names)
        session.out.writeRESPInteger(deleted)
        guard deleted > 0 else { return }
        if existing.contains(String(decoding: session.aclUser.name, as: UTF8.self)) { session.closeAfterReply = true }
        for client in session.server.clients.all where client.id != session.record.id && existing.contains(client.snapshot.user) {
            client.channel.close(promise: nil)
        }
    }

    static func list(_ session: ClientSession) {
        let users = session.server.acl.all
        session.out.writeRESPArrayHeader(users.count)
        for user in users { session.out.writeRESPBulkString(ACLDescription.listLine(user)) }
    }

    static func users(_ session: ClientSession) {
        let users = session.server.acl.all
        session.out.writeRESPArrayHeader(users.count)
        for user in users { session.out.writeRESPBulkString(user.name) }
    }

    static func whoAmI(_ session: ClientSession) {
        session.refreshACLUser()
        session.out.writeRESPBulkString(session.aclUser.name)
    }

    /// ACL CAT: the categories, or the commands of one (Redis's whole table, module commands
    /// aside, whether Sidecache executes them or not: the rules work on that table).
    static func categories(_ session: ClientSession) {
        let frame = session.frame
        switch frame.count {
        case 2:
            session.out.writeRESPArrayHeader(ACLCommandIndex.categoryNames.count)
            for name in ACLCommandIndex.categoryNames { session.out.writeRESPBulkString(name) }
        case 3:
            guard let category = ACLCommandIndex.category(named: frame.string(2)) else {
                return session.client.replyError(
                    bytes: Array("ERR Unknown category '".utf8) + ClientSession.cString(frame.bytes(2), limit: 128)
                        + Array("'".utf8)
                )
            }
            let index = ACLCommandIndex.shared
            let names = index.table.all.filter { index.categories[$0.id].contains(category) }.map(\.name)
            session.out.writeRESPArrayHeader(names.count)
            for name in names { session.out.writeRESPBulkString(name) }
        default:
            subcommandSyntaxError(session)
        }
    }

    static func log(_ session: ClientSession) {
        let frame = session.frame
        var count = 10
        if frame.count == 3 {
            if frame.argument(2, equalsCaseInsensitive: "reset") {
                session.server.acl.resetLog()
                session.out.writeStaticString("+OK\r\n")
                return
            }
            guard let requested = frame.integer(2) else {
                return session.replyError("ERR value is not an integer or out of range")
            }
            count = Int(clamping: max(0, requested))
        } else if frame.count > 3 {
            return subcommandSyntaxError(session)
        }
        let entries = session.server.acl.logEntries(limit: count)
        let version = session.protocolVersion
        let now = Clocks.wallMilliseconds()
        session.out.writeRESPArrayHeader(entries.count)
        for entry in entries {
            session.out.writeRESPMapHeader(7, version)
            session.out.writeRESPBulkString("count")
            session.out.writeRESPInteger(entry.count)
            session.out.writeRESPBulkString("reason")
            session.out.writeRESPBulkString(entry.reason.rawValue)
            session.out.writeRESPBulkString("context")
            session.out.writeRESPBulkString(entry.context.rawValue)
            session.out.writeRESPBulkString("object")
            session.out.writeRESPBulkString(entry.object)
            session.out.writeRESPBulkString("username")
            session.out.writeRESPBulkString(entry.username)
            session.out.writeRESPBulkString("age-seconds")
            session.out.writeRESPDouble(Double(now - entry.milliseconds) / 1000, version)
            session.out.writeRESPBulkString("client-info")
            session.out.writeRESPBulkString(entry.clientInfo)
        }
    }

    /// ACL GENPASS [bits]: random hex digits, four bits each (256 bits by default).
    static func generatePassword(_ session: ClientSession) {
        let frame = session.frame
        var bits: Int64 = 256
        if frame.count == 3 {
            guard let requested = frame.integer(2) else {
                return session.replyError("ERR value is not an integer or out of range")
            }
            bits = requested
        } else if frame.count > 3 {
            return subcommandSyntaxError(session)
        }
        guard bits > 0 && bits <= 4096 else {
            return session.replyError(
                "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096"
            )
        }
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        let password = (0..<Int((bits + 3) / 4)).map { _ in digits[Int.random(in: 0..<16, using: &generator)] }
        session.out.writeRESPBulkString(password)
    }

    /// ACL DRYRUN user command [arg ...]: whether the user could run it, by the names clients
    /// use (renamed commands under their new names).
    static func dryRun(_ session: ClientSession) {
        let frame = session.frame
        guard let user = session.server.acl.user(named: frame.bytes(2)) else {
            return session.client.replyError(
                bytes: Array("ERR User '".utf8) + ClientSession.cString(frame.bytes(2), limit: Int.max) + Array("' not found".utf8)
            )
        }
        var spec = frame.withArgument(3) { session.server.table.lookup($0) }
        if let container = spec, container.isContainer, frame.count > 4 {
            spec = frame.withArgument(4) { container.subcommand($0) }
        }
        guard let spec else {
            return session.client.replyError(
                bytes: Array("ERR Command '".utf8) + ClientSession.cString(frame.bytes(3), limit: Int.max) + Array("' not found".utf8)
            )
        }
        guard spec.acceptsArgumentCount(frame.count - 3) else {
            return session.replyError("ERR wrong number of arguments for '\(spec.name)' command")
        }
        guard let denial = user.denial(spec, frame, argumentOffset: 3) else {
            session.out.writeStaticString("+OK\r\n")
            return
        }
        let message: [UInt8]
        switch denial {
        case .command:
            message = Array("This user has no permissions to run the '\(spec.name)' command".utf8)
        case .key(let position):
            message = Array("This user has no permissions to access the '".utf8)
                + ClientSession.cString(frame.bytes(position + 3), limit: Int.max) + Array("' key".utf8)
        case .channel(let position):
            message = Array("This user has no permissions to access the '".utf8)
                + ClientSession.cString(frame.bytes(position + 3), limit: Int.max) + Array("' channel".utf8)
        }
        session.out.writeRESPBulkString(message)
    }

    static func noFile(_ session: ClientSession) {
        session.replyError(
            "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the "
                + "ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file "
                + "set) in order to store users in the Redis configuration."
        )
    }

    private static func subcommandSyntaxError(_ session: ClientSession) {
        let frame = session.frame
        session.client.replyError(
            bytes: Array("ERR unknown subcommand or wrong number of arguments for '".utf8)
                + ClientSession.cString(frame.bytes(1), limit: 128) + Array("'. Try ".utf8)
                + ClientSession.cString(frame.bytes(0), limit: Int.max).map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
                + Array(" HELP.".utf8)
        )
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(
            command: "ACL",
            lines: [
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.",
            ]
        )
    }
}
