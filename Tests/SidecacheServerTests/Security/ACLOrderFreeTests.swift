import Foundation
import NIOCore
import SidecacheRESP
import Testing

/// The ACL replies whose order or content Redis does not fix, compared with redis-server
/// 7.0.15 without it: single-command rules (Redis lists them in its hash table's order, new
/// with every process), ACL CAT of a category (the same), ACL LOG (times and client lines
/// aside), GENPASS (random), HELLO AUTH (client ids) and EXEC after the rules changed.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ACLOrderFreeTests {
    /// The same command on both; the two replies.
    func both(_ reference: TestClient, _ subject: TestClient, _ arguments: [String]) async throws -> (RESPValue, RESPValue) {
        (try await reference.command(arguments), try await subject.command(arguments))
    }

    func both(_ reference: TestClient, _ subject: TestClient, _ arguments: String...) async throws -> (RESPValue, RESPValue) {
        try await both(reference, subject, arguments)
    }

    /// Rules described with many single commands: the same rules, in any order.
    @Test func singleCommandRulesInAnyOrder() async throws {
        let users: [[String]] = [
            ["+@read", "-@keyspace", "+@hash"], ["+@all", "-@write", "+set", "+del", "-get", "-client|kill"],
            ["-@all", "+get", "+set", "+client|id", "+client|info", "+select|0", "+select|1", "+config|get"],
            ["+@string", "+@list", "-lpush", "-append", "+hget"], ["+@all", "-@dangerous", "+flushdb", "+keys"],
            ["(+get +set ~a*)", "+@read", "-@hash"],
        ]
        try await KeyCommandsDifferentialTests.withBothServers { reference, subject in
            for (position, rules) in users.enumerated() {
                let name = "order\(position)"
                let (expectedSet, actualSet) = try await both(reference, subject, ["ACL", "SETUSER", name] + rules)
                #expect(expectedSet == actualSet)
                let (expected, actual) = try await both(reference, subject, "ACL", "GETUSER", name)
                #expect(Self.canonical(expected) == Self.canonical(actual), "\(rules)")
                let (expectedList, actualList) = try await both(reference, subject, "ACL", "LIST")
                #expect(Self.canonical(expectedList) == Self.canonical(actualList), "\(rules)")
            }
        }
    }

    /// ACL CAT <category> lists the same commands (Redis's whole table, with CLIENT SETINFO,
    /// which Sidecache takes from Redis 7.2).
    @Test func categoryMembers() async throws {
        try await KeyCommandsDifferentialTests.withBothServers { reference, subject in
            guard case .array(let names)? = Optional(try await reference.command("ACL", "CAT")) else {
                Issue.record("ACL CAT is not an array")
                return
            }
            for name in names ?? [] {
                let category = Self.text(name)
                let (expected, actual) = try await both(reference, subject, "ACL", "CAT", category)
                let members = Self.sortedTexts(actual).filter { $0 != "client|setinfo" }
                #expect(Self.sortedTexts(expected) == members, "@\(category)")
                let (_, upper) = try await both(reference, subject, "ACL", "CAT", category.uppercased())
                #expect(Self.sortedTexts(upper) == Self.sortedTexts(actual))
            }
        }
    }

    /// ACL LOG after denials, failed AUTH and HELLO AUTH (in and out of MULTI), repeated ones
    /// counted in one entry; every field but `age-seconds` and `client-info` equal. Passwords
    /// never appear.
    @Test func logEntries() async throws {
        try await KeyCommandsDifferentialTests.withBothServers { reference, subject in
            let steps: [[String]] = [
                ["ACL", "LOG", "RESET"],
                ["ACL", "SETUSER", "alice", "on", ">pw", "~k*", "&ch*", "-@all", "+get", "+publish", "+multi", "+exec", "+auth"],
                ["AUTH", "alice", "wrongsecret"], ["AUTH", "nobody", "wrongsecret"], ["HELLO", "2", "AUTH", "alice", "wrongsecret"],
                ["AUTH", "alice", "wrongsecret"], ["AUTH", "alice", "pw"], ["GET", "x"], ["GET", "x"], ["GET", "y"], ["SET", "k", "v"],
                ["PUBLISH", "zz", "m"], ["MULTI"], ["GET", "x"], ["INCR", "k1"], ["AUTH", "alice", "wrongsecret"], ["EXEC"],
                ["AUTH", "default", "x"],
            ]
            for step in steps {
                let (expected, actual) = try await both(reference, subject, step)
                if step.first != "HELLO" { #expect(expected == actual, "\(step)") }
            }
            for arguments in [["ACL", "LOG"], ["ACL", "LOG", "2"], ["ACL", "LOG", "100"]] {
                let (expected, actual) = try await both(reference, subject, arguments)
                #expect(Self.withoutTimesAndClients(expected) == Self.withoutTimesAndClients(actual))
                #expect(Self.withoutTimesAndClients(actual).count > 0)
            }
            let raw = try await subject.commandRaw("ACL", "LOG")
            #expect(!String(decoding: raw, as: UTF8.self).contains("wrongsecret"))
            #expect(String(decoding: raw, as: UTF8.self).contains("user=alice"))
            let info = Self.text(try await subject.command("INFO", "stats"))
            for line in ["acl_access_denied_auth:4", "acl_access_denied_cmd:2", "acl_access_denied_key:4", "acl_access_denied_channel:1"] {
                #expect(info.contains(line + "\r\n"), "\(line) in \(info)")
            }
        }
    }

    /// HELLO AUTH switches user (the reply has client ids, so only its shape is compared),
    /// CLIENT INFO and CLIENT LIST show the user, GENPASS gives the asked number of hex digits.
    @Test func helloAuthClientInfoAndGenpass() async throws {
        try await KeyCommandsDifferentialTests.withBothServers { reference, subject in
            _ = try await both(reference, subject, "ACL", "SETUSER", "alice", "on", ">pw", "+@all", "~*")
            for protocolVersion in ["3", "2"] {
                let (expected, actual) = try await both(reference, subject, "HELLO", protocolVersion, "AUTH", "alice", "pw", "SETNAME", "me")
                #expect(Self.mapKeys(expected) == Self.mapKeys(actual))
                let (whoExpected, whoActual) = try await both(reference, subject, "ACL", "WHOAMI")
                #expect(whoExpected == whoActual)
                let (infoExpected, infoActual) = try await both(reference, subject, "CLIENT", "INFO")
                #expect(Self.field("user", Self.text(infoExpected)) == "alice")
                #expect(Self.field("user", Self.text(infoActual)) == "alice")
                _ = try await both(reference, subject, "AUTH", "default", "x")
                let (listExpected, listActual) = try await both(reference, subject, "CLIENT", "LIST")
                #expect(Self.field("user", Self.text(listExpected)) == Self.field("user", Self.text(listActual)))
            }
            for (bits, length) in [("", 64), ("1", 1), ("5", 2), ("256", 64), ("4096", 1024)] {
                let arguments = bits.isEmpty ? ["ACL", "GENPASS"] : ["ACL", "GENPASS", bits]
                let (expected, actual) = try await both(reference, subject, arguments)
                #expect(Self.text(expected).count == length)
                #expect(Self.text(actual).count == length)
                #expect(Self.text(actual).allSatisfy { $0.isHexDigit })
            }
        }
    }

    /// A command queued in MULTI that the user may no longer run when EXEC comes (another
    /// connection changed the rules) answers Redis's NOPERM in EXEC's reply.
    @Test func execAfterRulesChanged() async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                var replies: [[RESPValue]] = []
                for port in [redis.port, sidecache.port] {
                    let admin = try await TestClient.connect(port: port)
                    let user = try await TestClient.connect(port: port)
                    var seen: [RESPValue] = []
                    for step in [["ACL", "SETUSER", "erin", "on", ">pw", "~*", "&*", "+@all"], ["ACL", "LOG", "RESET"]] {
                        seen.append(try await admin.command(step))
                    }
                    for step in [["AUTH", "erin", "pw"], ["MULTI"], ["SET", "k", "v"], ["GET", "k"], ["PUBLISH", "c", "m"]] {
                        seen.append(try await user.command(step))
                    }
                    seen.append(try await admin.command("ACL", "SETUSER", "erin", "-get", "resetchannels"))
                    seen.append(try await user.command("EXEC"))
                    seen += Self.withoutTimesAndClients(try await admin.command("ACL", "LOG")).map { .array($0) }
                    await admin.close()
                    await user.close()
                    replies.append(seen)
                }
                #expect(replies[0] == replies[1])
            }
        }
    }

    // MARK: Comparison helpers

    static func text(_ value: RESPValue) -> String {
        switch value {
        case .bulkString(let buffer?), .simpleString(let buffer), .simpleError(let buffer): String(buffer: buffer)
        case .verbatimString(_, let buffer): String(buffer: buffer)
        default: ""
        }
    }

    static func sortedTexts(_ value: RESPValue) -> [String] {
        guard case .array(let items?) = value else { return [] }
        return items.map(text).sorted()
    }

    static func mapKeys(_ value: RESPValue) -> [String] {
        switch value {
        case .map(let pairs), .array(let pairs?): stride(from: 0, to: pairs.count, by: 2).map { text(pairs[$0]) }
        default: []
        }
    }

    /// `name=value` from a CLIENT INFO/LIST line.
    static func field(_ name: String, _ line: String) -> String? {
        line.split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// Rule strings with their words sorted, everywhere in a reply.
    static func canonical(_ value: RESPValue) -> RESPValue {
        switch value {
        case .bulkString(let buffer?):
            // Parentheses apart, so that the word that closes a selector does not depend on order.
            let text = String(buffer: buffer).replacingOccurrences(of: "(", with: "( ").replacingOccurrences(of: ")", with: " )")
            let words = text.split(separator: " ", omittingEmptySubsequences: false).sorted()
            return .bulkString(ByteBuffer(string: words.joined(separator: " ")))
        case .array(let items?): return .array(items.map(canonical))
        case .map(let items): return .map(items.map(canonical))
        case .set(let items): return .set(items.map(canonical))
        default: return value
        }
    }

    /// ACL LOG entries as key/value lists without `age-seconds` and `client-info`.
    static func withoutTimesAndClients(_ value: RESPValue) -> [[RESPValue]] {
        guard case .array(let entries?) = value else { return [] }
        return entries.map { entry in
            let pairs: [RESPValue]
            switch entry {
            case .array(let items?), .map(let items): pairs = items
            default: pairs = []
            }
            var kept: [RESPValue] = []
            for index in stride(from: 0, to: pairs.count - 1, by: 2)
            where !["age-seconds", "client-info"].contains(text(pairs[index])) {
                kept += [pairs[index], pairs[index + 1]]
            }
            return kept
        }
    }
}

