/// An engine command: runs with the keyspace lock held, on the client's selected database,
/// reading `client.frame` and writing its reply to `client.out`.
package typealias EngineCommand = @Sendable (EngineClient, Database) -> Void

/// Every command the engine executes, by lower-case name (the server registers them).
package enum EngineCommands {
    package static let all: [(String, EngineCommand)] =
        StringCommands.handlers + KeyCommands.handlers + ExpireCommands.handlers + DumpCommands.handlers
        + KeyspaceIterationCommands.handlers + RenameCommands.handlers + ObjectCommands.handlers + ReplicationCommands.handlers
        + BitCommands.handlers + StringCommands.floatHandlers + StringCommands.lcsHandlers
        + HyperLogLogCommands.handlers + BloomCommands.handlers
}
