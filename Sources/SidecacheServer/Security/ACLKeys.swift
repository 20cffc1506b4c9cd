import SidecacheEngine
import SidecacheRESP

/// The keys a request names and how it uses them, as Redis's `getKeysFromCommandWithSpecs`
/// finds them for the ACL check: by key specs, except for the commands whose specs say
/// `variable_flags` (SET, BITFIELD), whose access depends on their arguments as Redis's
/// `setGetKeys` and `bitfieldGetKeys` decide.
enum ACLKeys {
    static func references(
        _ spec: CommandSpec, _ frame: RESPCommandFrame, _ offset: Int, index: ACLCommandIndex = .shared
    ) -> [(position: Int, access: ACLSelector.KeyAccess)] {
        let count = frame.count - offset
        switch spec.name {
        case "set":
            guard count >= 2 else { return [] }
            let get = (3..<max(3, count)).contains { frame.argument($0 + offset, equalsCaseInsensitive: "get") }
            return [(1, get ? .all : .write)]
        case "bitfield":
            guard count >= 2 else { return [] }
            return [(1, bitfieldIsReadOnly(frame, offset) ? .read : .all)]
        default:
            // Specs that cannot be applied (a bad key count) name no keys: the command's own
            // error follows.
            guard let references = spec.keyReferences(in: frame, argumentOffset: offset) else { return [] }
            let access = index.keySpecAccess[spec.id]
            return references.map { ($0.position, access[$0.spec]) }
        }
    }

    /// BITFIELD with only GET and OVERFLOW operations reads its key; anything else writes.
    private static func bitfieldIsReadOnly(_ frame: RESPCommandFrame, _ offset: Int) -> Bool {
        let count = frame.count - offset
        var index = 2
        while index < count {
            let remaining = count - index - 1
            if frame.argument(index + offset, equalsCaseInsensitive: "get") && remaining >= 2 {
                index += 3
            } else if frame.argument(index + offset, equalsCaseInsensitive: "overflow") && remaining >= 1 {
                index += 2
            } else {
                return false
            }
        }
        return true
    }
}
