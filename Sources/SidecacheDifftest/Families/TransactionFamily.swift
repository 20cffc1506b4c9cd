/// Transactions (Redis's multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH, in and out of place
/// (EXEC without MULTI, nested MULTI, WATCH inside MULTI). While a MULTI is open the family
/// weighs more, and EXEC more so as the transaction grows, so that transactions stay a few
/// commands long; the other families' commands are queued in between.
///
/// The runner compares EXEC's reply element by element with the comparisons of the commands
/// that were queued (`ReplyComparison.transaction`).
public struct TransactionFamily: DifftestFamily {
    public let name = "transactions"

    public init() {}

    public func weight(in generator: DifftestGenerator) -> Int {
        generator.inTransaction ? 15 + 10 * min(generator.stepsInTransaction, 4) : 6
    }

    public func generate(_ g: inout DifftestGenerator) -> [DifftestStep] {
        if g.inTransaction {
            let longEnough = g.stepsInTransaction >= 2
            switch g.choose([(longEnough ? 12 : 1, "EXEC"), (2, "DISCARD"), (1, "MULTI"), (1, "WATCH"), (1, "UNWATCH")]) {
            case "WATCH": return [.command("WATCH", arguments: g.keys(1...2))]
            case let command: return [.command(command)]
            }
        }
        switch g.choose([(6, "MULTI"), (3, "WATCH"), (1, "UNWATCH"), (1, "EXEC"), (1, "DISCARD")]) {
        case "WATCH": return [.command("WATCH", arguments: g.keys(1...3))]
        case let command: return [.command(command)]
        }
    }
}
