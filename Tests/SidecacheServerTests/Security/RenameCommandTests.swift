import SidecacheConfig
import SidecacheRESP
import SidecacheServer
import Testing

/// `server.rename_commands` against redis-server 7.0.15 started with the same
/// `rename-command` lines: dispatch, COMMAND, COMMAND INFO/DOCS/GETKEYS/LIST, error texts,
/// ACL rules (which keep the original names) and DRYRUN (which takes the new ones).
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct RenameCommandTests {
    static let renames = [("FLUSHALL", ""), ("CONFIG", "CONFIG_b7f"), ("get", "MYGET"), ("KEYS", "")]

    @Test func renamedAndDisabledCommandsAsRedis() async throws {
        let arguments = Self.renames.flatMap { ["--rename-command", $0.0, $0.1] }
        let cases = [
            RawCase("FLUSHALL"), RawCase("flushall", "async"), RawCase("KEYS", "*"), RawCase("CONFIG", "GET", "maxmemory"),
            RawCase("CONFIG_b7f", "GET", "maxmemory"), RawCase("config_B7F", "get", "maxmemory"), RawCase("CONFIG_b7f"),
            RawCase("CONFIG_b7f", "NOPE"), RawCase("MYGET"), RawCase("SET", "a", "1"), RawCase("MYGET", "a"), RawCase("myget", "a"),
            RawCase("GET", "a"), RawCase("COMMAND", "INFO", "config", "myget", "get", "flushall", "keys", "config_b7f|get", "CONFIG_B7F|SET"),
            RawCase("COMMAND", "DOCS", "myget"), RawCase("COMMAND", "DOCS", "get"), RawCase("COMMAND", "INFO", "", "|get", "get|", "myget|x"), RawCase("COMMAND", "GETKEYS", "myget", "a"),
            RawCase("COMMAND", "GETKEYS", "get", "a"), RawCase("COMMAND", "LIST", "FILTERBY", "PATTERN", "my*"),
            RawCase("COMMAND", "LIST", "FILTERBY", "PATTERN", "get"), RawCase("COMMAND", "LIST", "FILTERBY", "PATTERN", "flushall"),
            RawCase("COMMAND", "LIST", "FILTERBY", "PATTERN", "config|g*"),
            RawCase("ACL", "SETUSER", "r", "+myget"), RawCase("ACL", "SETUSER", "r", "+get", "+config|get", "-flushall", "~*"),
            RawCase("ACL", "DRYRUN", "r", "myget", "k"), RawCase("ACL", "DRYRUN", "r", "get", "k"),
            RawCase("ACL", "DRYRUN", "r", "config_b7f", "get", "x"), RawCase("ACL", "DRYRUN", "r", "config_b7f", "set", "x", "y"),
            RawCase("ACL", "DRYRUN", "r", "flushall"), RawCase("ACL", "DELUSER", "r"),
        ]
        try await withRedisServer(arguments: arguments) { redis in
            try await withTestServer({ configuration in
                configuration.server.renameCommands = Self.renames.map { CommandRename(command: $0.0, newName: $0.1) }
            }) { sidecache in
                for protocolVersion in [2, 3] {
                    let reference = try await TestClient.connect(port: redis.port)
                    let subject = try await sidecache.connect()
                    // The comparison's own CONFIG RESETSTAT finds no CONFIG here.
                    _ = try await reference.command("CONFIG_b7f", "RESETSTAT")
                    _ = try await subject.command("CONFIG_b7f", "RESETSTAT")
                    try await RawDifferential.compare(
                        cases, reference: reference, subject: subject, protocolVersion: protocolVersion, label: "rename-command"
                    )
                    await reference.close()
                    await subject.close()
                }
                // COMMAND and COMMAND COUNT leave out the disabled commands and list the renamed
                // ones under their own names.
                let client = try await sidecache.connect()
                let plain = try await withTestServer { plain in
                    let other = try await plain.connect()
                    defer { Task { await other.close() } }
                    return try await other.command("COMMAND", "COUNT")
                }
                #expect(try await client.command("COMMAND", "COUNT") == .integer((plain.integerReply ?? 0) - 2))
                let list = try await client.command("COMMAND", "LIST")
                #expect(ACLOrderFreeTests.sortedTexts(list).contains("config"))
                #expect(!ACLOrderFreeTests.sortedTexts(list).contains("flushall"))
                await client.close()
            }
        }
    }

    /// A rename of an unknown command, or onto a name in use, stops the start with Redis's reason.
    @Test func badRenamesStopTheStart() async throws {
        for (renames, reason) in [
            ([CommandRename(command: "NOPE", newName: "X")], "No such command in rename-command"),
            ([CommandRename(command: "GET", newName: "set")], "Target command name already exists"),
            ([CommandRename(command: "GET", newName: "X"), CommandRename(command: "GET", newName: "Y")], "No such command in rename-command"),
        ] {
            await #expect {
                _ = try await TestServer.start { $0.server.renameCommands = renames }
            } throws: { error in
                (error as? SecurityConfigurationError)?.description.contains(reason) ?? false
            }
        }
    }
}

extension RESPValue {
    var integerReply: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
