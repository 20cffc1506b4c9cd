import NIOCore
import SidecacheEngine
import SidecacheRESP

/// The state of one connection, owned by its event loop: what Redis keeps in `client`.
final class ClientSession {
    enum ReplyMode {
        case on, off, skipNext, skipThis
    }

    let server: ServerContext
    let record: ClientRecord
    /// The request being executed.
    var frame = RESPCommandFrame()
    /// The spec of the request being executed (subcommand resolved).
    var command: CommandSpec?
    /// Replies not yet written to the socket.
    var out: ByteBuffer
    var protocolVersion: RESPProtocolVersion = .resp2
    var database = 0
    var authenticated: Bool
    var replyMode: ReplyMode = .on
    /// Set by QUIT and by fatal errors: flush what is pending, then close.
    var closeAfterReply = false
    var statistics = SessionStatistics()
    /// Whether the snapshot other connections read needs refreshing.
    var recordDirty = true

    init(server: ServerContext, record: ClientRecord, allocator: ByteBufferAllocator) {
        self.server = server
        self.record = record
        self.out = allocator.buffer(capacity: 1024)
        self.authenticated = !server.authenticationRequired
    }

    /// An error reply, counted in `total_error_replies` and the command's `failed_calls`.
    func replyError(_ message: String) {
        statistics.errorReplies += 1
        failed = true
        out.writeRESPError(message)
    }

    /// Whether the current command answered with an error.
    var failed = false

    /// Publishes what CLIENT LIST shows of this session.
    func publishRecord(lastCommand: String?, queued: Int, now: UInt64) {
        record.update { snapshot in
            snapshot.lastInteractionNanoseconds = now
            if let lastCommand { snapshot.lastCommand = lastCommand }
            snapshot.database = database
            snapshot.protocolVersion = protocolVersion.rawValue
            snapshot.queryBufferBytes = queued
            snapshot.outputBytes = out.readableBytes
        }
    }
}
