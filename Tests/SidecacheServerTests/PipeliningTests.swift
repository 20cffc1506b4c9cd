import NIOCore
import SidecacheRESP
import Testing

@Suite struct PipeliningTests {
    @Test func tenThousandRequestsInOneWriteAreAnsweredInOrder() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            let count = 10_000
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count * 24)
            for i in 0..<count {
                bytes += i % 2 == 0 ? TestClient.encode(["PING"]) : TestClient.encode(["ECHO", "\(i)"])
            }
            try await client.send(bytes)
            for i in 0..<count {
                let reply = try await client.readReply()
                let expected: RESPValue = i % 2 == 0 ? .simple("PONG") : .bulk("\(i)")
                guard reply == expected else {
                    Issue.record("reply \(i): expected \(expected.debugText), got \(reply.debugText)")
                    return
                }
            }
            #expect(client.pendingBytes == 0)
            // Still usable afterwards.
            #expect(try await client.command("PING") == .simple("PONG"))
        }
    }

    @Test func inlineAndMultibulkMixedInOneWrite() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send("PING\r\nECHO hello\r\n*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\nPING x\n")
            let replies = try await client.readReplies(4)
            #expect(replies == [.simple("PONG"), .bulk("hello"), .bulk("abc"), .bulk("x")])
        }
    }
}
