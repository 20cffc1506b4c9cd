/// Connection commands that touch the state the other families see: SELECT (so that commands
/// run in databases 0, 1 and 2), and PING / ECHO with values from the pool. Sidecache answers
/// these today; with `--families connection` the tester runs against it already.
public struct ConnectionFamily: DifftestFamily {
    public let name = "connection"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int { 8 }

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        switch g.choose([(6, "SELECT"), (1, "PING"), (1, "PINGMSG"), (2, "ECHO")]) {
        case "SELECT": return [.command("SELECT", g.database())]
        case "PING": return [.command("PING")]
        case "PINGMSG": return [.command("PING", g.value())]
        default: return [.command("ECHO", g.value())]
        }
    }
}
