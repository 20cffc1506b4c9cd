import SidecacheEngine
import Synchronization

/// Every ACL user of the server, the ACL log and the denial counters. Users are values
/// replaced whole; `generation` moves on every change so that sessions refresh the copy
/// of their user they check commands against.
final class ACLRegistry: Sendable {
    private let users: Mutex<[[UInt8]: ACLUser]>
    private let log = Mutex(ACLLog())
    /// Bumped by every change of a user.
    let generation = Atomic<Int>(0)
    /// Whether the default user is enabled and needs no password: then a connection that
    /// never authenticated may run commands (Redis's `authRequired`).
    let defaultUserIsOpen = Atomic<Bool>(true)

    init() {
        users = Mutex([ACLUser.defaultName: ACLUser.makeDefault()])
    }

    func user(named name: [UInt8]) -> ACLUser? {
        users.withLock { $0[name] }
    }

    var defaultUser: ACLUser {
        users.withLock { $0[ACLUser.defaultName] } ?? ACLUser.makeDefault()
    }

    /// All users, ordered by name as Redis's radix tree orders them.
    var all: [ACLUser] {
        users.withLock { Array($0.values) }.sorted { $0.name.lexicographicallyPrecedes($1.name) }
    }

    /// ACL SETUSER: applies `rules` to a copy of the user (a fresh one if it does not exist)
    /// and stores it only when every rule is valid.
    func setUser(_ name: [UInt8], rules: [[UInt8]]) -> Result<Void, RuleFailure> {
        users.withLock { users in
            var user = users[name] ?? ACLUser(name: name)
            for rule in rules {
                do throws(ACLRuleError) {
                    try user.apply(rule)
                } catch {
                    return .failure(RuleFailure(rule: rule, error: error))
                }
            }
            users[name] = user
            changed(users)
            return .success(())
        }
    }

    struct RuleFailure: Error {
        let rule: [UInt8]
        let error: ACLRuleError
    }

    /// ACL DELUSER: the number of users removed. The default user cannot be.
    func deleteUsers(_ names: [[UInt8]]) -> Int {
        users.withLock { users in
            let removed = names.reduce(0) { count, name in
                name != ACLUser.defaultName && users.removeValue(forKey: name) != nil ? count + 1 : count
            }
            if removed > 0 { changed(users) }
            return removed
        }
    }

    /// `requirepass`: the default user's password (`resetpass >password`), or `nopass`.
    func setDefaultPassword(_ password: String?) {
        users.withLock { users in
            var user = users[ACLUser.defaultName] ?? ACLUser.makeDefault()
            try? user.apply(Array("resetpass".utf8))
            try? user.apply(password.map { Array(">\($0)".utf8) } ?? Array("nopass".utf8))
            users[ACLUser.defaultName] = user
            changed(users)
        }
    }

    /// Users from the configuration, as redis.conf's `user` lines are loaded at start:
    /// a user is created with these rules; `default` is reset first. Returns the first
    /// refused rule, with its user, leaving the registry as it was.
    func load(_ definitions: [(name: [UInt8], rules: [[UInt8]])]) -> (name: [UInt8], failure: RuleFailure)? {
        users.withLock { users in
            var loaded = users
            for (name, rules) in definitions {
                var user = name == ACLUser.defaultName ? users[name] ?? ACLUser.makeDefault() : ACLUser(name: name)
                var all = rules
                if name == ACLUser.defaultName { all.insert(Array("reset".utf8), at: 0) }
                for rule in all {
                    do throws(ACLRuleError) {
                        try user.apply(rule)
                    } catch {
                        return (name, RuleFailure(rule: rule, error: error))
                    }
                }
                loaded[name] = user
            }
            users = loaded
            changed(users)
            return nil
        }
    }

    private func changed(_ users: [[UInt8]: ACLUser]) {
        let defaultUser = users[ACLUser.defaultName]
        defaultUserIsOpen.store(
            defaultUser.map { $0.flags.contains(.noPass) && !$0.flags.contains(.disabled) } ?? false,
            ordering: .relaxed
        )
        generation.add(1, ordering: .releasing)
    }

    // MARK: Log

    func record(_ entry: ACLLog.Entry) {
        log.withLock { $0.add(entry) }
    }

    func logEntries(limit: Int) -> [ACLLog.Entry] {
        log.withLock { Array($0.entries.prefix(limit)) }
    }

    func resetLog() {
        log.withLock { $0.reset() }
    }

    func setLogMaxLength(_ length: Int) {
        log.withLock { $0.maxLength = length }
    }
}
