import Yams

extension ValueReader<[ACLUserDefinition]> {
    /// A mapping of user name → rules (a string of space-separated rules, or a list of rule
    /// strings). Names may not contain spaces or NUL bytes (Redis refuses them).
    static var aclUsers: Self {
        Self { node, path, context in
            if node.isNull { return [] }
            guard let mapping = node.mapping else {
                context.record("must be a mapping of user name to rules, got \(node.problemDescription)", at: path, node: node)
                return nil
            }
            var users: [ACLUserDefinition] = []
            var valid = true
            for entry in MappingEntry.entries(of: mapping, renamedKeys: context.renamedKeys) {
                guard let name = entry.name, !name.isEmpty,
                    !name.unicodeScalars.contains(where: { $0 == "\0" || $0.properties.isWhitespace })
                else {
                    context.record("user names must be text without spaces, got \(entry.key.problemDescription)", at: path, node: entry.key)
                    valid = false
                    continue
                }
                let userPath = path.appendingKey(name)
                if let first = entry.firstKey?.mark {
                    context.record("duplicate user '\(name)'; first set at line \(first.line), column \(first.column)", at: userPath, node: entry.key)
                    valid = false
                    continue
                }
                if let text = entry.value.textValue {
                    users.append(ACLUserDefinition(name: name, rules: text.split(whereSeparator: \.isWhitespace).map(String.init)))
                } else if entry.value.isNull {
                    users.append(ACLUserDefinition(name: name, rules: []))
                } else if case .sequence(let list) = entry.value, list.allSatisfy({ $0.scalar != nil }) {
                    users.append(ACLUserDefinition(name: name, rules: list.compactMap(\.textValue)))
                } else {
                    context.record("must be a string of rules or a list of rules, got \(entry.value.problemDescription)", at: userPath, node: entry.value)
                    valid = false
                }
            }
            return valid ? users : nil
        }
    }
}

extension ValueReader<[CommandRename]> {
    /// A mapping of command name → new name; an empty new name disables the command.
    static var commandRenames: Self {
        Self { node, path, context in
            if node.isNull { return [] }
            guard let mapping = node.mapping else {
                context.record("must be a mapping of command name to new name, got \(node.problemDescription)", at: path, node: node)
                return nil
            }
            var renames: [CommandRename] = []
            var valid = true
            for entry in MappingEntry.entries(of: mapping, renamedKeys: context.renamedKeys) {
                guard let name = entry.name, !name.isEmpty else {
                    context.record("command names must be text, got \(entry.key.problemDescription)", at: path, node: entry.key)
                    valid = false
                    continue
                }
                guard case .scalar(let scalar) = entry.value else {
                    context.record("must be the new name, or \"\" to disable the command, got \(entry.value.problemDescription)", at: path.appendingKey(name), node: entry.value)
                    valid = false
                    continue
                }
                renames.append(CommandRename(command: name, newName: entry.value.isNull ? "" : scalar.string))
            }
            return valid ? renames : nil
        }
    }
}
