import NIOCore
import NIOEmbedded
import SidecacheRESP
import Testing

@testable import SidecacheUpstream

/// The subscription reader on an embedded channel: no sockets.
struct SentinelSubscriptionHandlerTests {
    private final class Recorder {
        var events: [SentinelSubscriptionEvent] = []
        var closes = 0
    }

    private func channel(opening: [[String]] = [["SUBSCRIBE", "+switch-master"]]) throws -> (EmbeddedChannel, Recorder) {
        let recorder = Recorder()
        let handler = SentinelSubscriptionHandler(
            opening: opening,
            onEvent: { recorder.events.append($0) },
            onClose: { recorder.closes += 1 }
        )
        let channel = EmbeddedChannel(handler: handler)
        return (channel, recorder)
    }

    @Test func writesTheOpeningRequestsWhenActive() throws {
        let (channel, _) = try channel(opening: [["AUTH", "secret"], ["SUBSCRIBE", "+switch-master"]])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: written) == "*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n*2\r\n$9\r\nSUBSCRIBE\r\n$14\r\n+switch-master\r\n")
        _ = try channel.finish()
    }

    @Test func turnsRepliesAndMessagesIntoEvents() throws {
        let (channel, recorder) = try channel()
        let payload = "mymaster 127.0.0.1 6379 127.0.0.1 6380"
        let bytes =
            "+OK\r\n"
            + "*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n"
            + "*3\r\n$7\r\nmessage\r\n$14\r\n+switch-master\r\n$\(payload.utf8.count)\r\n\(payload)\r\n"
            + "*2\r\n$4\r\npong\r\n$0\r\n\r\n"
            + "-NOAUTH Authentication required.\r\n"
        // Split at every byte: a reply cut anywhere waits for the rest.
        for byte in bytes.utf8 {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        #expect(
            recorder.events == [
                .other,
                .subscribed(channel: "+switch-master"),
                .message(channel: "+switch-master", payload: payload),
                .pong,
                .error("NOAUTH Authentication required."),
            ]
        )
        #expect(recorder.closes == 0)
        _ = try channel.finish()
        #expect(recorder.closes == 1)
    }

    @Test func aMalformedReplyClosesTheConnection() throws {
        let (channel, recorder) = try channel()
        try channel.writeInbound(ByteBuffer(string: "?what\r\n"))
        guard case .error(let text) = recorder.events.last else {
            Issue.record("no error event: \(recorder.events)")
            return
        }
        #expect(text.hasPrefix("malformed reply from the sentinel"))
        try channel.writeInbound(ByteBuffer(string: "+OK\r\n"))
        #expect(recorder.events.count == 1)
        #expect(!channel.isActive)
        #expect(recorder.closes == 1)
    }

    @Test func parsesSwitchMaster() {
        let change = SentinelSwitchMaster(payload: "mymaster 10.0.0.1 6379 10.0.0.2 6380")
        #expect(change?.masterName == "mymaster")
        #expect(change?.old == UpstreamAddress(host: "10.0.0.1", port: 6379))
        #expect(change?.new == UpstreamAddress(host: "10.0.0.2", port: 6380))
        #expect(SentinelSwitchMaster(payload: "mymaster 10.0.0.1 6379 10.0.0.2") == nil)
        #expect(SentinelSwitchMaster(payload: "mymaster 10.0.0.1 6379 10.0.0.2 port") == nil)
        #expect(SentinelSwitchMaster(payload: "mymaster 10.0.0.1 6379 10.0.0.2 70000") == nil)
    }
}
