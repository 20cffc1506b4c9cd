import SidecacheRESP

/// One reply that the runner compares: which command it answers, the reply, and how it is
/// compared with the other server's reply to the same command.
struct Observation: Sendable {
    var label: String
    var reply: RESPValue
    var comparison: ReplyComparison
}
