import SidecacheConfig
import SidecacheEngine
import SidecacheRESP

/// CONFIG parameters of client limits and logging whose values are not a plain number.
extension ConfigCommand {
    /// `maxclients`: as Redis, raising it first raises the open-files limit, and a value the
    /// limit cannot allow is refused with the largest one it can.
    static let maxClients = Parameter(name: "maxclients", get: { String($0.server.maxClients) }) { config, text in
        guard let value = RedisInteger.parse(bytes: Array(text.utf8)) else {
            return "argument couldn't be parsed into an integer"
        }
        guard (1...4_294_967_295).contains(value) else { return "argument must be between 1 and 4294967295 inclusive" }
        if Int(value) > config.server.maxClients {
            let allowed = OpenFilesLimit.adjust(forMaxClients: Int(value)).maxClients
            guard allowed >= Int(value) else {
                return "The operating system is not able to handle the specified number of clients, try with \(allowed)"
            }
        }
        config.server.maxClients = Int(value)
        return nil
    }

    /// `client-output-buffer-limit`: `normal h s t slave h s t pubsub h s t`; CONFIG SET takes
    /// any of the classes, each `class hard soft seconds`.
    static let clientOutputBufferLimit = Parameter(
        name: "client-output-buffer-limit",
        get: { $0.limits.clientOutputBufferLimits.redisText }
    ) { config, text in
        config.limits.clientOutputBufferLimits.apply(redisText: text)
    }

    /// `loglevel` in Redis's names: debug, verbose (info), notice, warning; a finer or coarser
    /// level set in the configuration file reads as the nearest of these.
    static let logLevel = Parameter(name: "loglevel", get: { redisLogLevelName($0.logging.level) }) { config, text in
        let levels: [String: LogLevelName] = ["debug": .debug, "verbose": .info, "notice": .notice, "warning": .warning]
        guard let level = levels[text.lowercased()] else {
            return "argument(s) must be one of the following: debug, verbose, notice, warning"
        }
        config.logging.level = level
        return nil
    }

    static func redisLogLevelName(_ level: LogLevelName) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info: "verbose"
        case .notice: "notice"
        case .warning, .error, .critical: "warning"
        }
    }
}
