import NIOCore
import SidecacheRESP

/// One message pushed to connections from elsewhere, encoded once for all its receivers: a
/// published message (the elements after the array/push header, which is the only part that
/// depends on the receiver's protocol), or a MONITOR line (a status reply in both protocols).
struct PubSubMessage: Sendable {
    /// Who may still receive it when it arrives: delivery checks the connection still holds
    /// the subscription that selected it, or still monitors.
    enum Audience: Sendable {
        case subscribers(PubSubKind, [UInt8])
        case monitors
    }

    let audience: Audience
    /// 0 for a MONITOR line, which `elements` holds whole.
    private let elementCount: Int
    private let elements: ByteBuffer

    /// `message` (or `smessage`) channel payload.
    init(kind: PubSubKind, channel: [UInt8], payload: some Collection<UInt8>) {
        var elements = ByteBufferAllocator().buffer(capacity: channel.count + payload.count + 32)
        elements.writeStaticString(kind == .shard ? "$8\r\nsmessage\r\n" : "$7\r\nmessage\r\n")
        elements.writeRESPBulkString(channel)
        elements.writeRESPBulkString(payload)
        self.audience = .subscribers(kind, channel)
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
        self.audience = .subscribers(.pattern, pattern)
        self.elementCount = 4
        self.elements = elements
    }

    /// A MONITOR line, `+<unix time> [<db> <client>] "<argument>" ...\r\n` (`MonitorLine`).
    init(monitorLine: ByteBuffer) {
        self.audience = .monitors
        self.elementCount = 0
        self.elements = monitorLine
    }

    /// Writes the message as a RESP2 array or a RESP3 push (a MONITOR line as it is).
    func write(to out: inout ByteBuffer, _ version: RESPProtocolVersion) {
        if elementCount > 0 { out.writeRESPPushHeader(elementCount, version) }
        out.writeImmutableBuffer(elements)
    }
}
