import NIOCore
import NIOPosix
import SidecacheRESP
import Testing

/// Pub/sub across connections on different event loops (a server with two loops: consecutive
/// connections alternate between them): delivery, counts, order, cleanup, and what only
/// Sidecache can promise (Redis leaves some orders to its hash tables).
@Suite struct PubSubTests {
    static func message(_ channel: String, _ payload: String) -> RESPValue {
        .array([.bulk("message"), .bulk(channel), .bulk(payload)])
    }

    static func pmessage(_ pattern: String, _ channel: String, _ payload: String) -> RESPValue {
        .array([.bulk("pmessage"), .bulk(pattern), .bulk(channel), .bulk(payload)])
    }

    static func confirmation(_ kind: String, _ name: String, _ count: Int64) -> RESPValue {
        .array([.bulk(kind), .bulk(name), .integer(count)])
    }

    /// Waits (bounded) until `condition` holds, for state that other event loops update.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test func publishFansOutToSubscribersOnEveryLoopInOrder() async throws {
        try await withTwoLoopServer { server in
            var subscribers: [TestClient] = []
            for index in 0..<6 {
                let client = try await server.connect()
                let kind = index % 3
                switch kind {
                case 0: #expect(try await client.command("SUBSCRIBE", "feed") == Self.confirmation("subscribe", "feed", 1))
                case 1: #expect(try await client.command("PSUBSCRIBE", "f*d") == Self.confirmation("psubscribe", "f*d", 1))
                default: #expect(try await client.command("SSUBSCRIBE", "feed") == Self.confirmation("ssubscribe", "feed", 1))
                }
                subscribers.append(client)
            }
            let publisher = try await server.connect()
            let everyone = subscribers + [publisher]
            defer { Task { for client in everyone { await client.close() } } }
            let count = 200
            let requests = (0..<count).flatMap { [["PUBLISH", "feed", "m\($0)"], ["SPUBLISH", "feed", "s\($0)"]] }
            try await publisher.send(requests.flatMap(TestClient.encode))
            // PUBLISH: two channel and two pattern subscribers; SPUBLISH: the two shard subscribers.
            #expect(try await publisher.readReplies(2 * count) == (0..<count).flatMap { _ in [.integer(4), .integer(2)] })
            for (index, subscriber) in subscribers.enumerated() {
                let received = try await subscriber.readReplies(count)
                let expected: [RESPValue] = (0..<count).map { number in
                    switch index % 3 {
                    case 0: Self.message("feed", "m\(number)")
                    case 1: Self.pmessage("f*d", "feed", "m\(number)")
                    default: .array([.bulk("smessage"), .bulk("feed"), .bulk("s\(number)")])
                    }
                }
                #expect(received == expected, "subscriber \(index)")
            }
        }
    }

    /// Two publishers on different loops at once: each subscriber gets every message, each
    /// publisher's in the order it sent them.
    @Test func concurrentPublishersKeepTheirOwnOrder() async throws {
        try await withTwoLoopServer { server in
            var subscribers: [TestClient] = []
            for _ in 0..<4 {
                let client = try await server.connect()
                _ = try await client.command("SUBSCRIBE", "race")
                subscribers.append(client)
            }
            let publishers = [try await server.connect(), try await server.connect()]
            let everyone = subscribers + publishers
            defer { Task { for client in everyone { await client.close() } } }
            let count = 300
            for (index, publisher) in publishers.enumerated() {
                try await publisher.send((0..<count).flatMap { TestClient.encode(["PUBLISH", "race", "p\(index)-\($0)"]) })
            }
            for publisher in publishers {
                #expect(try await publisher.readReplies(count).allSatisfy { $0 == .integer(4) })
            }
            for subscriber in subscribers {
                let payloads = try await subscriber.readReplies(2 * count).compactMap { $0.elements?.last?.text }
                for index in 0..<2 {
                    let mine = payloads.filter { $0.hasPrefix("p\(index)-") }
                    #expect(mine == (0..<count).map { "p\(index)-\($0)" })
                }
            }
        }
    }

    /// A subscriber that never reads does not hold the publisher back.
    @Test func slowSubscriberDoesNotBlockThePublisher() async throws {
        try await withTwoLoopServer { server in
            let stalled = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.autoRead, value: false)
                .connect(host: "127.0.0.1", port: server.port).get()
            try await stalled.writeAndFlush(ByteBuffer(bytes: TestClient.encode(["SUBSCRIBE", "firehose"])))
            let publisher = try await server.connect()
            defer { Task { await publisher.close(); try? await stalled.close() } }
            #expect(try await Self.eventually {
                try await publisher.command("PUBSUB", "NUMSUB", "firehose").elements?.last == .integer(1)
            })
            // 16 MB: more than the loopback socket buffers of both ends hold.
            let payload = String(repeating: "x", count: 16 * 1024)
            let count = 1000
            try await publisher.send((0..<count).flatMap { _ in TestClient.encode(["PUBLISH", "firehose", payload]) })
            #expect(try await publisher.readReplies(count, timeout: .seconds(30)).allSatisfy { $0 == .integer(1) })
            #expect(try await publisher.command("PING") == .simple("PONG"))
        }
    }

    /// A closed connection's subscriptions disappear; PUBLISH then counts nobody.
    @Test func disconnectRemovesEverySubscription() async throws {
        try await withTwoLoopServer { server in
            let subscriber = try await server.connect()
            let observer = try await server.connect()
            defer { Task { await observer.close() } }
            _ = try await subscriber.command("SUBSCRIBE", "a", "b")
            _ = try await subscriber.readReply()
            _ = try await subscriber.command("PSUBSCRIBE", "a*")
            _ = try await subscriber.command("SSUBSCRIBE", "s")
            #expect(try await observer.command("PUBLISH", "a", "x") == .integer(2))
            #expect(try await observer.command("SPUBLISH", "s", "x") == .integer(1))
            await subscriber.close()
            #expect(try await Self.eventually { try await observer.command("PUBLISH", "a", "x") == .integer(0) })
            #expect(try await observer.command("SPUBLISH", "s", "x") == .integer(0))
            #expect(try await observer.command("PUBSUB", "NUMPAT") == .integer(0))
            #expect(try await observer.command("PUBSUB", "CHANNELS") == .array([]))
            #expect(try await observer.command("PUBSUB", "SHARDCHANNELS") == .array([]))
        }
    }

    /// UNSUBSCRIBE without arguments confirms in subscription order (Redis: hash-table order).
    @Test func unsubscribeAllFollowsSubscriptionOrder() async throws {
        try await withTestServer { server in
            let client = try await server.connect()
            defer { Task { await client.close() } }
            try await client.send(TestClient.encode(["SUBSCRIBE", "c3", "c1", "c2"]) + TestClient.encode(["UNSUBSCRIBE"]))
            #expect(try await client.readReplies(6) == [
                Self.confirmation("subscribe", "c3", 1), Self.confirmation("subscribe", "c1", 2),
                Self.confirmation("subscribe", "c2", 3), Self.confirmation("unsubscribe", "c3", 2),
                Self.confirmation("unsubscribe", "c1", 1), Self.confirmation("unsubscribe", "c2", 0),
            ])
            #expect(try await client.command("GET", "k") == .bulkString(nil))
        }
    }

    /// PUBSUB CHANNELS / SHARDCHANNELS list every active name once (order aside), and INFO
    /// and CLIENT LIST show the subscriptions.
    @Test func introspectionSeesEverySubscription() async throws {
        try await withTwoLoopServer { server in
            let first = try await server.connect()
            let second = try await server.connect()
            let observer = try await server.connect()
            defer { Task { for client in [first, second, observer] { await client.close() } } }
            try await first.send(TestClient.encode(["SUBSCRIBE", "news.a", "news.b", "sport"]))
            _ = try await first.readReplies(3)
            try await second.send(TestClient.encode(["SUBSCRIBE", "news.a", "weather"]) + TestClient.encode(["PSUBSCRIBE", "news.*"])
                + TestClient.encode(["SSUBSCRIBE", "shard1", "shard2"]))
            _ = try await second.readReplies(5)
            func names(_ arguments: String...) async throws -> Set<String> {
                Set(try await observer.command(arguments).elements?.compactMap(\.text) ?? [])
            }
            #expect(try await names("PUBSUB", "CHANNELS") == ["news.a", "news.b", "sport", "weather"])
            #expect(try await names("PUBSUB", "CHANNELS", "news.*") == ["news.a", "news.b"])
            #expect(try await names("PUBSUB", "SHARDCHANNELS") == ["shard1", "shard2"])
            #expect(try await observer.command("PUBSUB", "NUMSUB", "news.a", "sport") == .array([
                .bulk("news.a"), .integer(2), .bulk("sport"), .integer(1),
            ]))
            #expect(try await observer.command("PUBLISH", "news.a", "x") == .integer(3))
            let stats = try #require(try await observer.command("INFO", "stats").text)
            #expect(stats.contains("pubsub_channels:4\r\n"))
            #expect(stats.contains("pubsub_patterns:1\r\n"))
            #expect(stats.contains("pubsubshard_channels:2\r\n"))
            // Sessions publish what CLIENT LIST shows when a read completes: wait for it.
            var line = ""
            #expect(try await Self.eventually {
                line = try await observer.command("CLIENT", "LIST", "TYPE", "pubsub").text ?? ""
                return line.contains("psub=1")
            })
            #expect(line.split(separator: "\n").count == 2)
            #expect(line.contains(" flags=P db=0 sub=3 psub=0 ssub=0 "), "\(line)")
            #expect(line.contains(" flags=P db=0 sub=2 psub=1 ssub=2 "), "\(line)")
            let normal = try #require(try await observer.command("CLIENT", "LIST", "TYPE", "normal").text)
            #expect(normal.split(separator: "\n").count == 1 && normal.contains(" flags=N "))
            #expect(try await observer.command("CLIENT", "KILL", "TYPE", "pubsub") == .integer(2))
        }
    }

    /// Keyspace events published on one loop reach subscribers on both, in command order.
    @Test func keyspaceEventsReachSubscribersOnEveryLoop() async throws {
        try await withTwoLoopServer({ $0.server.notifyKeyspaceEvents = "E$" }) { server in
            var subscribers: [TestClient] = []
            for _ in 0..<4 {
                let client = try await server.connect()
                _ = try await client.command("PSUBSCRIBE", "__keyevent@0__:*")
                subscribers.append(client)
            }
            let writer = try await server.connect()
            let everyone = subscribers + [writer]
            defer { Task { for client in everyone { await client.close() } } }
            #expect(try await writer.command("CONFIG", "GET", "notify-keyspace-events").elements?.last == .bulk("$E"))
            let count = 100
            try await writer.send((0..<count).flatMap { TestClient.encode(["SET", "k\($0)", "v"]) })
            _ = try await writer.readReplies(count)
            #expect(try await writer.command("INCR", "n") == .integer(1))
            for subscriber in subscribers {
                var expected = (0..<count).map { Self.pmessage("__keyevent@0__:*", "__keyevent@0__:set", "k\($0)") }
                expected.append(Self.pmessage("__keyevent@0__:*", "__keyevent@0__:incrby", "n"))
                #expect(try await subscriber.readReplies(count + 1) == expected)
            }
        }
    }

    /// A RESP3 subscriber gets push frames, between the replies of its own commands.
    @Test func resp3MessagesArePushFrames() async throws {
        try await withTwoLoopServer { server in
            let subscriber = try await server.connect()
            let publisher = try await server.connect()
            defer { Task { await subscriber.close(); await publisher.close() } }
            _ = try await subscriber.command("HELLO", "3")
            #expect(try await subscriber.command("SUBSCRIBE", "ch") == .push([.bulk("subscribe"), .bulk("ch"), .integer(1)]))
            #expect(try await publisher.command("PUBLISH", "ch", "hi") == .integer(1))
            #expect(try await subscriber.command("ECHO", "after") == .push([.bulk("message"), .bulk("ch"), .bulk("hi")]))
            #expect(try await subscriber.readReply() == .bulk("after"))
        }
    }
}
