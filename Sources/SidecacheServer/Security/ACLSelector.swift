import SidecacheEngine
import SidecacheRESP

/// One set of permissions of a user (Redis's `aclSelector`): which commands it may run,
/// which keys and channels they may name. Every user has a root selector; `(...)` rules add
/// more, and a command is allowed when any selector allows it.
struct ACLSelector: Sendable, Equatable {
    struct Flags: OptionSet, Sendable, Equatable {
        let rawValue: UInt8
        static let root = Flags(rawValue: 1)
        static let allKeys = Flags(rawValue: 2)
        static let allChannels = Flags(rawValue: 4)
        static let allCommands = Flags(rawValue: 8)
    }

    /// How a key pattern may be used: `~` both, `%R~` read, `%W~` write.
    struct KeyAccess: OptionSet, Sendable, Equatable {
        let rawValue: UInt8
        static let read = KeyAccess(rawValue: 1)
        static let write = KeyAccess(rawValue: 2)
        static let all: KeyAccess = [.read, .write]
    }

    struct KeyPattern: Sendable, Equatable {
        var pattern: [UInt8]
        var access: KeyAccess
    }

    var flags: Flags
    /// One bit per `CommandSpec.id`.
    var allowed: [UInt64]
    /// Redis's reserved bit: set by `+@all` only, so that the description starts with `+@all`.
    var allowsFutureCommands = false
    /// `+command|first-arg` rules, by command id, in the order given.
    var firstArguments: [Int: [[UInt8]]] = [:]
    var keyPatterns: [KeyPattern] = []
    var channels: [[UInt8]] = []

    init(flags: Flags, commandCount: Int = ACLCommandIndex.shared.table.all.count) {
        self.flags = flags
        allowed = Array(repeating: 0, count: (commandCount + 63) / 64)
    }

    func allows(_ id: Int) -> Bool {
        allowed[id >> 6] & (1 << UInt64(id & 63)) != 0
    }

    /// Redis's `ACLSetSelectorCommandBit`: clearing a bit also clears `allCommands`.
    mutating func setAllowed(_ id: Int, _ value: Bool) {
        if value {
            allowed[id >> 6] |= 1 << UInt64(id & 63)
        } else {
            allowed[id >> 6] &= ~(1 << UInt64(id & 63))
            flags.remove(.allCommands)
        }
    }

    /// Redis's `ACLChangeSelectorPerm`: the command and all its subcommands, forgetting its
    /// first-argument rules.
    mutating func change(_ spec: CommandSpec, allow: Bool) {
        setAllowed(spec.id, allow)
        firstArguments[spec.id] = nil
        for sub in spec.subcommands { setAllowed(sub.id, allow) }
    }

    /// Every command with `category` (subcommands checked on their own), as Redis's
    /// `ACLSetSelectorCommandBitsForCategory`.
    mutating func change(category: ACLCategories, allow: Bool, index: ACLCommandIndex = .shared) {
        for spec in index.ordered {
            if index.categories[spec.id].contains(category) { change(spec, allow: allow) }
            for sub in spec.subcommands where index.categories[sub.id].contains(category) {
                change(sub, allow: allow)
            }
        }
    }

    mutating func allowAll(_ allow: Bool) {
        for word in allowed.indices { allowed[word] = allow ? ~0 : 0 }
        allowsFutureCommands = allow
        if allow { flags.insert(.allCommands) } else { flags.remove(.allCommands) }
        firstArguments = [:]
    }

