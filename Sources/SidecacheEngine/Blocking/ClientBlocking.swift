/// A connection's side of blocking commands, kept on its `EngineClient`.
package struct ClientBlocking {
    /// Called (under the keyspace lock, from any thread) when the client's blocked command
    /// was served, timed out or was unblocked; it must only hand the work to the connection's
    /// event loop. `nil` for a client that cannot block (tools, engine tests).
    package var wake: (@Sendable (BlockedClient) -> Void)?
    /// The connection's id, for CLIENT UNBLOCK.
    package var owner: UInt64 = 0
    /// Set while the client runs the commands of an EXEC: blocking commands answer at once,
    /// as if their timeout had passed (Redis's `CLIENT_DENY_BLOCKING`).
    package var denied = false
    /// The wait the last command registered; the connection processes nothing else until it ends.
    package var current: BlockedClient?

    package init() {}

    /// Whether a blocking command that finds nothing may block now.
    package var allowed: Bool { wake != nil && !denied }
}
