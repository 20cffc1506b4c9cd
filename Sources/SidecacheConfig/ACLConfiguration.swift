/// The `acl` section: users defined in the configuration, as redis.conf's `user` lines, and
/// the ACL log's length.
public struct ACLConfiguration: Sendable, Equatable {
    /// `users`: user name → ACL rules, as one string of space-separated rules
    /// (`"on >secret ~app:* +@read"`) or a list of rules (for passwords with spaces). Created
    /// at start as `ACL SETUSER` would; `default` replaces the default user (after `reset`).
    public var users: [ACLUserDefinition] = []
    /// `log_max_len`: most entries ACL LOG keeps.
    public var logMaxLen = 128

    public init() {}
}

/// One user of `acl.users`: its name and its rules in order.
public struct ACLUserDefinition: Sendable, Equatable {
    public var name: String
    public var rules: [String]

    public init(name: String, rules: [String]) {
        self.name = name
        self.rules = rules
    }
}

extension ACLConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("users", \.users, .aclUsers),
            ConfigurationKey("log_max_len", \.logMaxLen, .integer(in: 0...Int.max)),
        ]
    }
}
