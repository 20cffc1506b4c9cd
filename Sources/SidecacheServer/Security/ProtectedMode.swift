import NIOCore

/// Redis's protected mode: while it is on and the default user has no password, a client
/// that does not connect over the loopback interface gets this error and is closed (Redis
/// 7's `clientAcceptHandler`, whatever the bind addresses).
enum ProtectedMode {
    static let deniedReply =
        "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for "
        + "the default user. In this mode connections are only accepted from the loopback interface. If you want "
        + "to connect from external computers to Redis you may adopt one of the following solutions: 1) Just "
        + "disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface "
        + "by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not "
        + "publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) "
        + "Alternatively you can just disable the protected mode by editing the Redis configuration file, and "
        + "setting the protected mode option to 'no', and then restarting the server. 3) If you started the "
        + "server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an "
        + "authentication password for the default user. NOTE: You only need to do one of the above things in "
        + "order for the server to start accepting connections from the outside.\r\n"

    /// Whether a client from `remote` is refused: protected mode on, a default user without
    /// password, and an address that is not loopback (127.0.0.0/8, ::1; Unix sockets are local).
    static func refuses(_ remote: SocketAddress?, enabled: Bool, defaultUserHasNoPassword: Bool) -> Bool {
        guard enabled && defaultUserHasNoPassword, let remote else { return false }
        return !isLoopback(remote)
    }

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4:
            return address.ipAddress?.hasPrefix("127.") ?? false
        case .v6:
            guard let ip = address.ipAddress else { return false }
            return ip == "::1" || ip.hasPrefix("::ffff:127.")
        case .unixDomainSocket:
            return true
        }
    }
}
