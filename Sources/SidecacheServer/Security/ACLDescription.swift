import SidecacheEngine

/// Users and selectors described as rules that recreate them (ACL LIST, ACL GETUSER), built
/// as Redis's `ACLDescribeUser` builds them. Redis emits the single-command rules in its
/// hash table's order, which changes with every process; here they come in table order.
enum ACLDescription {
    /// Redis's `ACLDescribeSelectorCommandRules`: `+@all` or `-@all`, then the categories
    /// that best fit the remaining differences (applied greedily, as Redis picks them), then
    /// single commands and first arguments to make the bitmap exact.
    static func commandRules(_ selector: ACLSelector, index: ACLCommandIndex = .shared) -> [UInt8] {
        var rules: [[UInt8]] = []
        let additive = !selector.allowsFutureCommands
        var fake = ACLSelector(flags: [])
        fake.allowAll(!additive)
        rules.append(Array((additive ? "-@all" : "+@all").utf8))
        // The commands still to account for: the temporary selector moves towards the
        // starting state as categories are applied.
        var temporary = ACLSelector(flags: [])
        temporary.allowed = selector.allowed
        var applied = Set<Int>()
        while true {
            var best = -1
            var fewestDifferent = Int.max
            var mostSame = 0
            for (position, name) in ACLCommandIndex.categoryNames.enumerated() where !applied.contains(position) {
                guard let category = ACLCommandIndex.category(named: name) else { continue }
                var on = 0
                var off = 0
                for spec in index.table.all where index.categories[spec.id].contains(category) {
                    if temporary.allows(spec.id) { on += 1 } else { off += 1 }
                }
                let different = additive ? off : on
                let same = additive ? on : off
                if same > different && (different < fewestDifferent || (different == fewestDifferent && same > mostSame)) {
                    best = position
                    fewestDifferent = different
                    mostSame = same
                }
            }
            guard best >= 0, let category = ACLCommandIndex.category(named: ACLCommandIndex.categoryNames[best]) else {
                break
            }
            fake.change(category: category, allow: additive, index: index)
            temporary.change(category: category, allow: !additive, index: index)
            rules.append(Array(((additive ? "+@" : "-@") + ACLCommandIndex.categoryNames[best]).utf8))
            applied.insert(best)
        }
        for spec in index.ordered {
            singleCommandRules(spec, selector, &fake, &rules)
        }
        return joined(rules)
    }

    private static func singleCommandRules(
        _ spec: CommandSpec, _ selector: ACLSelector, _ fake: inout ACLSelector, _ rules: inout [[UInt8]]
    ) {
        let allowed = selector.allows(spec.id)
        if allowed != fake.allows(spec.id) {
            rules.append(Array(((allowed ? "+" : "-") + spec.name).utf8))
            fake.change(spec, allow: allowed)
        }
        for sub in spec.subcommands { singleCommandRules(sub, selector, &fake, &rules) }
        if !allowed, let arguments = selector.firstArguments[spec.id] {
            for argument in arguments { rules.append(Array("+\(spec.name)|".utf8) + argument) }
        }
    }

    /// A key pattern as a rule: `~p`, `%R~p` or `%W~p`.
    static func keyPattern(_ pattern: ACLSelector.KeyPattern) -> [UInt8] {
        let prefix = pattern.access == .all ? "~" : pattern.access == .read ? "%R~" : "%W~"
        return Array(prefix.utf8) + pattern.pattern
    }

    static func channel(_ channel: [UInt8]) -> [UInt8] {
        [UInt8(ascii: "&")] + channel
    }

    /// GETUSER's `keys` field.
    static func keys(_ selector: ACLSelector) -> [UInt8] {
        selector.flags.contains(.allKeys) ? Array("~*".utf8) : joined(selector.keyPatterns.map(keyPattern))
    }

    /// GETUSER's `channels` field.
    static func channels(_ selector: ACLSelector) -> [UInt8] {
        selector.flags.contains(.allChannels) ? Array("&*".utf8) : joined(selector.channels.map(channel))
    }

    /// Redis's `ACLDescribeSelector`: keys, channels, then command rules.
    static func selector(_ selector: ACLSelector) -> [UInt8] {
        var parts: [[UInt8]] = []
        if selector.flags.contains(.allKeys) {
            parts.append(Array("~*".utf8))
        } else {
            parts += selector.keyPatterns.map(keyPattern)
        }
        if selector.flags.contains(.allChannels) {
            parts.append(Array("&*".utf8))
        } else {
            parts.append(Array("resetchannels".utf8))
            parts += selector.channels.map(channel)
        }
        parts.append(commandRules(selector))
        return joined(parts)
    }

    /// An ACL LIST line: `user <name> <flags> <#hashes> <root selector> (<selector>)...`.
    static func listLine(_ user: ACLUser) -> [UInt8] {
        var text = Array("user ".utf8) + user.name + [0x20]
        for (name, flag) in ACLUser.Flags.named where user.flags.contains(flag) { text += Array(name.utf8) + [0x20] }
        for hash in user.passwords { text += Array("#\(hash) ".utf8) }
        for (position, selector) in user.selectors.enumerated() {
            text += position == 0 ? Self.selector(selector) : Array(" (".utf8) + Self.selector(selector) + [UInt8(ascii: ")")]
        }
        return text
    }

    static func joined(_ parts: [[UInt8]]) -> [UInt8] {
        Array(parts.joined(separator: [0x20]))
    }
}
