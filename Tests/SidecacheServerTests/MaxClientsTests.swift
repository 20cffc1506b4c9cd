import NIOCore
import SidecacheRESP
import Testing

@Suite struct MaxClientsTests {
    @Test func fourthConnectionIsRejectedUntilOneCloses() async throws {
        try await withTestServer({ $0.server.maxClients = 3 }) { server in
            var clients: [TestClient] = []
            for _ in 0..<3 {
                let client = try await server.connect()
                #expect(try await client.command("PING") == .simple("PONG"))
                clients.append(client)
            }
            let fourth = try await server.connect()
            #expect(try await fourth.readReply() == .error("ERR max number of clients reached"))
            #expect(try await fourth.waitForClose())

            await clients.removeFirst().close()
            // The server notices the close asynchronously: retry briefly.
            var accepted = false
            let deadline = ContinuousClock.now + .seconds(3)
            while !accepted && ContinuousClock.now < deadline {
                let client = try await server.connect()
                let reply = try await client.command("PING")
                if reply == .simple("PONG") {
                    accepted = true
                    clients.append(client)
                } else {
                    #expect(reply == .error("ERR max number of clients reached"))
                    await client.close()
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            #expect(accepted)
            for client in clients { await client.close() }
        }
    }
}
