import NIOCore
import SidecacheRESP
import Testing

/// BZPOPMIN, BZPOPMAX and BZMPOP over real connections, several clients waiting at once,
/// compared with a real redis-server 7.0.15 (the harness of `BlockingCommandTests`).
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct SortedSetBlockingTests {
    @Test func waitersArePoppedInTheOrderTheyBlocked() async throws {
        let replies = try await BlockingCommandTests.compare { port in
            let admin = try await TestClient.connect(port: port)
            _ = try await admin.command("FLUSHALL")
            let clients = try await BlockingCommandTests.block(
                [["BZPOPMIN", "z", "0"], ["BZPOPMAX", "other", "z", "0"], ["BZMPOP", "0", "2", "other", "z", "MIN", "COUNT", "2"],
                 ["BZPOPMIN", "z", "0"]],
                port: port, admin: admin
            )
            var replies = [try await admin.command("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")]
            for client in clients { replies.append(try await client.readReply()) }
            replies.append(try await admin.command("ZRANGE", "z", "0", "-1", "WITHSCORES"))
            for client in clients { await client.close() }
            await admin.close()
            return replies
        }
        #expect(replies[0] == .integer(5))
        #expect(replies[1] == .array([.bulk("z"), .bulk("a"), .bulk("1")]))
        #expect(replies[2] == .array([.bulk("z"), .bulk("e"), .bulk("5")]))
    }

    @Test func immediatePopsErrorsTimeoutsAndMulti() async throws {
        _ = try await BlockingCommandTests.compare { port in
            let client = try await TestClient.connect(port: port)
            var replies: [RESPValue] = []
            for request in [
                ["FLUSHALL"], ["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["SET", "s", "x"],
                ["BZPOPMIN", "z", "0"], ["BZPOPMAX", "missing", "z", "1"], ["BZMPOP", "1", "1", "z", "MAX"],
                ["BZPOPMIN", "s", "z", "0"], ["BZPOPMIN", "z", "-1"], ["BZPOPMIN", "z", "abc"],
                ["BZMPOP", "0", "0", "z", "MIN"], ["BZMPOP", "0", "1", "z", "SIDE"], ["BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"],
                ["BZMPOP", "x", "1", "z", "MIN"], ["BZPOPMIN", "empty", "0.01"], ["BZMPOP", "0.01", "1", "empty", "MIN"],
                ["MULTI"], ["BZPOPMIN", "empty", "0"], ["BZMPOP", "0", "1", "empty", "MAX"], ["EXEC"],
                ["EXISTS", "z"],
            ] {
                replies.append(try await client.command(request))
            }
            try await client.send(TestClient.encode(["HELLO", "3"]))
            _ = try await client.readReply()
            for request in [["ZADD", "r", "1.5", "m"], ["BZPOPMIN", "r", "0"], ["BZPOPMAX", "r", "0.01"]] {
                replies.append(try await client.command(request))
            }
            await client.close()
            return replies
        }
    }
}
