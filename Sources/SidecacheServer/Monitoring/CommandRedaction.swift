import SidecacheEngine
import SidecacheRESP

/// Arguments that MONITOR and the slow log show as `(redacted)`: the credentials of AUTH, of
/// HELLO's AUTH option and of ACL SETUSER, as Redis 7.0's `redactClientCommandArgument` hides them. Worked out
/// again from the request after it ran, so the commands themselves keep no state for it.
enum CommandRedaction {
    static let placeholder = Array("(redacted)".utf8)

    /// The indices to hide in `frame`, a request for `spec` that was executed.
    static func indices(_ spec: CommandSpec, _ frame: RESPCommandFrame) -> [Int] {
        switch spec.name {
        case "auth":
            // AUTH with more than two arguments is a syntax error, answered before Redis redacts.
            frame.count <= 3 ? Array(1..<frame.count) : []
        case "hello":
            helloIndices(frame)
        case "acl|setuser":
            // The user name and every rule (passwords among them), as Redis's aclCommand.
            Array(2..<frame.count)
        default:
            []
        }
    }

    /// HELLO redacts as it reads its options: nothing when the protocol version is refused,
    /// then the two arguments of each AUTH option met before a syntax error.
    private static func helloIndices(_ frame: RESPCommandFrame) -> [Int] {
        guard frame.count > 2 else { return [] }
        guard let version = frame.integer(1), version == 2 || version == 3 else { return [] }
        var indices: [Int] = []
        var index = 2
        while index < frame.count {
            let remaining = frame.count - 1 - index
            if frame.argument(index, equalsCaseInsensitive: "auth") && remaining >= 2 {
                indices += [index + 1, index + 2]
                index += 3
            } else if frame.argument(index, equalsCaseInsensitive: "setname") && remaining >= 1 {
                index += 2
            } else {
                break
            }
        }
        return indices
    }
}
