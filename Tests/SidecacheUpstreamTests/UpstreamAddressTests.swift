import SidecacheUpstream
import Testing

@Suite struct UpstreamAddressTests {
    @Test func describesItselfAsHostAndPort() {
        #expect(UpstreamAddress(host: "127.0.0.1", port: 7001).description == "127.0.0.1:7001")
        #expect(UpstreamAddress(host: "::1", port: 6380).description == "[::1]:6380")
    }
}
