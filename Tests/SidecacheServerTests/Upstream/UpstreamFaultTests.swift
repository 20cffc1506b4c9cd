import SidecacheRESP
import Testing

/// An upstream that is down, stopped (SIGSTOP) or killed: every request gets an error within
/// its timeout, local commands keep working, and forwarding recovers by itself.
@Suite(.enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct UpstreamFaultTests {
    @Test func downUpstreamIsEjectedThenProbedBackIn() async throws {
        let port = try await RedisServerProcess.freePort()
        try await withForwardingServer(upstreamPort: port, { upstream in
            upstream.failureLimit = 2
            upstream.retryTimeoutMilliseconds = 200
            upstream.healthCheckIntervalMilliseconds = 50
        }) { sidecache in
            let client = try await sidecache.connect()
            let first = try #require(try await client.command("GET", "k").errorText)
            #expect(first == "ERR upstream 127.0.0.1:\(port) unavailable: connection refused")
            #expect(try await client.command("PING") == .simple("PONG"))
            _ = try await client.command("GET", "k")
            let ejected = try #require(try await client.command("GET", "k").errorText)
            #expect(ejected.contains("is ejected after 2 consecutive failures"))
            let info = try #require(try await client.command("INFO", "upstream").text)
            #expect(info.contains("upstream_mode:single\r\n"))
            #expect(info.contains("upstream_nodes_ejected:1\r\n"))
            #expect(info.contains("node0:address=127.0.0.1:\(port),status=ejected,"))
            let redis = try await RedisServerProcess.start(port: port)
            defer { redis.stop() }
            #expect(try await commandUntilAnswered(client, ["SET", "k", "back"]) == .simple("OK"))
            #expect(try await client.command("GET", "k") == .bulk("back"))
            #expect(try await client.command("INFO", "upstream").text?.contains("status=ok") == true)
            await client.close()
        }
    }

    @Test func stoppedUpstreamTimesOutAndRecovers() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port, { upstream in
                upstream.commandTimeoutMilliseconds = 300
                upstream.failureLimit = 1
                upstream.retryTimeoutMilliseconds = 100
                upstream.healthCheckIntervalMilliseconds = 50
            }) { sidecache in
                let client = try await sidecache.connect()
                #expect(try await client.command("SET", "k", "1") == .simple("OK"))
                redis.pause()
                defer { redis.resume() }
                let timedOut = try #require(try await client.command("GET", "k").errorText)
                #expect(timedOut == "ERR upstream 127.0.0.1:\(redis.port) timed out after 300 ms")
                #expect(try await client.command("ECHO", "still here") == .bulk("still here"))
                redis.resume()
                #expect(try await commandUntilAnswered(client, ["GET", "k"]) == .bulk("1"))
                await client.close()
            }
        }
    }

    @Test func killedUpstreamIsReconnectedWhenItReturns() async throws {
        let first = try await RedisServerProcess.start()
        let port = first.port
        try await withForwardingServer(upstreamPort: port, { upstream in
            upstream.retryTimeoutMilliseconds = 100
            upstream.healthCheckIntervalMilliseconds = 50
        }) { sidecache in
            let client = try await sidecache.connect()
            #expect(try await client.command("SET", "k", "1") == .simple("OK"))
            first.stop()
            #expect(try await client.command("GET", "k").errorText?.hasPrefix("ERR upstream 127.0.0.1:\(port)") == true)
            let second = try await RedisServerProcess.start(port: port)
            defer { second.stop() }
            // A new server, empty: the reply comes from it.
            #expect(try await commandUntilAnswered(client, ["GET", "k"]) == .bulkString(nil))
            await client.close()
        }
    }

    @Test func requestsBeyondMaxInFlightAreRefused() async throws {
        try await withRedisServer { redis in
            try await withForwardingServer(upstreamPort: redis.port, { upstream in
                upstream.maxInFlight = 4
                upstream.commandTimeoutMilliseconds = 500
            }) { sidecache in
                let client = try await sidecache.connect()
                #expect(try await client.command("SET", "k", "1") == .simple("OK"))
                redis.pause()
                defer { redis.resume() }
                try await client.send((0..<10).flatMap { _ in TestClient.encode(["GET", "k"]) })
                let replies = try await client.readReplies(10)
                let refused = replies.filter { $0.errorText?.contains("max_in_flight") == true }
                let timedOut = replies.filter { $0.errorText?.contains("timed out") == true }
                #expect(refused.count == 6)
                #expect(timedOut.count == 4)
                await client.close()
            }
        }
    }

    @Test func aTransactionWhoseConnectionIsLostIsDiscarded() async throws {
        let first = try await RedisServerProcess.start()
        let port = first.port
        try await withForwardingServer(upstreamPort: port, { upstream in
            upstream.retryTimeoutMilliseconds = 100
            upstream.healthCheckIntervalMilliseconds = 50
        }) { sidecache in
            let client = try await sidecache.connect()
            #expect(try await client.command("MULTI") == .simple("OK"))
            #expect(try await client.command("SET", "k", "queued") == .simple("QUEUED"))
            first.stop()
            let second = try await RedisServerProcess.start(port: port)
            defer { second.stop() }
            // The new server knows nothing of the MULTI: nothing may run there as if it did.
            #expect(try await client.command("SET", "other", "1").errorText?.hasPrefix("ERR upstream") == true)
            #expect(try await client.command("GET", "k").errorText?.contains("transaction was lost") == true)
            #expect(
                try await client.command("EXEC").errorText == "EXECABORT Transaction discarded because the upstream connection was lost"
            )
            #expect(try await commandUntilAnswered(client, ["GET", "k"]) == .bulkString(nil))
            #expect(try await client.command("GET", "other") == .bulkString(nil))
            // A new transaction gets a new connection of its own.
            #expect(try await client.command("MULTI") == .simple("OK"))
            #expect(try await client.command("SET", "k", "v") == .simple("QUEUED"))
            #expect(try await client.command("EXEC") == .array([.simple("OK")]))
            await client.close()
        }
    }
}
