import SidecacheConfig
import SidecacheRESP
import Testing

/// `client-output-buffer-limit`: a client that does not read what it is sent is disconnected
/// before its backlog can exhaust the server's memory; the parameter reads and changes as in
/// redis-server.
@Suite("Output buffer limits")
struct OutputBufferLimitTests {
    /// 64 MB published at a subscriber that never reads, with a 1 MB hard pubsub limit: the
    /// subscriber is closed, counted, and the process does not grow by anything like 64 MB.
    @Test func subscriberThatNeverReadsIsDisconnectedAtItsLimit() async throws {
        try await withTestServer({
            $0.limits.clientOutputBufferLimits.pubsub = OutputBufferLimit(hardBytes: 1 << 20, softBytes: 0, softSeconds: 0)
        }) { server in
            let subscriber = try RawSocket(port: server.port, receiveBuffer: 16 * 1024)
            defer { subscriber.close() }
            try subscriber.send("SUBSCRIBE news\r\n")
            let publisher = try await server.connect()
            #expect(try await PubSubTests.eventually {
                try await publisher.command("PUBSUB", "NUMSUB", "news") == .array([.bulk("news"), .integer(1)])
            })
            // The process's resident size is no measure here (other suites run in the same
            // process): the subscriber must be gone long before 64 MB were published, i.e. its
            // backlog never held much more than its limit plus what the kernel buffers.
            let payload = String(repeating: "x", count: 256 * 1024)
            var firstUnreceived: Int?
            for index in 0..<256 {
                let receivers = try await publisher.command("PUBLISH", "news", payload)
                if receivers == .integer(0), firstUnreceived == nil { firstUnreceived = index }
            }
            #expect(firstUnreceived != nil && firstUnreceived! < 64, "still subscribed after \(firstUnreceived ?? 256) messages of 256 KB")
            #expect(try await PubSubTests.eventually {
                try await publisher.command("PUBSUB", "NUMSUB", "news") == .array([.bulk("news"), .integer(0)])
            })
            #expect(try await publisher.command("PUBLISH", "news", "after") == .integer(0))
            let stats = try await publisher.command("INFO", "stats").debugText
            #expect(stats.contains("client_output_buffer_limit_disconnections:1\r\n"))
            #expect(try await publisher.command("PING") == .simple("PONG"))
            await publisher.close()
        }
    }

    /// A subscriber under its limits is left alone; CONFIG SET lowers the limit of a subscriber
    /// that is already connected and silent.
    @Test func configSetLimitReachesASubscriberAlreadyConnected() async throws {
        try await withTestServer { server in
            let subscriber = try RawSocket(port: server.port, receiveBuffer: 16 * 1024)
            defer { subscriber.close() }
            try subscriber.send("SUBSCRIBE news\r\n")
            let publisher = try await server.connect()
            #expect(try await PubSubTests.eventually {
                try await publisher.command("PUBSUB", "NUMSUB", "news") == .array([.bulk("news"), .integer(1)])
            })
            // Under Redis's default pubsub limit (32mb 8mb 60) 4 MB are merely queued.
            let payload = String(repeating: "y", count: 64 * 1024)
            for _ in 0..<64 { #expect(try await publisher.command("PUBLISH", "news", payload) == .integer(1)) }
            #expect(try await publisher.command("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0") == .simple("OK"))
            for _ in 0..<64 { _ = try await publisher.command("PUBLISH", "news", payload) }
            #expect(try await PubSubTests.eventually {
                try await publisher.command("PUBSUB", "NUMSUB", "news") == .array([.bulk("news"), .integer(0)])
            })
            await publisher.close()
        }
    }

    /// CONFIG GET / SET client-output-buffer-limit (and loglevel), replies and errors byte for
    /// byte against redis-server.
    @Test(.enabled(if: RedisServerProcess.isAvailable))
    func configGetAndSetMatchRedis() async throws {
        let name = "client-output-buffer-limit"
        let cases: [RawCase] = [
            RawCase("CONFIG", "GET", name),
            RawCase("CONFIG", "SET", name, "pubsub 1mb 512kb 10"),
            RawCase("CONFIG", "GET", name),
            RawCase("CONFIG", "SET", name, "replica 1gb 0 0 normal 1 2 3"),
            RawCase("CONFIG", "GET", name),
            RawCase("CONFIG", "SET", name, "SLAVE 1k 2KB 3 Normal 0 0 0"),
            RawCase("CONFIG", "GET", "client-output-*"),
            RawCase("CONFIG", "SET", name, ""),
            RawCase("CONFIG", "SET", name, "wrong number"),
            RawCase("CONFIG", "SET", name, "normal 1 2"),
            RawCase("CONFIG", "SET", name, "invalid_class 10mb 10mb 60"),
            RawCase("CONFIG", "SET", name, "master 10mb 10mb 60"),
            RawCase("CONFIG", "SET", name, "normal 10mbs 10mb 60"),
            RawCase("CONFIG", "SET", name, "normal 1 2 -1"),
            RawCase("CONFIG", "SET", name, "normal -1 2 3"),
            RawCase("CONFIG", "SET", name, "normal 1 2 x"),
            RawCase("CONFIG", "SET", name, "pubsub 5 5 5 normal 1 2 x"),
            RawCase("CONFIG", "GET", name),
            RawCase("CONFIG", "SET", name, "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
            RawCase("CONFIG", "GET", name),
            RawCase("CONFIG", "SET", "loglevel", "verbose"),
            RawCase("CONFIG", "GET", "loglevel"),
            RawCase("CONFIG", "SET", "loglevel", "nothing"),
            RawCase("CONFIG", "SET", "loglevel", "info"),
            RawCase("CONFIG", "SET", "loglevel", "WARNING"),
            RawCase("CONFIG", "GET", "loglevel"),
            RawCase("CONFIG", "SET", "maxclients", "0"),
            RawCase("CONFIG", "SET", "maxclients", "abc"),
            RawCase("CONFIG", "SET", "timeout", "-1"),
        ]
        try await RawDifferential.compare(cases, label: "client-output-buffer-limit")
    }
}
