import NIOCore
import NIOPosix
import SidecacheRESP
import Testing

@Suite struct ShutdownTests {
    @Test func pipelinedRepliesAreDeliveredBeforeClose() async throws {
        let server = try await TestServer.start()
        var shutDown = false
        defer { if !shutDown { Task { await server.shutdown() } } }
        let client = try await server.connect()
        let count = 1_000
        var bytes: [UInt8] = []
        for _ in 0..<count { bytes += TestClient.encode(["PING"]) }
        try await client.send(bytes)
        #expect(try await client.readReply() == .simple("PONG"))
        await server.shutdown()
        shutDown = true
        var received = 1
        while received < count {
            guard let reply = try? await client.readReply() else { break }
            #expect(reply == .simple("PONG"))
            received += 1
        }
        #expect(received == count)
        #expect(try await client.waitForClose())
        await #expect(throws: (any Error).self) {
            let late = try await TestClient.connect(port: server.port)
            await late.close()
        }
    }

    @Test func idleConnectionsAreClosedOnShutdown() async throws {
        let server = try await TestServer.start()
        let a = try await server.connect()
        let b = try await server.connect()
        #expect(try await a.command("PING") == .simple("PONG"))
        #expect(try await b.command("PING") == .simple("PONG"))
        let started = ContinuousClock.now
        await server.shutdown()
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(try await a.waitForClose())
        #expect(try await b.waitForClose())
    }
}
