import NIOCore
import SidecacheRESP

/// The replies of one client's forwarded requests, in request order, with the local replies
/// produced between them.
///
/// Local replies are written to the session's `out` as always. Forwarding a request seals what
/// `out` holds as the prefix of a new entry and starts `out` afresh, so `out` always holds the
/// replies due after the last forwarded one. Replies can go to the client up to the first
/// entry still waiting; with nothing forwarded, `out` goes as it is (no cost to local commands).
struct ForwardedReplies {
    struct Entry {
        /// Local replies due before this one.
        var prefix: ByteBuffer?
        /// The reply once it has arrived (a failure is stored as its error line).
        var reply: ByteBuffer?
        /// CLIENT REPLY OFF or SKIP was in force: the reply is dropped when it arrives.
        var suppressed: Bool
        /// For commandstats; -1 for a name the command table does not know.
        var commandID: Int
        var startedNanoseconds: UInt64
        /// An EXEC whose transaction selects this database: the client's once the EXEC succeeds.
        var selectsDatabase: Int? = nil
        /// A split command: its pieces' replies, merged into `reply` when the last arrives.
        var pieces: Pieces? = nil
        /// A write to cached keys: the local copies to drop once the upstream has answered.
        var invalidation: CacheInvalidation? = nil
    }

    struct Pieces {
        var merge: ReplyMerge
        var replies: [ByteBuffer?]
        var protocolVersion: RESPProtocolVersion
        var allocator: ByteBufferAllocator
    }

    /// A request tag is the entry's number, then 16 bits of piece (of a split command), then 16
    /// bits of node, so that a reply finds its entry, its piece and the node it came from.
    static let entryShift: UInt64 = 32
    static let maximumPieces = 1 << 16

    static func tag(entry: UInt64, piece: Int, node: Int) -> UInt64 {
        entry | UInt64(piece & 0xFFFF) << 16 | UInt64(node & 0xFFFF)
    }

    static func node(ofTag tag: UInt64) -> Int { Int(tag & 0xFFFF) }

    private var entries = CircularBuffer<Entry>(initialCapacity: 8)
    /// The tag of `entries.first`; tags count up from 0 with every forwarded request.
    private var headTag: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    /// Adds the entry of a request just forwarded; returns its number for `tag(entry:piece:node:)`.
    mutating func append(_ entry: Entry) -> UInt64 {
        entries.append(entry)
        return (headTag + UInt64(entries.count - 1)) << Self.entryShift
    }

    /// Stores the reply of the request (or piece) with `tag`; returns the entry once its whole
    /// reply is there (for statistics), `nil` while pieces are missing.
    mutating func fill(tag: UInt64, with reply: ByteBuffer) -> Entry? {
        // Entry numbers wrap at 32 bits; fewer than 2^32 entries are ever waiting.
        let index = Int(UInt32(truncatingIfNeeded: (tag >> Self.entryShift) &- headTag))
        guard index >= 0, index < entries.count else { return nil }
        let position = entries.index(entries.startIndex, offsetBy: index)
        guard var pieces = entries[position].pieces else {
            entries[position].reply = reply
            return entries[position]
        }
        pieces.replies[Int((tag >> 16) & 0xFFFF)] = reply
        entries[position].pieces = pieces
        let arrived = pieces.replies.compactMap { $0 }
        guard arrived.count == pieces.replies.count else { return nil }
        entries[position].reply = pieces.merge.merge(arrived, protocolVersion: pieces.protocolVersion, allocator: pieces.allocator)
        entries[position].pieces = nil
        return entries[position]
    }

    /// The replies that can go to the client now, in order; when nothing waits any more,
    /// `local` (the session's `out`) follows and is emptied.
    mutating func drain(local: inout ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        // The usual case when forwarding: one request answered on its own. Its reply goes out
        // as the node sent it, without a buffer of its own or a copy.
        if entries.count == 1, local.readableBytes == 0, entries.first!.prefix == nil, !entries.first!.suppressed,
            let reply = entries.first!.reply
        {
            entries.removeFirst()
            headTag &+= 1
            return reply
        }
        var output = allocator.buffer(capacity: 0)
        drain(into: &output, local: &local)
        return output
    }

    private mutating func drain(into output: inout ByteBuffer, local: inout ByteBuffer) {
        while !entries.isEmpty {
            if var prefix = entries[entries.startIndex].prefix {
                output.writeBuffer(&prefix)
                entries[entries.startIndex].prefix = nil
            }
            guard let reply = entries.first!.reply else { return }
            if !entries.first!.suppressed { output.writeImmutableBuffer(reply) }
            entries.removeFirst()
            headTag &+= 1
        }
        output.writeBuffer(&local)
        local.clear()
    }
}
