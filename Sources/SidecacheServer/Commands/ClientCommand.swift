import SidecacheEngine
import NIOCore
import SidecacheRESP

/// CLIENT subcommands: ID, SETNAME, GETNAME, LIST, INFO, KILL, SETINFO, NO-EVICT, REPLY, HELP,
/// UNBLOCK (in `ClientCommand+Unblock.swift`), PAUSE and UNPAUSE (`ClientCommand+Pause.swift`).
enum ClientCommand {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("client|id", { $0.out.writeRESPInteger(Int($0.record.id)) }),
        ("client|setname", { session in
            if setName(session, session.frame.bytes(2)) { session.out.writeStaticString("+OK\r\n") }
        }),
        ("client|getname", getName), ("client|list", list), ("client|info", info), ("client|kill", kill),
        ("client|setinfo", setInfo), ("client|no-evict", noEvict), ("client|reply", reply), ("client|help", help),
        ("client|unblock", unblock), ("client|pause", pause), ("client|unpause", unpause),
    ]

    /// Redis accepts names of printable ASCII without spaces (`!`...`~`); empty clears.
    static func isValidAttribute(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 >= UInt8(ascii: "!") && $0 <= UInt8(ascii: "~") }
    }

    /// Sets the client name or answers Redis's error; `false` on error.
    static func setName(_ session: ClientSession, _ name: [UInt8]) -> Bool {
        guard isValidAttribute(name) else {
            session.replyError("ERR Client names cannot contain spaces, newlines or special characters.")
            return false
        }
        session.record.update { $0.name = name }
        return true
    }

    static func getName(_ session: ClientSession) {
        let name = session.record.snapshot.name
        if name.isEmpty { session.out.writeRESPNull(session.protocolVersion) } else { session.out.writeRESPBulkString(name) }
    }

    static func info(_ session: ClientSession) {
        session.publishRecord(lastCommand: "client|info", queued: 0, now: Clocks.monotonicNanoseconds())
        let line = session.record.infoLine(now: Clocks.monotonicNanoseconds()) + "\n"
        session.out.writeRESPVerbatimString(line.utf8, session.protocolVersion)
    }

    /// CLIENT LIST [TYPE type | ID id [id ...]]: Redis 7.0 takes one filter at most; IDs are
    /// listed in argument order, unknown ones skipped.
    static func list(_ session: ClientSession) {
        let frame = session.frame
        let now = Clocks.monotonicNanoseconds()
        session.publishRecord(lastCommand: "client|list", queued: 0, now: now)
        var records = session.server.clients.all
        if frame.count == 4 && frame.argument(2, equalsCaseInsensitive: "type") {
            let type = frame.string(3).lowercased()
            guard ["normal", "master", "replica", "slave", "pubsub"].contains(type) else {
                return session.replyError("ERR Unknown client type '\(frame.string(3))'")
            }
            records = records.filter { isOfType($0, type) }
        } else if frame.count > 3 && frame.argument(2, equalsCaseInsensitive: "id") {
            var selected: [ClientRecord] = []
            for index in 3..<frame.count {
                guard let id = frame.integer(index) else { return session.replyError("ERR Invalid client ID") }
                if id > 0, let record = session.server.clients.client(id: UInt64(id)) { selected.append(record) }
            }
            records = selected
        } else if frame.count != 2 {
            return session.replyError("ERR syntax error")
        }
        let text = records.map { $0.infoLine(now: now) + "\n" }.joined()
        session.out.writeRESPVerbatimString(text.utf8, session.protocolVersion)
    }

    /// CLIENT KILL addr:port (old form: OK or an error) or CLIENT KILL <filter value> ...
    /// (new form: the number killed; SKIPME yes by default).
    static func kill(_ session: ClientSession) {
        let frame = session.frame
        if frame.count == 3 {
            let address = frame.string(2)
            guard let target = session.server.clients.all.first(where: { $0.address == address }) else {
                return session.replyError("ERR No such client")
            }
            session.out.writeStaticString("+OK\r\n")
            close(target, from: session)
            return
        }
        var id: UInt64?
        var address: String?
        var localAddress: String?
        var user: String?
        var type: String?
        var skipMe = true
        var index = 2
        while index < frame.count {
            guard index + 1 < frame.count else { return session.replyError("ERR syntax error") }
            let value = frame.string(index + 1)
            if frame.argument(index, equalsCaseInsensitive: "id") {
                guard let parsed = frame.integer(index + 1), parsed > 0 else {
                    return session.replyError("ERR client-id should be greater than 0")
                }
                id = UInt64(parsed)
            } else if frame.argument(index, equalsCaseInsensitive: "addr") {
                address = value
            } else if frame.argument(index, equalsCaseInsensitive: "laddr") {
                localAddress = value
            } else if frame.argument(index, equalsCaseInsensitive: "user") {
                user = value
            } else if frame.argument(index, equalsCaseInsensitive: "type") {
                guard ["normal", "master", "replica", "slave", "pubsub"].contains(value.lowercased()) else {
                    return session.replyError("ERR Unknown client type '\(value)'")
                }
                type = value.lowercased()
            } else if frame.argument(index, equalsCaseInsensitive: "skipme") {
                switch value.lowercased() {
                case "yes": skipMe = true
                case "no": skipMe = false
                default: return session.replyError("ERR syntax error")
                }
            } else {
                return session.replyError("ERR syntax error")
            }
            index += 2
        }
        var killed = 0
        for record in session.server.clients.all {
            if let id, record.id != id { continue }
            if let address, record.address != address { continue }
            if let localAddress, record.localAddress != localAddress { continue }
            if let user, record.snapshot.user != user { continue }
            if let type, !isOfType(record, type) { continue }
            if skipMe && record.id == session.record.id { continue }
            close(record, from: session)
            killed += 1
        }
        session.out.writeRESPInteger(killed)
    }

    /// Redis's `getClientType`: a client in subscribed mode is `pubsub`, any other `normal`
    /// (no replicas or masters here).
    private static func isOfType(_ record: ClientRecord, _ type: String) -> Bool {
        let subscriber = record.snapshot.isSubscriber
        return type == "pubsub" ? subscriber : type == "normal" && !subscriber
    }

    /// Closes `target`; the calling client itself is closed after its reply.
    private static func close(_ target: ClientRecord, from session: ClientSession) {
        if target.id == session.record.id {
            session.closeAfterReply = true
        } else {
            target.channel.close(promise: nil)
        }
    }

    static func setInfo(_ session: ClientSession) {
        let frame = session.frame
        guard frame.count == 4 else { return session.replyError("ERR wrong number of arguments for 'client|setinfo' command") }
        let value = frame.bytes(3)
        let isName = frame.argument(2, equalsCaseInsensitive: "lib-name")
        guard isName || frame.argument(2, equalsCaseInsensitive: "lib-ver") else {
            return session.replyError("ERR Unrecognized option '\(frame.string(2))'")
        }
        guard isValidAttribute(value) else {
            return session.replyError("ERR \(frame.string(2)) cannot contain spaces, newlines or special characters.")
        }
        session.record.update { snapshot in
            if isName { snapshot.libraryName = value } else { snapshot.libraryVersion = value }
        }
        session.out.writeStaticString("+OK\r\n")
    }

    static func noEvict(_ session: ClientSession) {
        let on = session.frame.argument(2, equalsCaseInsensitive: "on")
        guard on || session.frame.argument(2, equalsCaseInsensitive: "off") else {
            return session.replyError("ERR syntax error")
        }
        session.record.update { $0.noEvict = on }
        session.out.writeStaticString("+OK\r\n")
    }

    static func reply(_ session: ClientSession) {
        let frame = session.frame
        if frame.argument(2, equalsCaseInsensitive: "on") {
            session.replyMode = .on
            session.out.writeStaticString("+OK\r\n")
        } else if frame.argument(2, equalsCaseInsensitive: "off") {
            session.replyMode = .off
        } else if frame.argument(2, equalsCaseInsensitive: "skip") {
            if session.replyMode != .off { session.replyMode = .skipNext }
        } else {
            session.replyError("ERR syntax error")
        }
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(command: "CLIENT",
            lines: [
                "GETNAME", "    Return the name of the current connection.",
                "ID", "    Return the ID of the current connection.",
                "INFO", "    Return information about the current client connection.",
                "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
                "    * USER <username>", "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
                "    * ID <client-id>", "      Kill connections by client id.",
                "LIST [options ...]", "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
                "    * ID <client-id> [<client-id> ...]", "      Return clients of specified IDs only.",
                "UNPAUSE", "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction.",
                "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                "SETNAME <name>", "    Assign the name <name> to the current connection.",
                "SETINFO <option> <value>", "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.", "    * LIB-VER: the client lib version.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
            ]
        )
    }
}

/// The `HELP` subcommand reply as Redis formats it (`addReplyHelp`).
