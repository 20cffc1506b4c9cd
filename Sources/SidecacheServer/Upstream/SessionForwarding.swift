import NIOCore
import SidecacheRESP
import SidecacheUpstream

/// A client session's side of forwarding: its replies in order, where its requests in flight
/// went, and its own upstream connection for transactions and blocking commands.
struct SessionForwarding {
    let pool: UpstreamPool
    let allocator: ByteBufferAllocator
    var replies = ForwardedReplies()
    /// Requests of this client waiting for upstream replies.
    var inFlight = 0
    /// Where the requests in flight went. A request for another connection waits until they
    /// are answered, so that one client's commands run upstream in the order it sent them.
    var activeConnection: UpstreamConnection?
    /// The client's own connection (MULTI ... EXEC, WATCH, blocking commands); opened on need.
    var dedicated: UpstreamConnection?
    var inTransaction = false
    var watching = false
    /// The dedicated connection failed while the client was in MULTI or WATCH: what it queued
    /// or watched is gone, so everything up to EXEC or DISCARD is refused.
    var pinBroken = false
    /// The database of the last SELECT queued in the open transaction: the client's database
    /// once EXEC runs it.
    var queuedSelect: Int?
    /// An EXEC that may switch the database is in flight: nothing else is sent until its reply
    /// says which database the client is in.
    var awaitingDatabaseChange = false
    /// A request held back until the ones in flight on another connection are answered.
    var parked: Parked?
    /// Connections written to since the last flush.
    var unflushed: [UpstreamConnection] = []

    struct Parked {
        var connection: UpstreamConnection
        var frame: RESPCommandFrame
        var tag: UInt64
        var timeoutMilliseconds: Int?
    }

    init(pool: UpstreamPool, allocator: ByteBufferAllocator) {
        self.pool = pool
        self.allocator = allocator
    }

    var isPinned: Bool { inTransaction || watching }

    /// Nothing is waiting upstream or parked: replies can all go out.
    var isIdle: Bool { replies.isEmpty && parked == nil }
}
