public import SidecacheConfig

/// Command renames or configured ACL users that cannot be applied: the server does not
/// start, as redis-server exits on a bad `rename-command` or `user` line.
public struct SecurityConfigurationError: Error, CustomStringConvertible {
    public let problems: [String]

    public var description: String { problems.joined(separator: "\n") }

    /// What of `configuration` a server could not apply (for `sidecache check-config`).
    public static func problems(in configuration: SidecacheConfiguration) -> [String] {
        ServerSecurity.table(configuration).problems + ServerSecurity.loadUsers(configuration, into: ACLRegistry())
    }
}
