/// Command renames or configured ACL users that cannot be applied: the server does not
/// start, as redis-server exits on a bad `rename-command` or `user` line.
public struct SecurityConfigurationError: Error, CustomStringConvertible {
    public let problems: [String]

    public var description: String { problems.joined(separator: "\n") }
}
