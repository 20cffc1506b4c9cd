/// Why an ACL rule was refused: Redis's `errno` values of `ACLSetUser`, with the texts of
/// `ACLSetUserStringError`.
enum ACLRuleError: Error, Equatable {
    /// EINVAL: the rule is not understood, or a pattern has spaces or NUL bytes.
    case syntax
    /// ENOENT: no such command or category.
    case unknownCommandOrCategory
    /// EEXIST: a key pattern after `allkeys`.
    case patternAfterAllKeys
    /// EISDIR: a channel pattern after `allchannels`.
    case patternAfterAllChannels
    /// ENODEV: `<password` or `!hash` for a password the user does not have.
    case noSuchPassword
    /// EBADMSG: `#hash` or `!hash` that is not 64 lowercase hex digits.
    case badHash
    /// ECHILD: `+command|sub|arg`.
    case firstArgumentOfSubcommand

    var message: String {
        switch self {
        case .syntax: "Syntax error"
        case .unknownCommandOrCategory: "Unknown command or category name in ACL"
        case .patternAfterAllKeys:
            "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any "
                + "effect. Try 'resetkeys' to start with an empty list of patterns"
        case .patternAfterAllChannels:
            "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any "
                + "effect. Try 'resetchannels' to start with an empty list of channels"
        case .noSuchPassword: "The password you are trying to remove from the user does not exist"
        case .badHash:
            "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
        case .firstArgumentOfSubcommand: "Allowing first-arg of a subcommand is not supported"
        }
    }
}
