import Logging
import SidecacheConfig

extension ServerContext {
    /// Applies `logging.level` at run time (CONFIG SET loglevel). The executable's log handler
    /// shares one level among all copies of a logger, so setting it on a copy sets it for all;
    /// with another handler (tests) this changes nothing.
    func applyLogLevel(_ name: LogLevelName) {
        guard let level = Logger.Level(rawValue: name.rawValue) else { return }
        var logger = self.logger
        if logger.logLevel != level { logger.logLevel = level }
    }
}
