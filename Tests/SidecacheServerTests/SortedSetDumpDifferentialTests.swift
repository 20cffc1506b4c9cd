import NIOCore
import SidecacheRESP
import Testing

/// DUMP and RESTORE of sorted sets between redis-server 7.0.15 and Sidecache, both ways:
/// listpack-sized sets, sets just past the listpack limits (129 members, a 65-byte member)
/// and a large skip list. The payloads are the same bytes on both servers, and a payload
/// restored on the other server reads back the same members, scores and encoding.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct SortedSetDumpDifferentialTests {
    /// `ZADD key` with `count` members of every score kind (integral, fractional, huge, infinite).
    static func fill(_ key: String, count: Int, memberLength: Int = 0) -> [[UInt8]] {
        var arguments = [Array("ZADD".utf8), Array(key.utf8)]
        let scores = ["1", "-2", "0.5", "1e300", "-inf", "inf", "123456789012", "3.25"]
        for index in 0..<count {
            arguments.append(Array(scores[index % scores.count].utf8))
            let member = "member:\(index):" + String(repeating: "x", count: max(0, memberLength - 9))
            arguments.append(Array(member.utf8))
        }
        return arguments
    }

    /// The bytes of a bulk-string reply.
    static func bulk(_ reply: [UInt8]) -> [UInt8]? {
        guard reply.first == UInt8(ascii: "$"), let lineEnd = reply.firstIndex(of: 0x0D),
            let length = Int(String(decoding: reply[1..<lineEnd], as: UTF8.self)), length >= 0
        else { return nil }
        return Array(reply[(lineEnd + 2)..<(lineEnd + 2 + length)])
    }

    @Test(arguments: [(1, 0), (10, 0), (128, 0), (129, 0), (3, 65), (2000, 0)])
    func payloadsTravelBothWays(count: Int, memberLength: Int) async throws {
        try await withRedisServer { redis in
            try await withTestServer { sidecache in
                let reference = try await TestClient.connect(port: redis.port)
                let subject = try await sidecache.connect()
                do {
                    try await Self.exchange(count: count, memberLength: memberLength, reference: reference, subject: subject)
                } catch {
                    await reference.close()
                    await subject.close()
                    throw error
                }
                await reference.close()
                await subject.close()
            }
        }
    }

    /// Fills both servers alike, compares their DUMPs, and RESTOREs each payload on the other.
    static func exchange(count: Int, memberLength: Int, reference: TestClient, subject: TestClient) async throws {
        let fill = Self.fill("z", count: count, memberLength: memberLength)
        let read: [[UInt8]] = ["ZRANGE", "z", "0", "-1", "WITHSCORES"].map { Array($0.utf8) }
        var payloads: [[UInt8]] = []
        var contents: [[UInt8]] = []
        for client in [reference, subject] {
            _ = try await client.pipelineRaw([fill])
            let dump = try await client.pipelineRaw([[Array("DUMP".utf8), Array("z".utf8)]])[0]
            payloads.append(try #require(Self.bulk(dump)))
            contents.append(try await client.pipelineRaw([read])[0])
        }
        #expect(payloads[0] == payloads[1], "DUMP payloads differ for \(count) members")
        #expect(contents[0] == contents[1])
        for (client, payload) in [(subject, payloads[0]), (reference, payloads[1])] {
            let restore = [Array("RESTORE".utf8), Array("copy".utf8), Array("0".utf8), payload, Array("REPLACE".utf8)]
            let replies = try await client.pipelineRaw([
                restore, read.map { $0 == Array("z".utf8) ? Array("copy".utf8) : $0 },
                [Array("OBJECT".utf8), Array("ENCODING".utf8), Array("copy".utf8)],
                [Array("OBJECT".utf8), Array("ENCODING".utf8), Array("z".utf8)],
            ])
            #expect(replies[0] == Array("+OK\r\n".utf8))
            #expect(replies[1] == contents[0])
            #expect(replies[2] == replies[3])
        }
    }
}
