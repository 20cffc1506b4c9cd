import NIOCore
import SidecacheEngine

/// A session's wait in a blocking command: the engine's registration, what to count when it
/// ends, and the timer of its timeout.
struct BlockedWait {
    let blocked: BlockedClient
    /// The command that blocked (its calls are counted when the wait ends).
    let spec: CommandSpec
    /// How long its first run took.
    let microseconds: Int
    /// CLIENT REPLY OFF or SKIP was in force for the command: its eventual reply is dropped.
    let replySuppressed: Bool
    /// Fires on the session's event loop when the timeout passes; `nil` without a timeout.
    var timer: Scheduled<Void>?
    /// The command's arguments as its slow log entry would show them; `nil` while the slow log is off.
    var slowLogArguments: [[UInt8]]?
}
