import NIOCore
import SidecacheRESP

/// The replication commands a standalone engine can answer: WAIT.
package enum ReplicationCommands {
    static let handlers: [(String, EngineCommand)] = [("wait", wait)]

    /// WAIT numreplicas timeout: Redis's argument checks (`getLongFromObjectOrReply`, then
    /// `getTimeoutFromObjectOrReply` in milliseconds: "ERR timeout is not an integer or out
    /// of range", "ERR timeout is negative"), then the number of replicas that acknowledged
    /// the client's writes: always 0, at once. A deliberate difference: redis-server without
    /// replicas blocks for `timeout` (0 meaning forever) when `numreplicas` > 0 before
    /// answering 0; the engine never blocks its event loop, and the answer is the same.
    static func wait(_ client: EngineClient, _ db: Database) {
        guard client.integerArgument(1) != nil else { return }
        guard let timeout = client.frame.integer(2) else {
            client.replyError("ERR timeout is not an integer or out of range")
            return
        }
        guard timeout >= 0 else {
            client.replyError("ERR timeout is negative")
            return
        }
        client.replyInteger(0)
    }
}
