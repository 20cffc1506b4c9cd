import SidecacheConfig
import SidecacheRESP

/// Runs `body` against a Sidecache that forwards to one upstream on `port`, with
/// `configure` applied on top of the single-server settings.
func withForwardingServer<T>(
    upstreamPort port: Int,
    _ configure: (inout UpstreamConfiguration) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    try await withTestServer({ configuration in
        configuration.upstream.mode = .single
        configuration.upstream.nodes = [UpstreamNodeConfiguration(host: "127.0.0.1", port: port)]
        configure(&configuration.upstream)
    }, body)
}

extension RESPValue {
    /// The text of an error reply; `nil` for any other reply.
    var errorText: String? {
        if case .simpleError(let buffer) = self { return String(buffer: buffer) }
        return nil
    }
}

/// Sends `arguments` until the reply is not an error (the upstream is back), at most for
/// `seconds`; returns the last reply.
func commandUntilAnswered(_ client: TestClient, _ arguments: [String], seconds: Int = 10) async throws -> RESPValue {
    let deadline = ContinuousClock.now + .seconds(seconds)
    var reply = try await client.command(arguments)
    while reply.errorText != nil && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
        reply = try await client.command(arguments)
    }
    return reply
}
