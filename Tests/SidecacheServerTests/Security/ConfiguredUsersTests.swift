import SidecacheConfig
import SidecacheServer
import Testing

/// Users from `acl.users`: created at start as ACL SETUSER creates them (compared with
/// redis-server given the same rules), usable with AUTH; `default` reset and replaced; a bad
/// rule stops the start.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ConfiguredUsersTests {
    static let users = [
        ACLUserDefinition(name: "app", rules: ["on", ">app-secret", "~app:*", "&app:*", "+@read", "+@write", "-@dangerous", "+acl|whoami"]),
        ACLUserDefinition(name: "ops", rules: ["on", ">p w", "allkeys", "(", "+info", "~x", ")", "+@admin"]),
        ACLUserDefinition(name: "off", rules: []),
    ]

    @Test func configuredUsersMatchSetUser() async throws {
        try await withRedisServer { redis in
            try await withTestServer({ $0.acl.users = Self.users }) { sidecache in
                let reference = try await TestClient.connect(port: redis.port)
                for user in Self.users {
                    let merged = user.name == "ops" ? ["on", ">p w", "allkeys", "( +info ~x )", "+@admin"] : user.rules
                    _ = try await reference.command(["ACL", "SETUSER", user.name] + merged)
                }
                let subject = try await sidecache.connect()
                let expected = try await reference.command("ACL", "LIST")
                #expect(ACLOrderFreeTests.canonical(expected) == ACLOrderFreeTests.canonical(try await subject.command("ACL", "LIST")))
                #expect(try await subject.command("AUTH", "app", "app-secret") == .simpleString(.init(string: "OK")))
                #expect(try await subject.command("ACL", "WHOAMI") == .bulkString(.init(string: "app")))
                #expect(try await subject.command("GET", "other")
                    == .simpleError(.init(string: "NOPERM this user has no permissions to access one of the keys used as arguments")))
                #expect(try await subject.command("AUTH", "ops", "p w") == .simpleString(.init(string: "OK")))
                #expect(try await subject.command("AUTH", "off", "x").errorText?.hasPrefix("WRONGPASS") == true)
                await reference.close()
                await subject.close()
            }
        }
    }

    /// A configured `default` user overrides requirepass: new connections must AUTH with it.
    @Test func configuredDefaultUser() async throws {
        try await withTestServer({ configuration in
            configuration.server.requirePass = "ignored"
            configuration.acl.users = [ACLUserDefinition(name: "default", rules: ["on", ">dpw", "~*", "+@all"])]
        }) { server in
            let client = try await server.connect()
            #expect(try await client.command("GET", "k") == .simpleError(.init(string: "NOAUTH Authentication required.")))
            #expect(try await client.command("AUTH", "ignored").errorText?.hasPrefix("WRONGPASS") == true)
            #expect(try await client.command("AUTH", "dpw") == .simpleString(.init(string: "OK")))
            let list = ACLOrderFreeTests.sortedTexts(try await client.command("ACL", "LIST"))
            // SHA-256 of "dpw", as redis-server shows it.
            let hash = "6e73de19be339f23d11536e634820a7952a76daddb1e20b59df06c00d298a83b"
            #expect(list == ["user default on sanitize-payload #\(hash) ~* resetchannels +@all"])
            await client.close()
        }
    }

    @Test func badRulesStopTheStart() async throws {
        for (rules, reason) in [
            (["on", "+nosuch"], "error in rule '+nosuch': Unknown command or category name in ACL"),
            (["~*", "~a"], "error in rule '~a': Adding a pattern after the * pattern"),
            (["(", "+get"], "unmatched parenthesis in the selector starting at '('"),
        ] {
            await #expect {
                _ = try await TestServer.start { $0.acl.users = [ACLUserDefinition(name: "bad", rules: rules)] }
            } throws: { error in
                (error as? SecurityConfigurationError)?.description.contains("acl.users.bad: \(reason)") ?? false
            }
        }
    }
}
