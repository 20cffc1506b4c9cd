import NIOCore
import Synchronization

/// How the registry reaches one subscribed (or monitoring) connection from any thread: its
/// client id, its event loop, an inbox for messages published on other loops and, bound to
/// its loop, the session.
///
/// Ordering: a message published on the subscriber's own loop is written to the session at
/// once, after anything waiting in the inbox; one published elsewhere waits in the inbox,
/// which the session empties in a task and before it runs the commands of each read. So
/// messages from one publisher arrive in order, and a message published before a command
/// reaches this connection is answered before that command, as in Redis. The publisher
/// never waits for the subscriber's socket (its output is unbounded until output-buffer
/// limits arrive).
final class PubSubSubscriber: Sendable {
    /// The session, held weakly: a closed connection stops receiving at once.
    private final class SessionReference {
        weak var session: ClientSession?
        init(_ session: ClientSession) { self.session = session }
    }

    private struct Inbox {
        var messages: [PubSubMessage] = []
        var drainScheduled = false
    }

    let clientID: UInt64
    let eventLoop: any EventLoop
    private let reference: NIOLoopBound<SessionReference>
    private let inbox = Mutex(Inbox())

    /// Must be made on `eventLoop`.
    init(session: ClientSession, eventLoop: any EventLoop) {
        self.clientID = session.record.id
        self.eventLoop = eventLoop
        self.reference = NIOLoopBound(SessionReference(session), eventLoop: eventLoop)
    }

    /// Hands `message` to the session; see the type's comment for the order kept.
    func deliver(_ message: PubSubMessage) {
        if eventLoop.inEventLoop {
            guard let session = reference.value.session else { return }
            session.receivePendingMessages()
            session.receive(message)
            return
        }
        let schedule = inbox.withLock { inbox in
            inbox.messages.append(message)
            defer { inbox.drainScheduled = true }
            return !inbox.drainScheduled
        }
        guard schedule else { return }
        eventLoop.execute { [self] in
            reference.value.session?.receivePendingMessages()
        }
    }

    /// The messages waiting in the inbox, oldest first; the inbox is left empty.
    func takePendingMessages() -> [PubSubMessage] {
        inbox.withLock { inbox in
            inbox.drainScheduled = false
            defer { inbox.messages = [] }
            return inbox.messages
        }
    }
}
