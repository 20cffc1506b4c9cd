public import Logging
import Synchronization

/// The log level in force, changeable while the process runs (`logging.level` on reload). The
/// executable's log handlers read it for every message; a library logger never sets it.
public final class LogLevelControl: Sendable {
    public static let shared = LogLevelControl()

    private let raw = Atomic<UInt8>(LogLevelControl.code(.info))

    public var level: Logger.Level {
        get { Logger.Level.allCases[Int(raw.load(ordering: .relaxed))] }
        set { raw.store(Self.code(newValue), ordering: .relaxed) }
    }

    private static func code(_ level: Logger.Level) -> UInt8 {
        UInt8(Logger.Level.allCases.firstIndex(of: level) ?? 3)
    }
}
