public import NIOCore
public import SidecacheRESP

/// The engine's command path, opened for the `Benchmarks/` package and nothing else.
///
/// `Benchmarks/` is a package of its own (so that ordo-one/benchmark and its build stay out of
/// the main package), and `package` symbols are visible only inside the package that declares
/// them. This is the smallest public door to what the server does per request: look a handler
/// up once, then run it on a frame with the keyspace lock held, writing the reply into a buffer.
/// Everything else stays `package`.
public enum EngineBenchmarkSupport {
    /// An engine command's handler, looked up once by name.
    public struct Command: Sendable {
        public let name: String
        let handler: EngineCommand
    }

    /// The handler of the engine command `name` (lower case, e.g. "set"; subcommands as
    /// "object|encoding"), or `nil` if the engine does not execute it.
    public static func command(_ name: String) -> Command? {
        handlers[name].map { Command(name: name, handler: $0) }
    }

    private static let handlers: [String: EngineCommand] = Dictionary(
        EngineCommands.all,
        uniquingKeysWith: { first, _ in first }
    )

    /// One connection's engine state on a keyspace, as the server keeps it (RESP2, database 0).
    /// Not thread-safe: use one per benchmark closure.
    public final class Client {
        public let keyspace: Keyspace
        private let client = EngineClient(allocator: ByteBufferAllocator())

        public init(keyspace: Keyspace) {
            self.keyspace = keyspace
        }

        /// Replies written since the last `clearReplies()`.
        public var replies: ByteBuffer { client.out }

        /// Empties the reply buffer, keeping its capacity.
        public func clearReplies() { client.out.clear() }

        /// Runs `command` on `frame` (which must hold the command's own arguments, name first)
        /// under the keyspace lock on the selected database, as the server's dispatch does after
        /// its arity check, and appends the reply. Returns `false` if the command answered an error.
        @discardableResult
        public func run(_ command: Command, _ frame: RESPCommandFrame) -> Bool {
            client.frame = frame
            client.failed = false
            keyspace.withState { state in command.handler(client, state.database(client.database)) }
            return !client.failed
        }
    }
}

@available(*, unavailable)
extension EngineBenchmarkSupport.Client: Sendable {}
