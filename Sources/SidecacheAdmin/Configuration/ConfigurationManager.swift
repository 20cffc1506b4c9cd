import Foundation
import Logging
import SidecacheConfig
import SidecacheServer

/// The one path by which a configuration comes into force after start-up — the file (on a
/// change of content or SIGHUP), PUT /v1/config and rollbacks: validate the whole document,
/// record it in the history, apply it to the running server. Being an actor whose methods
/// never suspend, it runs one change at a time, start to finish; concurrent requests queue.
actor ConfigurationManager {
    /// What a successful apply did.
    struct Outcome: Sendable {
        var record: ConfigurationRecord
        /// False when the document equals the one in force (nothing recorded or applied).
        var changed: Bool
        var change: ConfigurationChange
    }

    let server: SidecacheServer
    let history: ConfigurationHistory
    /// The command-line options, applied to every document as at start-up (`--port`, ...).
    private let overrides: @Sendable (inout SidecacheConfiguration) -> Void
    private let logger: Logger
    /// The version in force and the configuration its document asked for (before the
    /// settings that need a restart were held back).
    private(set) var current: ConfigurationRecord?
    private var requested = SidecacheConfiguration()

    init(
        server: SidecacheServer, history: ConfigurationHistory, logger: Logger,
        overrides: @escaping @Sendable (inout SidecacheConfiguration) -> Void = { _ in }
    ) {
        self.server = server
        self.history = history
        self.logger = logger
        self.overrides = overrides
    }

    /// Decodes `document` and applies the command-line overrides. Throws every problem found.
    func decode(_ document: String) throws(ConfigurationError) -> SidecacheConfiguration {
        var configuration = try SidecacheConfiguration.decode(yaml: document)
        overrides(&configuration)
        let problems = configuration.crossKeyProblems
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return configuration
    }

    /// Records the configuration the process started with (`document`, the file's text, or ""
    /// for the embedded default) as a new version, saying how it differs from the last one
    /// recorded before the restart.
    func recordStartup(document: String) throws -> ConfigurationRecord {
        let running = server.configuration
        var summary = "first recorded configuration"
        if let previous = try history.latest(), let version = previous.version {
            let before = try? decode(previous.document)
            let changes = before.map { $0.changedKeyPaths(to: running) } ?? []
            summary = "restart; " + (changes.isEmpty ? "same settings as version \(version)" : Self.describe(changes))
        }
        let record = try history.append(
            ConfigurationRecord(createdAt: Date(), source: .startup, comment: nil, document: document, summary: summary)
        )
        current = record
        requested = running
        return record
    }

    /// What applying `document` would do, or every problem in it.
    func validate(_ document: String) -> Result<ConfigurationChange, ConfigurationError> {
        do throws(ConfigurationError) {
            return .success(server.preview(try decode(document)))
        } catch {
            return .failure(error)
        }
    }

    /// Validates, records and applies `document`. A document equal to the one in force is
    /// neither recorded nor applied again, unless `force` (a rollback is always recorded).
    /// Throws only when the history cannot be written (then nothing was applied).
    func apply(
        _ document: String, source: ConfigurationRecord.Source, comment: String?, force: Bool = false
    ) throws -> Result<Outcome, ConfigurationError> {
        let configuration: SidecacheConfiguration
        do throws(ConfigurationError) {
            configuration = try decode(document)
        } catch {
            return .failure(error)
        }
        if let current, !force, current.checksum == SHA256.hex(Array(document.utf8)) {
            return .success(Outcome(record: current, changed: false, change: server.preview(configuration)))
        }
        let changes = requested.changedKeyPaths(to: configuration)
        let record = try history.append(
            ConfigurationRecord(
                createdAt: Date(), source: source, comment: comment, document: document,
                summary: changes.isEmpty ? "no setting changed" : Self.describe(changes)
            )
        )
        let change = server.apply(configuration)
        current = record
        requested = configuration
        logger.info(
            "configuration version \(record.version ?? 0) applied",
            metadata: [
                "source": "\(source.rawValue)", "changed": "\(record.summary)",
                "restart_required": "\(change.restartRequired.joined(separator: ", "))",
            ]
        )
        return .success(Outcome(record: record, changed: true, change: change))
    }

    /// Applies version `version`'s document again as a new version; nil when there is no such
    /// version.
    func rollback(to version: Int64, comment: String?) throws -> Result<Outcome, ConfigurationError>? {
        guard let old = try history.record(version: version) else { return nil }
        return try apply(old.document, source: .rollback, comment: comment ?? "rollback to version \(version)", force: true)
    }

    /// The settings whose requested value waits for a restart.
    var restartPending: [String] { server.preview(requested).restartRequired }

    /// "a, b, c" or "a, b, c and 4 more".
    static func describe(_ paths: [String]) -> String {
        let shown = paths.prefix(8).joined(separator: ", ")
        return paths.count > 8 ? "changed \(shown) and \(paths.count - 8) more" : "changed \(shown)"
    }
}
