import NIOCore
import SidecacheEngine
import SidecacheRESP

/// COMMAND and its subcommands, generated from the command table; they list only the
/// commands Sidecache executes.
enum CommandCommand {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("command", all), ("command|count", count), ("command|info", info), ("command|docs", docs),
        ("command|list", list), ("command|getkeys", getKeys), ("command|help", help),
    ]

    static func all(_ session: ClientSession) {
        let commands = session.server.implementedCommands
        session.out.writeRESPArrayHeader(commands.count)
        for spec in commands { writeInfo(spec, session) }
    }

    static func count(_ session: ClientSession) {
        session.out.writeRESPInteger(session.server.implementedCommands.count)
    }

    /// A spec's COMMAND INFO entry, with only the implemented subcommands.
    private static func writeInfo(_ spec: CommandSpec, _ session: ClientSession) {
        let version = session.protocolVersion
        let fields = spec.info.elements
        session.out.writeRESPArrayHeader(fields.count)
        for field in fields.dropLast() { field.write(into: &session.out, version) }
        let subcommands = session.server.implementedSubcommands(of: spec)
        session.out.writeRESPSetHeader(subcommands.count, version)
        for sub in subcommands { writeInfo(sub, session) }
    }

    static func info(_ session: ClientSession) {
        let frame = session.frame
        if frame.count == 2 { return all(session) }
        session.out.writeRESPArrayHeader(frame.count - 2)
        for index in 2..<frame.count {
            if let spec = session.server.table.spec(named: frame.string(index)), session.server.isImplemented(spec) {
                writeInfo(spec, session)
            } else {
                session.out.writeRESPNull(session.protocolVersion)
            }
        }
    }

    static func docs(_ session: ClientSession) {
        let frame = session.frame
        var specs: [CommandSpec] = []
        if frame.count == 2 {
            specs = session.server.implementedCommands
        } else {
            for index in 2..<frame.count {
                if let spec = session.server.table.spec(named: frame.string(index)), session.server.isImplemented(spec) {
                    specs.append(spec)
                }
            }
        }
        let version = session.protocolVersion
        session.out.writeRESPMapHeader(specs.count, version)
        for spec in specs {
            session.out.writeRESPBulkString(spec.name)
            writeDocs(spec, session)
        }
    }

    /// A spec's COMMAND DOCS map, with only the implemented subcommands.
    private static func writeDocs(_ spec: CommandSpec, _ session: ClientSession) {
        let version = session.protocolVersion
        let pairs = spec.docs.elements
        var kept: [(CommandMeta, CommandMeta?)] = []
        var index = 0
        while index + 1 < pairs.count {
            kept.append((pairs[index], pairs[index].text == "subcommands" ? nil : pairs[index + 1]))
            index += 2
        }
        let subcommands = session.server.implementedSubcommands(of: spec)
        if subcommands.isEmpty { kept.removeAll { $0.1 == nil } }
        session.out.writeRESPMapHeader(kept.count, version)
        for (key, value) in kept {
            key.write(into: &session.out, version)
            if let value {
                value.write(into: &session.out, version)
            } else {
                session.out.writeRESPMapHeader(subcommands.count, version)
                for sub in subcommands {
                    session.out.writeRESPBulkString(sub.name)
                    writeDocs(sub, session)
                }
            }
        }
    }

    static func list(_ session: ClientSession) {
        let frame = session.frame
        var specs = session.server.implementedCommands.flatMap { spec in
            [spec] + session.server.implementedSubcommands(of: spec)
        }
        if frame.count != 2 {
            guard frame.count == 5, frame.argument(2, equalsCaseInsensitive: "filterby") else {
                return session.replyError("ERR syntax error")
            }
            let value = frame.string(4)
            if frame.argument(3, equalsCaseInsensitive: "module") {
                specs = []
            } else if frame.argument(3, equalsCaseInsensitive: "aclcat") {
                guard let category = ACLCategories(name: value.lowercased()) else {
                    return session.replyError("ERR syntax error")
                }
                specs = specs.filter { $0.categories.contains(category) }
            } else if frame.argument(3, equalsCaseInsensitive: "pattern") {
                specs = specs.filter { GlobMatcher.matches(pattern: value, $0.name, nocase: true) }
            } else {
                return session.replyError("ERR syntax error")
            }
        }
        session.out.writeRESPArrayHeader(specs.count)
        for spec in specs { session.out.writeRESPBulkString(spec.name) }
    }

    /// COMMAND GETKEYS command arg...: the keys by the command's key specs.
    static func getKeys(_ session: ClientSession) {
        let frame = session.frame
        var spec = frame.withArgument(2) { session.server.table.lookup($0) }
        if let container = spec, container.isContainer, frame.count > 3 {
            spec = frame.withArgument(3) { container.subcommand($0) }
        }
        guard let spec else { return session.replyError("ERR Invalid command specified") }
        guard !spec.keySpecs.isEmpty else { return session.replyError("ERR The command has no key arguments") }
        guard spec.acceptsArgumentCount(frame.count - 2) else {
            return session.replyError("ERR Invalid number of arguments specified for command")
        }
        guard let positions = spec.keyPositions(in: frame, argumentOffset: 2), !positions.isEmpty else {
            if spec.flags.contains(.noMandatoryKeys) { return session.out.writeRESPArrayHeader(0) }
            return session.replyError("ERR Invalid arguments specified for command")
        }
        session.out.writeRESPArrayHeader(positions.count)
        for position in positions { session.out.writeRESPBulkString(buffer: frame[position + 2]) }
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(command: "COMMAND",
            lines: [
                "(no subcommand)", "    Return details about all Redis commands.",
                "COUNT", "    Return the total number of commands in this Redis server.",
                "LIST", "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>", "    Return the keys from a full Redis command.",
            ]
        )
    }
}
