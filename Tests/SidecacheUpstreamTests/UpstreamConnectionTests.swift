import NIOCore
import NIOPosix
import SidecacheRESP
import SidecacheUpstream
import Testing

/// `UpstreamConnection` against a real redis-server: parsed control requests, and the
/// failure of a node that is not there.
@Suite(.enabled(if: ShardServers.available, "needs redis-server"))
struct UpstreamConnectionTests {
    private func connection(port: Int, timeout: Int = 1000) -> UpstreamConnection {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let address = UpstreamAddress(host: "127.0.0.1", port: port)
        return UpstreamConnection(
            eventLoop: eventLoop,
            settings: UpstreamConnectionSettings(address: address, commandTimeoutMilliseconds: timeout),
            health: UpstreamNodeHealth(address: address, failureLimit: 3, retryTimeoutMilliseconds: 1000)
        )
    }

    @Test func controlRequestsGetParsedReplies() async throws {
        let (redis, port) = try await ShardServers.startRedis()
        defer { redis.stop() }
        let upstream = connection(port: port)
        let pong = try await upstream.eventLoop.flatSubmit { upstream.request(["PING"]) }.get()
        #expect(pong == .simple("PONG"))
        let error = try await upstream.eventLoop.flatSubmit { upstream.request(["GET"]) }.get()
        #expect(error == .error("ERR wrong number of arguments for 'get' command"))
        try await upstream.eventLoop.submit { upstream.close() }.get()
    }

    @Test func anAbsentNodeFailsTheRequest() async throws {
        let refusing = try RefusingPort()
        defer { refusing.release() }
        let upstream = connection(port: refusing.port)
        await #expect(throws: UpstreamFailure.self) {
            _ = try await upstream.eventLoop.flatSubmit { upstream.request(["PING"]) }.get()
        }
        #expect(upstream.health.snapshot.consecutiveFailures == 1)
    }
}
