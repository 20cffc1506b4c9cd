import SidecacheEngine

/// An ACL user (Redis's `user`): its flags, password hashes and selectors. A value: ACL
/// SETUSER builds a changed copy and replaces the registry's, so a session holding a user
/// never sees one half changed.
struct ACLUser: Sendable, Equatable {
    struct Flags: OptionSet, Sendable, Equatable {
        let rawValue: UInt8
        static let enabled = Flags(rawValue: 1)
        static let disabled = Flags(rawValue: 2)
        static let noPass = Flags(rawValue: 4)
        static let skipSanitizePayload = Flags(rawValue: 8)
        static let sanitizePayload = Flags(rawValue: 16)

        /// In Redis's order, which is the order ACL LIST and GETUSER show them in.
        static let named: [(String, Flags)] = [
            ("on", .enabled), ("off", .disabled), ("nopass", .noPass),
            ("skip-sanitize-payload", .skipSanitizePayload), ("sanitize-payload", .sanitizePayload),
        ]
    }

    /// The name's bytes (no spaces or NUL bytes, as Redis requires).
    let name: [UInt8]
    var flags: Flags = .disabled
    /// SHA-256 hex digests, in the order added.
    var passwords: [String] = []
    /// The root selector first, then the `(...)` selectors in the order added.
    var selectors: [ACLSelector] = [ACLSelector(flags: .root)]

    init(name: [UInt8]) {
        self.name = name
    }

    /// Redis's default user: `on nopass ~* &* +@all`.
    static func makeDefault() -> ACLUser {
        var user = ACLUser(name: ACLUser.defaultName)
        for rule in ["+@all", "~*", "&*", "on", "nopass"] { try? user.apply(Array(rule.utf8)) }
        return user
    }

    static let defaultName = Array("default".utf8)

    var root: ACLSelector {
        get { selectors[0] }
        set { selectors[0] = newValue }
    }

    /// Whether every command, key and channel is allowed (the default user's case): the
    /// permission check is skipped.
    var isUnrestricted: Bool {
        root.flags.isSuperset(of: [.allCommands, .allKeys, .allChannels])
    }

    /// Applies one rule (Redis's `ACLSetUser`); an empty rule does nothing.
    mutating func apply(_ rule: [UInt8], index: ACLCommandIndex = .shared) throws(ACLRuleError) {
        guard let first = rule.first else { return }
        if rule.equalsIgnoringCase("on") {
            flags.insert(.enabled)
            flags.remove(.disabled)
        } else if rule.equalsIgnoringCase("off") {
            flags.insert(.disabled)
            flags.remove(.enabled)
        } else if rule.equalsIgnoringCase("skip-sanitize-payload") {
            flags.insert(.skipSanitizePayload)
            flags.remove(.sanitizePayload)
        } else if rule.equalsIgnoringCase("sanitize-payload") {
            flags.remove(.skipSanitizePayload)
            flags.insert(.sanitizePayload)
        } else if rule.equalsIgnoringCase("nopass") {
            flags.insert(.noPass)
            passwords = []
        } else if rule.equalsIgnoringCase("resetpass") {
            flags.remove(.noPass)
            passwords = []
        } else if first == UInt8(ascii: ">") || first == UInt8(ascii: "#") {
            let hash = try Self.hash(of: rule)
            if !passwords.contains(hash) { passwords.append(hash) }
            flags.remove(.noPass)
        } else if first == UInt8(ascii: "<") || first == UInt8(ascii: "!") {
            let hash = try Self.hash(of: rule)
            guard let position = passwords.firstIndex(of: hash) else { throw .noSuchPassword }
            passwords.remove(at: position)
        } else if first == UInt8(ascii: "(") && rule.last == UInt8(ascii: ")") {
            var selector = ACLSelector(flags: [])
            for op in ACLArguments.split(Array(rule.dropFirst().dropLast())) ?? [] {
                try selector.apply(op, index: index)
            }
            selectors.append(selector)
        } else if rule.equalsIgnoringCase("clearselectors") {
            selectors.removeSubrange(1...)
        } else if rule.equalsIgnoringCase("reset") {
            for step in ["resetpass", "resetkeys", "resetchannels", "off", "sanitize-payload", "clearselectors", "-@all"] {
                try apply(Array(step.utf8), index: index)
            }
        } else {
            try selectors[0].apply(rule, index: index)
        }
    }

    /// The stored form of a `>password`/`<password` (its digest) or `#hash`/`!hash` (checked).
    private static func hash(of rule: [UInt8]) throws(ACLRuleError) -> String {
        let body = Array(rule.dropFirst())
        if rule[0] == UInt8(ascii: ">") || rule[0] == UInt8(ascii: "<") { return SHA256.hex(body) }
        guard body.count == 64, body.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .badHash
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// Redis's `ACLCheckUserCredentials`: whether `password` opens this user.
    func accepts(password: [UInt8]) -> Bool {
        guard !flags.contains(.disabled) else { return false }
        if flags.contains(.noPass) { return true }
        let hashed = SHA256.hex(password)
        // Compared in full whatever matches, as Redis's time_independent_strcmp.
        return passwords.reduce(false) { found, stored in Self.constantTimeEquals(stored, hashed) || found }
    }

    private static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
