import SidecacheUpstream
import Testing

@Suite struct UpstreamAddressTests {
    @Test func parsesHostAndPort() {
        #expect(UpstreamAddress(parsing: "127.0.0.1:7001") == UpstreamAddress(host: "127.0.0.1", port: 7001))
        #expect(UpstreamAddress(parsing: "redis.internal") == UpstreamAddress(host: "redis.internal", port: 6379))
        #expect(UpstreamAddress(parsing: "[::1]:6380") == UpstreamAddress(host: "::1", port: 6380))
        #expect(UpstreamAddress(parsing: "[::1]:6380")?.description == "[::1]:6380")
    }

    @Test func rejectsBadPorts() {
        #expect(UpstreamAddress(parsing: "host:0") == nil)
        #expect(UpstreamAddress(parsing: "host:65536") == nil)
        #expect(UpstreamAddress(parsing: "host:http") == nil)
        #expect(UpstreamAddress(parsing: ":6379") == nil)
        #expect(UpstreamAddress(parsing: "[::1") == nil)
    }
}
