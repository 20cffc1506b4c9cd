/// Why a run could not complete. A divergence is not an error: it is the run's result
/// (`DifftestReport.divergence`).
public enum DifftestError: Error, CustomStringConvertible, Sendable {
    /// Before any sequence ran: a bad option, a server that cannot be started, reached or
    /// reset (FLUSHALL refused). The executable exits with status 2.
    case setup(String)
    /// A server stopped answering properly while a sequence ran: no reply within the timeout,
    /// connection closed, or a malformed reply. The message names the server, the seed, the
    /// sequence and the steps sent. The executable exits with status 1: it is a finding.
    case endpoint(String)

    public var description: String {
        switch self {
        case .setup(let message): "set-up error: \(message)"
        case .endpoint(let message): "server failure: \(message)"
        }
    }
}
