extension EngineClient {
    /// Redis's `addReplyHelp`: the usage line, `lines`, then HELP's own entry, as status
    /// replies in one array.
    package func replyHelp(command: String, lines: [String]) {
        out.writeRESPArrayHeader(lines.count + 3)
        out.writeRESPSimpleString(bytes: "\(command) <subcommand> [<arg> [value] [opt] ...]. Subcommands are:".utf8)
        for line in lines { out.writeRESPSimpleString(bytes: line.utf8) }
        out.writeRESPSimpleString("HELP")
        out.writeRESPSimpleString("    Prints this help.")
    }
}
