import NIOCore
import SidecacheEngine
import SidecacheRESP

/// MULTI, EXEC, DISCARD, WATCH and UNWATCH (Redis's `multi.c`). Queueing happens in
/// `ClientSession.dispatch`; the watch registry lives in the engine.
enum TransactionCommands {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("multi", multi), ("exec", exec), ("discard", discard), ("watch", watch), ("unwatch", unwatch),
    ]

    static func multi(_ session: ClientSession) {
        guard session.transaction == nil else {
            return session.replyError("ERR MULTI calls can not be nested")
        }
        session.transaction = []
        session.transactionFailed = false
        session.recordDirty = true
        session.out.writeStaticString("+OK\r\n")
    }

    /// Runs the queued commands under one hold of the keyspace lock, so no other client's
    /// command runs in between. A watched key that changed or expired answers a null array;
    /// a command refused while queueing answers EXECABORT. Errors of individual commands are
    /// their replies; nothing is rolled back.
    static func exec(_ session: ClientSession) {
        guard let queued = session.transaction else {
            return session.replyError("ERR EXEC without MULTI")
        }
        let aborted = session.transactionFailed
        endTransaction(session)
        session.server.keyspace.withState { state in
            let watchBroken = state.isWatchBroken(session.client.watch)
            state.unwatchAll(session.client.watch)
            if aborted {
                session.replyError("EXECABORT Transaction discarded because of previous errors.")
                return
            }
            if watchBroken {
                session.client.replyNullArray()
                return
            }
            session.lockedKeyspace = state
            defer { session.lockedKeyspace = nil }
            session.out.writeRESPArrayHeader(queued.count)
            let execSpec = session.command
            let execFrame = session.frame
            for (spec, frame) in queued {
                session.frame = frame
                session.command = spec
                if let refusal = session.aclRefusalAtExec(spec) {
                    session.replyError(refusal)
                } else if let handler = session.server.handlers[spec.id] {
                    session.execute(spec, handler)
                }
            }
            session.command = execSpec
            session.frame = execFrame
            session.failed = false
        }
    }

    static func discard(_ session: ClientSession) {
        guard session.transaction != nil else {
            return session.replyError("ERR DISCARD without MULTI")
        }
        endTransaction(session)
        session.withKeyspace { $0.unwatchAll(session.client.watch) }
        session.out.writeStaticString("+OK\r\n")
    }

    static func watch(_ session: ClientSession) {
        guard session.transaction == nil else {
            return session.replyError("ERR WATCH inside MULTI is not allowed")
        }
        session.withKeyspace { state in
            let database = state.database(session.database)
            for index in 1..<session.frame.count {
                session.frame.withArgument(index) { database.watch($0, by: session.client.watch) }
            }
        }
        session.out.writeStaticString("+OK\r\n")
    }

    static func unwatch(_ session: ClientSession) {
        session.withKeyspace { $0.unwatchAll(session.client.watch) }
        session.out.writeStaticString("+OK\r\n")
    }

    /// Leaves MULTI state (the queued commands are dropped by the caller).
    static func endTransaction(_ session: ClientSession) {
        session.transaction = nil
        session.transactionFailed = false
        session.recordDirty = true
    }

    /// What RESET and a closing connection do: no transaction, nothing watched.
    static func forget(_ session: ClientSession) {
        endTransaction(session)
        session.withKeyspace { $0.unwatchAll(session.client.watch) }
    }
}
