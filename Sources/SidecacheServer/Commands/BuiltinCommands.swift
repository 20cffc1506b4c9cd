/// Every command the server executes itself, by full name (`container|sub` for subcommands).
enum BuiltinCommands {
    static var all: [(String, ServerContext.Handler)] {
        ConnectionCommands.handlers + ClientCommand.handlers + CommandCommand.handlers
            + InfoCommand.handlers + ConfigCommand.handlers + ServerCommands.handlers
            + TransactionCommands.handlers + PubSubCommands.handlers + PubSubIntrospectionCommands.handlers
            + SlowlogCommand.handlers + LatencyCommand.handlers + MonitorCommand.handlers
            + MemoryCommand.handlers + ACLCommand.handlers
    }
}
