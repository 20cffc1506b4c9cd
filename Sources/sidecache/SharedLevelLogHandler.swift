import Logging
import Synchronization

/// The process's log level, one for every logger, changeable while running (CONFIG SET loglevel).
final class SharedLogLevel: Sendable {
    private let level: Atomic<UInt8>

    init(_ level: Logger.Level) {
        self.level = Atomic(Self.code(level))
    }

    var value: Logger.Level {
        get { Self.levels[Int(level.load(ordering: .relaxed))] }
        set { level.store(Self.code(newValue), ordering: .relaxed) }
    }

    private static let levels = Logger.Level.allCases

    private static func code(_ level: Logger.Level) -> UInt8 {
        UInt8(levels.firstIndex(of: level) ?? 0)
    }
}

/// A log handler (text or JSON) whose level is the shared one: setting `logLevel` on any copy
/// of any logger changes it for all, which is how the server applies `loglevel` at run time.
struct SharedLevelLogHandler: LogHandler {
    var inner: any LogHandler
    let shared: SharedLogLevel

    var logLevel: Logger.Level {
        get { shared.value }
        set { shared.value = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        inner.log(event: event)
    }
}
