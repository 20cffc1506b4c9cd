/// A log level by name, from the most to the least verbose; the executable maps it onto swift-log's levels.
public enum LogLevelName: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
