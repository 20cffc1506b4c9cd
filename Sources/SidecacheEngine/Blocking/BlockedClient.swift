import NIOCore

/// How a blocked command tries again when one of its keys may have become ready: it runs with
/// the keyspace lock held, on the blocked client's database, with the key that was signalled.
/// It returns `true` when it answered (an element popped, or an error such as BLMOVE's
/// WRONGTYPE destination) and the client is done waiting; `false` to keep waiting (the key
/// is missing, empty or of another type).
///
/// A retry writes its reply to the `EngineClient` it is given (never to the connection's own
/// client) and must behave as the command would on that one key: the same reply, keyspace
/// notifications, `signalModified`, `changes`, and `signalKeyAsReady` for what it pushes.
package typealias BlockedRetry = @Sendable (EngineClient, Database, UnsafeRawBufferPointer) -> Bool

/// A client waiting in a blocking command (Redis's `bpop` state of a `CLIENT_BLOCKED` client).
///
/// Everything here but `state` is fixed when the client blocks. `state` and `client` belong
/// to the keyspace lock until the client leaves `.waiting`; after that only the connection's
/// event loop reads them.
package final class BlockedClient: @unchecked Sendable {
    package enum State: Sendable {
        case waiting
        /// A retry answered.
        case served
        /// The timeout passed, or CLIENT UNBLOCK: the reply is already in `client.out`.
        case unblocked
        /// The connection went away.
        case cancelled
    }

    /// Where the eventual reply goes: a client of its own with the blocked connection's
    /// protocol and database, so that a command serving it on another thread never touches
    /// the connection's buffers. The connection copies `client.out` once it is woken.
    package let client: EngineClient
    package let database: Int
    /// The keys waited on, in the command's order.
    package let keys: [KeyBytes]
    /// Milliseconds to wait; 0 waits for ever.
    package let timeout: Int64
    /// The connection's id (CLIENT UNBLOCK finds the client by it).
    package let owner: UInt64
    let retry: BlockedRetry
    let wake: @Sendable (BlockedClient) -> Void
    package internal(set) var state = State.waiting

    init(
        from connection: EngineClient,
        keys: [KeyBytes],
        timeout: Int64,
        retry: @escaping BlockedRetry,
        wake: @escaping @Sendable (BlockedClient) -> Void
    ) {
        let client = EngineClient(allocator: ByteBufferAllocator())
        client.protocolVersion = connection.protocolVersion
        client.database = connection.database
        self.client = client
        self.database = connection.database
        self.keys = keys
        self.timeout = timeout
        self.owner = connection.blocking.owner
        self.retry = retry
        self.wake = wake
    }
}
