/// The `server` section: the RESP listener and its clients.
public struct ServerConfiguration: Sendable, Equatable {
    /// `bind`: addresses to listen on (IPv4/IPv6 literals, "localhost" or "*").
    public var bind: [String] = ["127.0.0.1"]
    /// `port`: TCP port of the RESP listener.
    public var port: Int = 6380
    /// `maxclients`: most clients connected at once.
    public var maxClients: Int = 10000
    /// `timeout`: seconds a client may stay idle before it is closed; 0 means never.
    public var timeoutSeconds: Int = 0
    /// `tcp_keepalive`: seconds between TCP keepalive probes; 0 turns them off.
    public var tcpKeepaliveSeconds: Int = 300
    /// `databases`: number of logical databases (SELECT 0 to databases - 1).
    public var databases: Int = 16
    /// `requirepass`: password of the default user; nil means no AUTH needed.
    public var requirePass: String? = nil
    /// `hz`: frequency of background tasks such as active expiry, per second.
    public var hz: Int = 10
    /// `notify_keyspace_events`: the classes of keyspace notification published, as Redis's
    /// `notify-keyspace-events` letters (`KEA`, `Ex`, ...); empty turns them off.
    public var notifyKeyspaceEvents = ""
    /// `protected_mode`: while the default user has no password, refuse clients that do not
    /// connect from the loopback interface, with Redis's explanation.
    public var protectedMode = true
    /// `rename_commands`: commands renamed (or disabled with an empty name), in order.
    public var renameCommands: [CommandRename] = []

    public init() {}
}

/// One `rename-command`: `command` answers to `newName` only; an empty `newName` disables it.
public struct CommandRename: Sendable, Equatable {
    public var command: String
    public var newName: String

    public init(command: String, newName: String) {
        self.command = command
        self.newName = newName
    }
}

extension ServerConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("bind", \.bind, .bindAddresses),
            ConfigurationKey("port", \.port, .integer(in: 0...65535)),
            ConfigurationKey("maxclients", \.maxClients, .integer(in: 1...Int.max)),
            ConfigurationKey("timeout", \.timeoutSeconds, .seconds(in: 0...Int(Int32.max))),
            ConfigurationKey("tcp_keepalive", \.tcpKeepaliveSeconds, .seconds(in: 0...Int(Int32.max))),
            ConfigurationKey("databases", \.databases, .integer(in: 1...1_000_000)),
            ConfigurationKey("requirepass", \.requirePass, .optionalText),
            ConfigurationKey("hz", \.hz, .integer(in: 1...500)),
            ConfigurationKey("notify_keyspace_events", \.notifyKeyspaceEvents, .keyspaceEventClasses),
            ConfigurationKey("protected_mode", \.protectedMode, .boolean),
            ConfigurationKey("rename_commands", \.renameCommands, .commandRenames),
        ]
    }
}
