import SidecacheConfig
import Testing

/// With an upstream: the ACL check applies to forwarded commands before they leave (a denied
/// command never reaches upstream), and a renamed command reaches upstream under its own name.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ForwardedACLTests {
    @Test func deniedCommandsAreNotForwarded() async throws {
        try await withRedisServer { redis in
            try await withTestServer({ configuration in
                configuration.upstream.mode = .single
                configuration.upstream.nodes = [UpstreamNodeConfiguration(host: "127.0.0.1", port: redis.port)]
                configuration.server.renameCommands = [CommandRename(command: "SET", newName: "PUT")]
            }) { sidecache in
                let client = try await sidecache.connect()
                let direct = try await TestClient.connect(port: redis.port)
                #expect(try await client.command("PUT", "k", "v") == .simpleString(.init(string: "OK")))
                #expect(try await direct.command("GET", "k") == .bulkString(.init(string: "v")))
                #expect(try await client.command("SET", "k", "v").errorText?.hasPrefix("ERR unknown command 'SET'") == true)
                _ = try await client.command("ACL", "SETUSER", "app", "on", ">pw", "~app:*", "+@all", "-del")
                #expect(try await client.command("AUTH", "app", "pw") == .simpleString(.init(string: "OK")))
                #expect(try await client.command("PUT", "other", "v")
                    == .simpleError(.init(string: "NOPERM this user has no permissions to access one of the keys used as arguments")))
                #expect(try await client.command("DEL", "app:1")
                    == .simpleError(.init(string: "NOPERM this user has no permissions to run the 'del' command")))
                #expect(try await client.command("PUT", "app:1", "v") == .simpleString(.init(string: "OK")))
                // Arity errors come before ACL errors, from upstream.
                #expect(try await client.command("PUT", "other").errorText == "ERR wrong number of arguments for 'set' command")
                #expect(try await direct.command("EXISTS", "other") == .integer(0))
                #expect(try await direct.command("GET", "app:1") == .bulkString(.init(string: "v")))
                await client.close()
                await direct.close()
            }
        }
    }
}
