import Foundation
import Logging
import ServiceLifecycle
import SidecacheConfig
import UnixSignals

/// Hot reload: watches the configuration file and applies it through the manager when its
/// content changes (checked every `interval`) or on SIGHUP. A file that fails validation
/// leaves the running configuration and logs every problem; it is not retried until its
/// content changes again (or SIGHUP).
struct ConfigurationFileWatcher: Sendable {
    let path: String
    let manager: ConfigurationManager
    let logger: Logger
    let interval: Duration

    init(path: String, manager: ConfigurationManager, logger: Logger, interval: Duration = .milliseconds(200)) {
        self.path = path
        self.manager = manager
        self.logger = logger
        self.interval = interval
    }

    /// Watches until cancelled or graceful shutdown. `initial` is the text the process started with.
    func run(initial: String) async {
        let lastSeen = LastSeen(text: initial)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                let signals = await UnixSignalsSequence(trapping: .sighup)
                for await _ in signals.cancelOnGracefulShutdown() {
                    await reload(lastSeen, reason: "SIGHUP", always: true)
                }
            }
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: interval)
                    await reload(lastSeen, reason: "file changed", always: false)
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Reads the file and applies it when its text differs from the last seen (or `always`).
    private func reload(_ lastSeen: LastSeen, reason: String, always: Bool) async {
        let text: String
        do throws(ConfigurationError) {
            text = try ConfigurationFile.text(atPath: path)
        } catch {
            if always { logger.error("configuration not reloaded: \(path): \(error)") }
            return
        }
        guard await lastSeen.replace(with: text) || always else { return }
        do {
            switch try await manager.apply(text, source: .file, comment: reason) {
            case .success(let outcome) where outcome.changed:
                logger.info("reloaded \(path) (\(reason)) as configuration version \(outcome.record.version ?? 0)")
            case .success:
                break
            case .failure(let error):
                logger.error("configuration not reloaded, the running one stays: \(path): \(error)")
            }
        } catch {
            logger.error("configuration not reloaded: cannot record it in the history: \(error)")
        }
    }

    /// The file text seen last.
    private actor LastSeen {
        var text: String
        init(text: String) { self.text = text }

        /// Stores `text`; returns whether it differs from the one stored before.
        func replace(with text: String) -> Bool {
            defer { self.text = text }
            return text != self.text
        }
    }
}
