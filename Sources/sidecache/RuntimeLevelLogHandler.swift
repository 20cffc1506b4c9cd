import Logging
import SidecacheServer

/// A log handler whose level is `LogLevelControl.shared`'s, read for every message, so that a
/// reloaded `logging.level` takes effect at once; setting `logLevel` on any copy of any logger
/// sets it for all, which is how `CONFIG SET loglevel` applies.
struct RuntimeLevelLogHandler<Wrapped: LogHandler>: LogHandler {
    var wrapped: Wrapped

    init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    var logLevel: Logger.Level {
        get { LogLevelControl.shared.level }
        set { LogLevelControl.shared.level = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        wrapped.log(event: event)
    }
}
