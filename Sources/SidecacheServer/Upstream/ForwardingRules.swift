import SidecacheEngine
import SidecacheRESP

/// Which commands the sidecar answers itself when an upstream is configured, and which need a
/// connection of their own upstream.
enum ForwardingRules {
    /// Answered by the sidecar: the connection's own state (AUTH, HELLO, SELECT, CLIENT ...)
    /// and the sidecar's own introspection and configuration.
    private static func isLocal(_ spec: CommandSpec) -> Bool {
        if spec.group == "connection" { return true }
        switch spec.name {
        case "info", "config", "command", "shutdown", "slowlog", "latency", "monitor", "acl": return true
        default: return false
        }
    }

    /// Subscriptions that no shared upstream subscription carries (shard channels): refused
    /// with a clear error rather than half-working.
    private static func isUnsupportedSubscription(_ spec: CommandSpec) -> Bool {
        switch spec.name {
        case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe": true
        default: false
        }
    }

    /// How a forwarded command changes the client's need for a connection of its own: MULTI and
    /// WATCH start it; EXEC, DISCARD and (outside MULTI) UNWATCH end it once sent.
    enum PinChange: Sendable {
        case none, startTransaction, startWatch, endAfterSending, unwatch
    }

    /// What forwarding does with a command, decided once per command of the table.
    enum Kind: Sendable {
        case local
        case refusedSubscription
        case forwarded(PinChange)
    }

    /// `Kind` of every command and subcommand, indexed by `CommandSpec.id`, so that the
    /// per-request decision is an array read rather than string comparisons.
    ///
    /// - Parameter bridgesSubscriptions: SUBSCRIBE and PSUBSCRIBE (and their UN- forms) are
    ///   served here, through one shared upstream subscription (`UpstreamSubscription`).
    static func kinds(of table: CommandTable, bridgesSubscriptions: Bool) -> [Kind] {
        var kinds = [Kind](repeating: .forwarded(.none), count: table.all.count)
        for spec in table.all {
            if isLocal(spec) || bridgesSubscriptions && isBridgedSubscription(spec) {
                kinds[spec.id] = .local
            } else if isUnsupportedSubscription(spec) {
                kinds[spec.id] = .refusedSubscription
            } else {
                kinds[spec.id] = .forwarded(pinChange(spec))
            }
        }
        return kinds
    }

    private static func isBridgedSubscription(_ spec: CommandSpec) -> Bool {
        ["subscribe", "psubscribe", "unsubscribe", "punsubscribe"].contains(spec.name)
    }

    private static func pinChange(_ spec: CommandSpec?) -> PinChange {
        switch spec?.name {
        case "multi": .startTransaction
        case "watch": .startWatch
        case "exec", "discard": .endAfterSending
        case "unwatch": .unwatch
        default: .none
        }
    }

    /// The reply wait of a blocking command, in milliseconds: the client's own timeout plus
    /// the command timeout, 0 (none) when the client waits for ever, `nil` when the command
    /// does not block (a non-blocking XREAD, say) or its timeout cannot be read.
    static func blockingTimeout(_ spec: CommandSpec, _ frame: RESPCommandFrame, commandTimeout: Int) -> Int? {
        var clientMilliseconds: Double?
        switch spec.name {
        case "blpop", "brpop", "bzpopmin", "bzpopmax", "brpoplpush", "blmove":
            clientMilliseconds = seconds(frame, frame.count - 1).map { $0 * 1000 }
        case "blmpop", "bzmpop":
            clientMilliseconds = seconds(frame, 1).map { $0 * 1000 }
        case "wait", "waitaof":
            clientMilliseconds = frame.integer(frame.count - 1).map(Double.init)
        case "xread", "xreadgroup":
            guard let block = (1..<frame.count).first(where: { frame.argument($0, equalsCaseInsensitive: "block") }),
                block + 1 < frame.count
            else { return nil }
            clientMilliseconds = frame.integer(block + 1).map(Double.init)
        default:
            return nil
        }
        guard let clientMilliseconds, clientMilliseconds >= 0, clientMilliseconds < 1e12 else { return nil }
        return clientMilliseconds == 0 ? 0 : Int(clientMilliseconds.rounded(.up)) + commandTimeout
    }

    private static func seconds(_ frame: RESPCommandFrame, _ index: Int) -> Double? {
        guard index > 0, index < frame.count else { return nil }
        return Double(frame.string(index))
    }
}
