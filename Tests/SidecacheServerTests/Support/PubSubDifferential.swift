import Testing

/// One step of a pub/sub scenario: requests pipelined on one of the scenario's connections.
struct PubSubStep: Sendable, CustomStringConvertible {
    let connection: Int
    let requests: [[[UInt8]]]
    /// Compare the frames each connection received in this step as a multiset: Redis
    /// iterates a hash table for some messages (one message per matching pattern), in an
    /// order no client can rely on.
    let unordered: Bool
    /// Sleep this long after the step (to let a short expiry pass).
    let pauseMilliseconds: Int
    /// Whether the step's frames are compared; `false` for set-up whose answers differ by
    /// nature (HELLO's client id).
    let compared: Bool

    init(
        _ connection: Int, _ requests: [String]..., unordered: Bool = false, pauseMilliseconds: Int = 0,
        compared: Bool = true
    ) {
        self.init(connection, bytes: requests.map { $0.map { Array($0.utf8) } }, unordered: unordered,
                  pauseMilliseconds: pauseMilliseconds, compared: compared)
    }

    init(
        _ connection: Int, bytes requests: [[[UInt8]]], unordered: Bool = false, pauseMilliseconds: Int = 0,
        compared: Bool = true
    ) {
        self.connection = connection
        self.requests = requests
        self.unordered = unordered
        self.pauseMilliseconds = pauseMilliseconds
        self.compared = compared
    }

    /// HELLO on `connection`, not compared (its answer carries the client id).
    static func hello(_ connection: Int, _ protocolVersion: String) -> PubSubStep {
        PubSubStep(connection, ["HELLO", protocolVersion], compared: false)
    }

    var description: String {
        "#\(connection): " + requests.map { request in
            request.map { RawDifferential.render($0, quoted: true) }.joined(separator: " ")
        }.joined(separator: "; ")
    }
}

/// Differential testing of what several connections receive, requests and pushed messages
/// alike: the same scenario runs against a real redis-server 7.0.15 and against Sidecache,
/// and every frame each connection received is compared byte for byte.
///
/// After each step, the step's connection is sent a sentinel (`PING sentinel-N`, allowed in
/// subscribed mode) and read up to its answer; only then is every other connection sent its
/// own sentinel and read likewise. So the frames a step caused on any connection (messages
/// published by it) sit before that connection's sentinel answer on both servers.
enum PubSubDifferential {
    /// Compares per step (a frame must arrive in the same step on both servers), or, with
    /// `wholeStreams`, each connection's frames of the whole scenario with the sentinel answers
    /// left out (for expiry: an active expiry cycle may publish between steps).
    static func compare(
        _ steps: [PubSubStep],
        connections: Int,
        wholeStreams: Bool = false,
        label: String
    ) async throws {
        let expected = try await withRedisServer { redis in
            try await record(steps, connections: connections, port: redis.port)
        }
        let actual = try await withTestServer { sidecache in
            try await record(steps, connections: connections, port: sidecache.port)
        }
        for connection in 0..<connections {
            if wholeStreams {
                let compared = steps.indices.filter { steps[$0].compared }
                let reference = compared.flatMap { expected[connection][$0].dropLast() }
                let subject = compared.flatMap { actual[connection][$0].dropLast() }
                let same = reference == subject
                #expect(
                    same,
                    "[\(label)] connection \(connection)\n  redis-server: \(render(reference))\n  sidecache:    \(render(subject))"
                )
                continue
            }
            for (index, step) in steps.enumerated() where step.compared {
                var reference = expected[connection][index]
                var subject = actual[connection][index]
                if step.unordered {
                    reference.sort { $0.lexicographicallyPrecedes($1) }
                    subject.sort { $0.lexicographicallyPrecedes($1) }
                }
                let same = reference == subject
                #expect(
                    same,
                    """
                    [\(label)] step \(index) \(step), connection \(connection)
                      redis-server: \(render(reference))
                      sidecache:    \(render(subject))
                    """
                )
            }
        }
    }

    /// Runs `steps` on `connections` fresh connections to `port`; per connection, per step,
    /// the frames received, the sentinel's answer last.
    static func record(_ steps: [PubSubStep], connections count: Int, port: Int) async throws -> [[[[UInt8]]]] {
        var clients: [TestClient] = []
        for _ in 0..<count { clients.append(try await TestClient.connect(port: port)) }
        defer { for client in clients { Task { await client.close() } } }
        var frames = [[[[UInt8]]]](repeating: [], count: count)
        var sentinel = 0
        func nextSentinel() -> [[UInt8]] {
            sentinel += 1
            return [Array("PING".utf8), Array("sentinel-\(sentinel)".utf8)]
        }
        for step in steps {
            let stepSentinel = nextSentinel()
            try await clients[step.connection].send((step.requests + [stepSentinel]).flatMap { TestClient.encode(bytes: $0) })
            var received = [[[UInt8]]](repeating: [], count: count)
            received[step.connection] = try await readThrough(stepSentinel[1], from: clients[step.connection])
            for other in 0..<count where other != step.connection {
                let otherSentinel = nextSentinel()
                try await clients[other].send(TestClient.encode(bytes: otherSentinel))
                received[other] = try await readThrough(otherSentinel[1], from: clients[other])
            }
            for connection in 0..<count { frames[connection].append(received[connection]) }
            if step.pauseMilliseconds > 0 { try await Task.sleep(for: .milliseconds(step.pauseMilliseconds)) }
        }
        return frames
    }

    /// Frames up to and including the answer to the PING carrying `sentinel`.
    private static func readThrough(_ sentinel: [UInt8], from client: TestClient) async throws -> [[UInt8]] {
        let ending = Array("$\(sentinel.count)\r\n".utf8) + sentinel + [0x0D, 0x0A]
        var frames: [[UInt8]] = []
        while true {
            let frame = try await client.readRawReply()
            frames.append(frame)
            // `$N\r\nsentinel-K\r\n` (or inside RESP2's subscribed-mode `pong` array).
            if frame.first != UInt8(ascii: ">") && frame.suffix(ending.count).elementsEqual(ending) { return frames }
        }
    }

    static func render(_ frames: [[UInt8]]) -> String {
        frames.map { RawDifferential.render($0) }.joined(separator: " | ")
    }
}