/// Sidecache-side effects of ACL changes on live connections, next to redis-server.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct ACLLiveConnectionTests {
    /// ACL DELUSER closes the connections authenticated as the deleted user; ACL SETUSER's
    /// arguments (passwords) are redacted in the slow log.
    @Test func deleteClosesConnectionsAndSetUserIsRedacted() async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                for port in [redis.port, sidecache.port] {
                    let admin = try await TestClient.connect(port: port)
                    let user = try await TestClient.connect(port: port)
                    _ = try await admin.command("CONFIG", "SET", "slowlog-log-slower-than", "0")
                    _ = try await admin.command("ACL", "SETUSER", "gone", "on", ">topsecret", "+@all")
                    #expect(try await user.command("AUTH", "gone", "topsecret") == .simpleString(.init(string: "OK")))
                    #expect(try await admin.command("ACL", "DELUSER", "gone") == .integer(1))
                    #expect(try await user.waitForClose(), "port \(port)")
                    let slowlog = try await admin.commandRaw("SLOWLOG", "GET", "10")
                    #expect(!String(decoding: slowlog, as: UTF8.self).contains("topsecret"), "port \(port)")
                    #expect(String(decoding: slowlog, as: UTF8.self).contains("(redacted)"), "port \(port)")
                    await admin.close()
                    await user.close()
                }
            }
        }
    }
}
