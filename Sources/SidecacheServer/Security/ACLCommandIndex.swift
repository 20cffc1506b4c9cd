import SidecacheEngine

/// The command table as the ACL rules see it: Redis's original names (rules are not affected
/// by `rename-command`), each command's container, and its ACL categories. Module commands
/// (RedisBloom's `BF.*`) belong to no category, as in Redis 7.0, where `+@category` skips
/// module commands: only `+@all`, `allcommands` or `+bf.add` allow them.
struct ACLCommandIndex: Sendable {
    static let shared = ACLCommandIndex(table: .redis)

    /// Redis 7.0's categories in its order (`ACL CAT`); bit `i` of `ACLCategories`.
    static let categoryNames = Array(ACLCategories.names.prefix { $0 != "bloom" })

    let table: CommandTable
    /// The container of each subcommand, by `CommandSpec.id`.
    let parent: [CommandSpec?]
    /// ACL categories by `CommandSpec.id`; empty for module commands.
    let categories: [ACLCategories]
    /// Top-level commands in table order (subcommands under each).
    let ordered: [CommandSpec]
    /// By `CommandSpec.id`, the access each key spec needs (its `access` flag is a read,
    /// `insert`/`update`/`delete` a write), as Redis's `ACLSelectorCheckKey` reads them.
    let keySpecAccess: [[ACLSelector.KeyAccess]]
    /// Redis's `doesCommandHaveKeys`: a first key spec that names keys, not channels.
    let hasKeys: [Bool]

    init(table: CommandTable) {
        self.table = table
        var parent = [CommandSpec?](repeating: nil, count: table.all.count)
        for spec in table.commands {
            for sub in spec.subcommands { parent[sub.id] = spec }
        }
        self.parent = parent
        categories = table.all.map { $0.flags.contains(.module) ? [] : $0.categories }
        ordered = table.commands
        keySpecAccess = table.all.map { spec in spec.keySpecs.map { Self.access(of: $0.flags) } }
        hasKeys = table.all.map { spec in spec.keySpecs.first.map { !$0.flags.contains("not_key") } ?? false }
    }

    static func access(of flags: [String]) -> ACLSelector.KeyAccess {
        var access: ACLSelector.KeyAccess = []
        if flags.contains("access") { access.insert(.read) }
        if flags.contains("insert") || flags.contains("update") || flags.contains("delete") { access.insert(.write) }
        return access
    }

    /// Redis's `ACLGetCommandCategoryFlagByName`: a category by name, ignoring case.
    static func category(named name: String) -> ACLCategories? {
        guard let index = categoryNames.firstIndex(of: name.lowercased()) else { return nil }
        return ACLCategories(rawValue: 1 << UInt32(index))
    }

    /// Redis's `ACLLookupCommand`: `name` or `container|sub` by original name, ignoring case;
    /// `nil` for more than one `|` or a subcommand of a command without subcommands.
    func command(named name: String) -> CommandSpec? {
        let parts = name.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2, let top = table.spec(named: String(parts[0])), !parts[0].isEmpty else { return nil }
        guard parts.count == 2 else { return top }
        guard top.isContainer else { return nil }
        return Array(parts[1].lowercased().utf8).withUnsafeBytes { top.subcommand($0) }
    }
}
