import SidecacheConfig
import SidecacheRESP
import Testing

/// Runs `body` against a Sidecache in front of the redis-server on `port` with `rules`, once
/// its invalidation link is up. Without `tracking` (tests not about coherence), copies are
/// always kept: a loaded test machine's slow event loop cannot take the link down mid-test.
func withCachingServer<T>(
    upstreamPort port: Int,
    rules: [CacheRuleConfiguration],
    tracking: Bool = false,
    _ configure: (inout SidecacheConfiguration) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    try await withTestServer({ configuration in
        configuration.upstream.mode = .single
        configuration.upstream.nodes = [UpstreamNodeConfiguration(host: "127.0.0.1", port: port)]
        configuration.cache.rules = rules
        configuration.cache.tracking = tracking
        configure(&configuration)
    }) { server in
        let client = try await server.connect()
        defer { Task { await client.close() } }
        if try await cacheInfo(client)["tracking_link"] != "off" {
            #expect(try await waitForCacheInfo(client, "tracking_link", "up"))
        }
        return try await body(server)
    }
}

/// A rule for `match` with the given settings (milliseconds).
func cacheRule(
    _ match: String, mode: CacheMode = .cache, ttl: Int = 60_000, jitter: Double = 0, nullTTL: Int = 0,
    bloom: CacheBloomConfiguration? = nil, doubleDeleteDelay: Int = 0, doubleDelete: DoubleDeleteTarget = .local,
    staleIfError: Int = 0, maxValueBytes: Int = 1 << 20
) -> CacheRuleConfiguration {
    var rule = CacheRuleConfiguration()
    rule.match = match
    rule.mode = mode
    rule.ttlMilliseconds = ttl
    rule.jitter = jitter
    rule.nullTTLMilliseconds = nullTTL
    rule.bloom = bloom
    rule.doubleDeleteDelayMilliseconds = doubleDeleteDelay
    rule.doubleDelete = doubleDelete
    rule.staleIfErrorMilliseconds = staleIfError
    rule.maxValueBytes = maxValueBytes
    return rule
}

/// INFO sidecache as `field: value`, with each rule's line split into `rule0.hits` and so on.
func cacheInfo(_ client: TestClient) async throws -> [String: String] {
    let reply = try await client.command("INFO", "sidecache")
    guard case .bulkString(let buffer?) = reply else { return [:] }
    var fields: [String: String] = [:]
    for line in String(buffer: buffer).split(separator: "\r\n") where !line.hasPrefix("#") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = String(line[..<colon])
        let value = String(line[line.index(after: colon)...])
        fields[name] = value
        if name.hasPrefix("rule") {
            for pair in value.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields["\(name).\(parts[0])"] = String(parts[1]) }
            }
        }
    }
    return fields
}

/// Polls INFO sidecache until `field` is `value`, at most 10 s; returns whether it got there.
func waitForCacheInfo(_ client: TestClient, _ field: String, _ value: String) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if try await cacheInfo(client)[field] == value { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return false
}

/// Calls of `command` the upstream has run (INFO commandstats).
func upstreamCalls(_ redis: RedisServerProcess, _ command: String) async throws -> Int {
    let client = try await TestClient.connect(port: redis.port)
    defer { Task { await client.close() } }
    let reply = try await client.command("INFO", "commandstats")
    guard case .bulkString(let buffer?) = reply else { return 0 }
    for line in String(buffer: buffer).split(separator: "\r\n") where line.hasPrefix("cmdstat_\(command):calls=") {
        let value = line.dropFirst("cmdstat_\(command):calls=".count).prefix { $0.isNumber }
        return Int(value) ?? 0
    }
    return 0
}
