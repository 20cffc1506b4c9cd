import NIOCore
import SidecacheRESP

extension ReplyMerge {
    /// The client's one reply from the pieces' replies (in part order). Any error among them
    /// is the answer: a piece that failed must never look like missing data.
    func merge(_ replies: [ByteBuffer], protocolVersion: RESPProtocolVersion, allocator: ByteBufferAllocator) -> ByteBuffer {
        if let error = replies.first(where: Self.isError) { return error }
        let parser = RESPReplyParser()
        var values: [RESPValue] = []
        for var reply in replies {
            guard let value = try? parser.next(from: &reply) else { return Self.unreadable(allocator) }
            values.append(value)
        }
        var output = allocator.buffer(capacity: 64)
        switch self {
        case .sum:
            var total: Int64 = 0
            for value in values {
                guard case .integer(let count) = value else { return replies[0] }
                total &+= count
            }
            RESPValue.integer(total).encode(into: &output, protocolVersion)
        case .allOK:
            return replies[0]
        case .reorder(let positions, let count):
            var ordered = [RESPValue](repeating: .bulkString(nil), count: count)
            for (part, value) in values.enumerated() {
                guard let elements = value.elements, elements.count == positions[part].count else { return replies[part] }
                for (element, position) in zip(elements, positions[part]) { ordered[position] = element }
            }
            RESPValue.array(ordered).encode(into: &output, protocolVersion)
        case .concatenate:
            var all: [RESPValue] = []
            for value in values {
                guard let elements = value.elements else { return replies[0] }
                all += elements
            }
            RESPValue.array(all).encode(into: &output, protocolVersion)
        case .scan(let node, let nodeCount):
            guard let pair = values.first?.elements, pair.count == 2, let text = pair[0].text, let cursor = UInt64(text),
                cursor < 1 << 56
            else { return replies[0] }
            let next: UInt64 =
                if cursor != 0 { cursor << 8 | UInt64(node) } else if node + 1 < nodeCount { UInt64(node + 1) } else { 0 }
            RESPValue.array([.bulk(String(next)), pair[1]]).encode(into: &output, protocolVersion)
        }
        return output
    }

    private static func isError(_ reply: ByteBuffer) -> Bool {
        let first = reply.readableBytesView.first
        return first == UInt8(ascii: "-") || first == UInt8(ascii: "!")
    }

    private static func unreadable(_ allocator: ByteBufferAllocator) -> ByteBuffer {
        var line = allocator.buffer(capacity: 64)
        line.writeRESPError("ERR upstream reply could not be read")
        return line
    }
}
