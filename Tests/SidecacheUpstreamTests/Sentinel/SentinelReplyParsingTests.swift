import SidecacheRESP
import Testing

@testable import SidecacheUpstream

/// A sentinel's replies, and ROLE's, read without a socket.
struct SentinelReplyParsingTests {
    @Test func parsesTheSentinelsAnswer() {
        typealias Monitor = SentinelMonitor
        #expect(
            Monitor.primaryAddress(from: .array([.bulk("127.0.0.1"), .bulk("6380")]))
                == .address(UpstreamAddress(host: "127.0.0.1", port: 6380)))
        #expect(Monitor.primaryAddress(from: .array(nil)) == .problem(.unknownMaster))
        #expect(Monitor.primaryAddress(from: .null) == .problem(.unknownMaster))
        #expect(
            Monitor.primaryAddress(from: .error("NOAUTH Authentication required."))
                == .problem(.failed("replied NOAUTH Authentication required.")))
        guard case .problem(.badReply) = Monitor.primaryAddress(from: .array([.bulk("127.0.0.1"), .bulk("x")])) else {
            Issue.record("a non-numeric port is a bad reply")
            return
        }
    }

    @Test func checksTheRole() {
        #expect(SentinelMonitor.roleProblem(from: .array([.bulk("master"), .integer(0), .array([])])) == nil)
        #expect(SentinelMonitor.roleProblem(from: .array([.bulk("slave"), .bulk("127.0.0.1"), .integer(6379)])) == "ROLE says slave")
        #expect(
            SentinelMonitor.roleProblem(from: .error("NOAUTH Authentication required.")) == "ROLE failed: NOAUTH Authentication required.")
    }
}
