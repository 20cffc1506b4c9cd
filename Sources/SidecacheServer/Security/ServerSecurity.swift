import SidecacheConfig
import SidecacheEngine

/// The security parts of the configuration applied to a server: the renamed command table,
/// the default user's password, the configured users and the ACL log's length.
enum ServerSecurity {
    /// The command table with `server.rename_commands` applied, or the plain table and the
    /// reason it could not be.
    static func table(_ configuration: SidecacheConfiguration) -> (table: CommandTable, problems: [String]) {
        let renames = configuration.server.renameCommands.map { (command: $0.command, newName: $0.newName) }
        do {
            return (try CommandTable.redis.renaming(renames), [])
        } catch {
            return (CommandTable.redis, [error.description])
        }
    }

    /// `requirepass`, then the users of `acl.users`, as Redis loads them at start (a
    /// configured `default` user overrides `requirepass`). Returns the rules refused.
    static func loadUsers(_ configuration: SidecacheConfiguration, into registry: ACLRegistry) -> [String] {
        registry.setDefaultPassword(configuration.server.requirePass)
        registry.setLogMaxLength(configuration.acl.logMaxLen)
        var definitions: [(name: [UInt8], rules: [[UInt8]])] = []
        for user in configuration.acl.users {
            let rules = user.rules.map { Array($0.utf8) }
            switch ACLArguments.mergeSelectors(rules) {
            case .success(let merged):
                definitions.append((Array(user.name.utf8), merged))
            case .failure(let unclosed):
                return ["acl.users.\(user.name): unmatched parenthesis in the selector starting at '\(user.rules[unclosed.index])'"]
            }
        }
        guard let (name, failure) = registry.load(definitions) else { return [] }
        return [
            "acl.users.\(String(decoding: name, as: UTF8.self)): error in rule '\(String(decoding: failure.rule, as: UTF8.self))': \(failure.error.message)"
        ]
    }

    /// A configuration change at run time: a new `requirepass` becomes the default user's
    /// password (as CONFIG SET requirepass does in Redis); users are not reloaded.
    static func apply(_ configuration: SidecacheConfiguration, previous: SidecacheConfiguration, to registry: ACLRegistry) {
        if configuration.server.requirePass != previous.server.requirePass {
            registry.setDefaultPassword(configuration.server.requirePass)
        }
        registry.setLogMaxLength(configuration.acl.logMaxLen)
    }
}
