/// The `logging` section.
public struct LoggingConfiguration: Sendable, Equatable {
    /// `level`: the least severe level that is logged.
    public var level: LogLevelName = .info
    /// `format`: how each log line is written.
    public var format: LogFormat = .text

    public init() {}
}

extension LoggingConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("level", \.level, .choice),
            ConfigurationKey("format", \.format, .choice),
        ]
    }
}