    /// Applies one selector rule (Redis's `ACLSetSelector`): key, channel and command rules.
    mutating func apply(_ rule: [UInt8], index: ACLCommandIndex = .shared) throws(ACLRuleError) {
        if rule.equalsIgnoringCase("allkeys") || rule.equalsIgnoringCase("~*") {
            flags.insert(.allKeys)
            keyPatterns = []
        } else if rule.equalsIgnoringCase("resetkeys") {
            flags.remove(.allKeys)
            keyPatterns = []
        } else if rule.equalsIgnoringCase("allchannels") || rule.equalsIgnoringCase("&*") {
            flags.insert(.allChannels)
            channels = []
        } else if rule.equalsIgnoringCase("resetchannels") {
            flags.remove(.allChannels)
            channels = []
        } else if rule.equalsIgnoringCase("allcommands") || rule.equalsIgnoringCase("+@all") {
            allowAll(true)
        } else if rule.equalsIgnoringCase("nocommands") || rule.equalsIgnoringCase("-@all") {
            allowAll(false)
        } else if rule.first == UInt8(ascii: "~") || rule.first == UInt8(ascii: "%") {
            try addKeyPattern(rule)
        } else if rule.first == UInt8(ascii: "&") {
            if flags.contains(.allChannels) { throw .patternAfterAllChannels }
            let pattern = Array(rule.dropFirst())
            if pattern.hasSpaceOrNul { throw .syntax }
            if !channels.contains(pattern) { channels.append(pattern) }
            flags.remove(.allChannels)
        } else if rule.count >= 1 && (rule[0] == UInt8(ascii: "+") || rule[0] == UInt8(ascii: "-"))
            && (rule.count < 2 || rule[1] != UInt8(ascii: "@"))
        {
            try applyCommandRule(rule, index: index)
        } else if rule.count >= 2 && (rule[0] == UInt8(ascii: "+") || rule[0] == UInt8(ascii: "-")) {
            guard let category = ACLCommandIndex.category(named: String(decoding: rule.dropFirst(2), as: UTF8.self))
            else { throw .unknownCommandOrCategory }
            change(category: category, allow: rule[0] == UInt8(ascii: "+"), index: index)
        } else {
            throw .syntax
        }
    }

    /// `~pattern`, `%R~pattern`, `%W~pattern`, `%RW~pattern` (a pattern already present
    /// gains the new access).
    private mutating func addKeyPattern(_ rule: [UInt8]) throws(ACLRuleError) {
        if flags.contains(.allKeys) { throw .patternAfterAllKeys }
        var access: KeyAccess = []
        var offset = 1
        if rule[0] == UInt8(ascii: "%") {
            while offset < rule.count {
                let byte = rule[offset] & ~0x20
                if byte == UInt8(ascii: "R") && !access.contains(.read) {
                    access.insert(.read)
                } else if byte == UInt8(ascii: "W") && !access.contains(.write) {
                    access.insert(.write)
                } else if rule[offset] == UInt8(ascii: "~") {
                    offset += 1
                    break
                } else {
                    throw .syntax
                }
                offset += 1
            }
        } else {
            access = .all
        }
        let pattern = Array(rule[offset...])
        if pattern.hasSpaceOrNul { throw .syntax }
        if let existing = keyPatterns.firstIndex(where: { $0.pattern == pattern }) {
            keyPatterns[existing].access.formUnion(access)
        } else {
            keyPatterns.append(KeyPattern(pattern: pattern, access: access))
        }
        flags.remove(.allKeys)
    }

    /// `+command`, `-command`, `+container|sub`, `-container|sub` and `+command|first-arg`.
    private mutating func applyCommandRule(_ rule: [UInt8], index: ACLCommandIndex) throws(ACLRuleError) {
        let name = String(decoding: rule.dropFirst(), as: UTF8.self)
        guard rule[0] == UInt8(ascii: "+"), let bar = rule.lastIndex(of: UInt8(ascii: "|")) else {
            guard let spec = index.command(named: name) else { throw .unknownCommandOrCategory }
            return change(spec, allow: rule[0] == UInt8(ascii: "+"))
        }
        let base = String(decoding: rule[1..<bar], as: UTF8.self)
        let argument = Array(rule[(bar + 1)...])
        guard let spec = index.command(named: base) else { throw .unknownCommandOrCategory }
        if index.parent[spec.id] != nil { throw .firstArgumentOfSubcommand }
        if argument.isEmpty { throw .syntax }
        if spec.isContainer {
            guard let sub = index.command(named: name) else { throw .unknownCommandOrCategory }
            return change(sub, allow: true)
        }
        var arguments = firstArguments[spec.id] ?? []
        if !arguments.contains(where: { $0.equalsIgnoringCase(argument) }) { arguments.append(argument) }
        firstArguments[spec.id] = arguments
    }
}

extension Array where Element == UInt8 {
    /// Redis's `strcasecmp` against an ASCII literal.
    func equalsIgnoringCase(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { literal in
            zip(self, literal).allSatisfy { ASCII.lowercased($0) == ASCII.lowercased($1) }
        }
    }

    func equalsIgnoringCase(_ other: [UInt8]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { ASCII.lowercased($0) == ASCII.lowercased($1) }
    }

    /// Redis's `ACLStringHasSpaces`: whitespace (C `isspace`) or NUL bytes.
    var hasSpaceOrNul: Bool {
        contains { $0 == 0 || $0 == 0x20 || (0x09...0x0D).contains($0) }
    }
}
