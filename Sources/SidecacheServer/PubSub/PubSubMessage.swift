import NIOCore
import SidecacheRESP

/// One published message, encoded once for all its receivers: the elements after the
/// array/push header, which is the only part that depends on the receiver's protocol.
struct PubSubMessage: Sendable {
    /// The subscription that selected the receivers: delivery checks it is still held.
    let kind: PubSubKind
    let subscription: [UInt8]
    private let elementCount: Int
    private let elements: ByteBuffer

    /// `message` (or `smessage`) channel payload.
    init(kind: PubSubKind, channel: [UInt8], payload: some Collection<UInt8>) {
        var elements = ByteBufferAllocator().buffer(capacity: channel.count + payload.count + 32)
        elements.writeStaticString(kind == .shard ? "$8\r\nsmessage\r\n" : "$7\r\nmessage\r\n")
        elements.writeRESPBulkString(channel)
        elements.writeRESPBulkString(payload)
        self.kind = kind
        self.subscription = channel
        self.elementCount = 3
        self.elements = elements
    }

    /// `pmessage` pattern channel payload.
    init(pattern: [UInt8], channel: [UInt8], payload: some Collection<UInt8>) {
        var elements = ByteBufferAllocator().buffer(capacity: pattern.count + channel.count + payload.count + 40)
        elements.writeStaticString("$8\r\npmessage\r\n")
        elements.writeRESPBulkString(pattern)
        elements.writeRESPBulkString(channel)
        elements.writeRESPBulkString(payload)
        self.kind = .pattern
        self.subscription = pattern
        self.elementCount = 4
        self.elements = elements
    }

    /// Writes the message as a RESP2 array or a RESP3 push.
    func write(to out: inout ByteBuffer, _ version: RESPProtocolVersion) {
        out.writeRESPPushHeader(elementCount, version)
        out.writeImmutableBuffer(elements)
    }
}
