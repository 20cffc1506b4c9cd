import NIOCore
import SidecacheUpstream
import Testing

/// `ClusterRedirect.parse` on the error lines Redis 7 sends; `LiveClusterTests` reads real ones.
struct ClusterRedirectTests {
    static let sender = UpstreamAddress(host: "10.0.0.9", port: 7000)

    @Test(arguments: [
        ("-MOVED 3999 127.0.0.1:6381\r\n", ClusterRedirect.moved(slot: 3999, address: UpstreamAddress(host: "127.0.0.1", port: 6381))),
        ("MOVED 3999 127.0.0.1:6381", .moved(slot: 3999, address: UpstreamAddress(host: "127.0.0.1", port: 6381))),
        ("-ASK 3999 127.0.0.1:6381\r\n", .ask(slot: 3999, address: UpstreamAddress(host: "127.0.0.1", port: 6381))),
        ("-MOVED 0 redis-2.cache.internal:6379", .moved(slot: 0, address: UpstreamAddress(host: "redis-2.cache.internal", port: 6379))),
        ("-ASK 16383 redis-2:7001", .ask(slot: 16383, address: UpstreamAddress(host: "redis-2", port: 7001))),
        // Empty endpoint: the host the command went to.
        ("-MOVED 3999 :6380\r\n", .moved(slot: 3999, address: UpstreamAddress(host: "10.0.0.9", port: 6380))),
        ("-ASK 12 :6380", .ask(slot: 12, address: UpstreamAddress(host: "10.0.0.9", port: 6380))),
        // IPv6, as Redis writes it (no brackets), and bracketed.
        ("-MOVED 5 ::1:7002", .moved(slot: 5, address: UpstreamAddress(host: "::1", port: 7002))),
        ("-MOVED 5 [fe80::1]:7002", .moved(slot: 5, address: UpstreamAddress(host: "fe80::1", port: 7002))),
    ])
    func redirects(line: String, expected: ClusterRedirect) {
        #expect(ClusterRedirect.parse(errorLine: line, sentTo: Self.sender) == expected)
        #expect(ClusterRedirect.parse(errorLine: ByteBuffer(string: line), sentTo: Self.sender) == expected)
    }

    @Test(arguments: [
        "-ERR unknown command", "-MOVED", "-MOVED 3999", "-MOVED 3999 127.0.0.1", "-MOVED 16384 127.0.0.1:6381",
        "-MOVED -1 127.0.0.1:6381", "-MOVED x 127.0.0.1:6381", "-MOVED 3999 127.0.0.1:0", "-MOVED 3999 127.0.0.1:65536",
        "-MOVED 3999 127.0.0.1:", "-MOVED 3999 ?:6380", "-moved 3999 127.0.0.1:6381", "-ASKING", "-TRYAGAIN Multiple keys",
        "-MOVED  3999 127.0.0.1:6381", "-MOVED 3999 a b:6381", "", "-",
    ])
    func notRedirects(line: String) {
        #expect(ClusterRedirect.parse(errorLine: line, sentTo: Self.sender) == nil)
    }

    @Test func accessors() {
        let redirect = ClusterRedirect.ask(slot: 7, address: Self.sender)
        #expect(redirect.slot == 7)
        #expect(redirect.address == Self.sender)
    }
}
