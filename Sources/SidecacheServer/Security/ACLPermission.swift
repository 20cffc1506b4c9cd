import SidecacheEngine
import SidecacheRESP

/// Why a command was refused, with the position of the argument at fault (Redis's
/// `ACL_DENIED_*` and `acl_errpos`), in Redis's order of precedence.
enum ACLDenial: Equatable {
    case command
    case key(position: Int)
    case channel(position: Int)

    var rank: Int {
        switch self {
        case .command: 1
        case .key: 2
        case .channel: 4
        }
    }

    var position: Int {
        switch self {
        case .command: 0
        case .key(let position), .channel(let position): position
        }
    }

    /// The `-NOPERM` error processCommand answers for `spec`.
    func error(for spec: CommandSpec) -> String {
        switch self {
        case .command: "NOPERM this user has no permissions to run the '\(spec.name)' command"
        case .key: "NOPERM this user has no permissions to access one of the keys used as arguments"
        case .channel: "NOPERM this user has no permissions to access one of the channels used as arguments"
        }
    }
}

extension ACLUser {
    /// Redis's `ACLCheckAllUserCommandPerm`: `nil` when some selector allows `spec` with the
    /// arguments of `frame` (the command name at `argumentOffset`), else the denial to report:
    /// a channel over a key over the command itself, the last argument at fault.
    func denial(_ spec: CommandSpec, _ frame: RESPCommandFrame, argumentOffset: Int = 0) -> ACLDenial? {
        let request = ACLRequest(spec: spec, frame: frame, offset: argumentOffset)
        var relevant = ACLDenial.command
        var lastPosition = 0
        var position = 0
        for selector in selectors {
            guard let denial = selector.denial(request) else { return nil }
            if case .command = denial {} else { position = denial.position }
            if denial.rank > relevant.rank || (denial.rank == relevant.rank && position > lastPosition) {
                relevant = denial
                lastPosition = position
            }
        }
        switch relevant {
        case .command: return .command
        case .key: return .key(position: lastPosition)
        case .channel: return .channel(position: lastPosition)
        }
    }
}

/// One request as the selectors check it; keys are found once for all selectors.
final class ACLRequest {
    let spec: CommandSpec
    let frame: RESPCommandFrame
    let offset: Int
    private(set) lazy var keys: [(position: Int, access: ACLSelector.KeyAccess)] = ACLKeys.references(spec, frame, offset)

    init(spec: CommandSpec, frame: RESPCommandFrame, offset: Int) {
        self.spec = spec
        self.frame = frame
        self.offset = offset
    }

    var argumentCount: Int { frame.count - offset }

    func argument(_ position: Int) -> [UInt8] { frame.bytes(position + offset) }
}

extension ACLSelector {
    /// Redis's `ACLSelectorCheckCmd`.
    func denial(_ request: ACLRequest, index: ACLCommandIndex = .shared) -> ACLDenial? {
        let spec = request.spec
        if !flags.contains(.allCommands) && !spec.flags.contains(.noAuth) && !allows(spec.id) {
            guard request.argumentCount >= 2, let arguments = firstArguments[spec.id] else { return .command }
            let first = request.argument(index.parent[spec.id] != nil ? 2 : 1)
            guard arguments.contains(where: { $0.equalsIgnoringCase(first) }) else { return .command }
        }
        if !flags.contains(.allKeys) && index.hasKeys[spec.id] {
            for (position, access) in request.keys {
                let key = request.argument(position)
                let allowed = keyPatterns.contains { pattern in
                    pattern.access.isSuperset(of: access) && pattern.pattern.withUnsafeBytes { p in
                        key.withUnsafeBytes { GlobMatcher.matches(pattern: p, $0) }
                    }
                }
                if !allowed { return .key(position: position) }
            }
        }
        if !flags.contains(.allChannels), let kind = ACLChannels.kind(of: spec), kind != .unsubscribe {
            for position in ACLChannels.positions(kind, argumentCount: request.argumentCount) {
                if !allowsChannel(request.argument(position), pattern: kind == .patternSubscribe) {
                    return .channel(position: position)
                }
            }
        }
        return nil
    }

    /// Redis's `ACLCheckChannelAgainstList`: a channel is matched against the patterns; a
    /// PSUBSCRIBE pattern only equals a pattern literally.
    func allowsChannel(_ channel: [UInt8], pattern isPattern: Bool) -> Bool {
        if flags.contains(.allChannels) { return true }
        return channels.contains { allowed in
            if isPattern { return allowed == channel }
            return allowed.withUnsafeBytes { p in channel.withUnsafeBytes { GlobMatcher.matches(pattern: p, $0) } }
        }
    }
}
