import Foundation
import NIOCore
import OpenAPIRuntime
import SidecacheConfig
import SidecacheEngine
import SidecacheServer

/// The admin API's operations (`APIProtocol`, generated from openapi/admin.yaml). Each reads
/// from or acts on the running server; configuration changes go through the manager.
struct AdminAPI: APIProtocol {
    let server: SidecacheServer
    let manager: ConfigurationManager
    let metrics: MetricsCollector

    // MARK: Health

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let checks = Components.Schemas.Readiness.ChecksPayload(
            listener: server.isListening, configuration: await manager.current != nil,
            upstream: server.isUpstreamReachable
        )
        let ready = checks.listener && checks.configuration && checks.upstream
        let body = Components.Schemas.Readiness(ready: ready, checks: checks)
        return ready ? .ok(.init(body: .json(body))) : .serviceUnavailable(.init(body: .json(body)))
    }

    // MARK: Statistics

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        let version = await manager.current?.version ?? 0
        return .ok(.init(body: .plainText(HTTPBody(metrics.scrape(server, configurationVersion: version)))))
    }

    func getStats(_ input: Operations.GetStats.Input) async throws -> Operations.GetStats.Output {
        .ok(.init(body: .json(StatsReport.make(server, configurationVersion: await manager.current?.version ?? 0))))
    }

    func getHotKeys(_ input: Operations.GetHotKeys.Input) async throws -> Operations.GetHotKeys.Output {
        let count = input.query.count ?? 10
        guard (1...64).contains(count) else { return .badRequest(Problems.badRequest("count must be between 1 and 64, got \(count)")) }
        let keys = server.hotKeys(count: count).map { hot in
            Components.Schemas.HotKeys.KeysPayloadPayload(
                database: hot.database, key: KeyText.text(hot.key), keyBase64: KeyText.base64(hot.key),
                accesses: hot.accesses, maximumOvercount: hot.maximumOvercount
            )
        }
        return .ok(.init(body: .json(.init(keys: keys))))
    }

    func getBigKeys(_ input: Operations.GetBigKeys.Input) async throws -> Operations.GetBigKeys.Output {
        let count = input.query.count ?? 10
        let minimum = input.query.minBytes ?? 0
        guard (1...1000).contains(count) else { return .badRequest(Problems.badRequest("count must be between 1 and 1000, got \(count)")) }
        guard minimum >= 0 else { return .badRequest(Problems.badRequest("min_bytes must be at least 0, got \(minimum)")) }
        let scan = await server.bigKeys(count: count, minimumBytes: minimum)
        let keys = scan.keys.map { big in
            Components.Schemas.BigKeys.KeysPayloadPayload(
                database: big.database, key: KeyText.text(big.key), keyBase64: KeyText.base64(big.key), _type: big.type,
                bytes: big.bytes
            )
        }
        return .ok(.init(body: .json(.init(keys: keys, keysScanned: scan.scanned, steps: scan.steps))))
    }

    // MARK: Monitoring

    func getSlowLog(_ input: Operations.GetSlowLog.Input) async throws -> Operations.GetSlowLog.Output {
        if let count = input.query.count, count < 0 {
            return .badRequest(Problems.badRequest("count must be at least 0, got \(count)"))
        }
        let entries = server.slowLog(count: input.query.count).map { entry in
            Components.Schemas.SlowLog.EntriesPayloadPayload(
                id: entry.id, time: Int(entry.unixTime), microseconds: entry.microseconds,
                arguments: entry.arguments.map(KeyText.text), peer: entry.peer, clientName: KeyText.text(entry.clientName)
            )
        }
        return .ok(.init(body: .json(.init(entries: entries))))
    }

    func resetSlowLog(_ input: Operations.ResetSlowLog.Input) async throws -> Operations.ResetSlowLog.Output {
        server.resetSlowLog()
        return .noContent(.init())
    }

    func listClients(_ input: Operations.ListClients.Input) async throws -> Operations.ListClients.Output {
        let now = Clocks.monotonicNanoseconds()
        let clients = server.clientRecords.map { record in
            let snapshot = record.snapshot
            return Components.Schemas.Clients.ClientsPayloadPayload(
                id: Int(record.id), address: record.address, localAddress: record.localAddress, name: KeyText.text(snapshot.name),
                ageSeconds: Int((now &- record.createdNanoseconds) / 1_000_000_000),
                idleSeconds: Int((now &- snapshot.lastInteractionNanoseconds) / 1_000_000_000), database: snapshot.database,
                lastCommand: snapshot.lastCommand, _protocol: snapshot.protocolVersion,
                libraryName: KeyText.text(snapshot.libraryName), libraryVersion: KeyText.text(snapshot.libraryVersion)
            )
        }
        return .ok(.init(body: .json(.init(clients: clients))))
    }

    func killClient(_ input: Operations.KillClient.Input) async throws -> Operations.KillClient.Output {
        let id = input.path.id
        guard id >= 0 else { return .badRequest(Problems.badRequest("id must be at least 0, got \(id)")) }
        guard server.killClient(id: UInt64(id)) else {
            return .notFound(Problems.notFound("no client with id \(id) is connected; GET /v1/clients lists them"))
        }
        return .noContent(.init())
    }

    func listUpstreams(_ input: Operations.ListUpstreams.Input) async throws -> Operations.ListUpstreams.Output {
        let (mode, nodes) = server.upstreamNodes
        let nowUptime = NIODeadline.now().uptimeNanoseconds
        let records = nodes.map { node in
            Components.Schemas.Upstreams.NodesPayloadPayload(
                address: "\(node.health.address)", role: node.role, healthy: !node.health.ejected && node.health.consecutiveFailures == 0,
                ejectedUntil: node.ejectedUntilUptimeNanoseconds.map { until in
                    Date().addingTimeInterval(Double(until > nowUptime ? until - nowUptime : 0) / 1e9)
                },
                consecutiveFailures: node.health.consecutiveFailures, ejections: node.health.ejections,
                latencyMicroseconds: node.health.latencyMicroseconds, lastFailure: node.health.lastFailure,
                slotRanges: node.slotRanges.isEmpty ? nil : node.slotRanges.map { [$0.lowerBound, $0.upperBound] }
            )
        }
        return .ok(.init(body: .json(.init(mode: .init(rawValue: mode) ?? .none, nodes: records))))
    }

    // MARK: Configuration

    func getConfig(_ input: Operations.GetConfig.Input) async throws -> Operations.GetConfig.Output {
        guard let current = await manager.current else { throw AdminAPIError.notStarted }
        let settings = Dictionary(server.redisSettings.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let body = Components.Schemas.RunningConfig(
            version: Self.version(current), yaml: current.document, settings: .init(additionalProperties: settings),
            restartPending: await manager.restartPending
        )
        return .ok(.init(body: .json(body)))
    }

    func putConfig(_ input: Operations.PutConfig.Input) async throws -> Operations.PutConfig.Output {
        guard case .json(let request) = input.body else { throw AdminAPIError.notStarted }
        let document: String
        switch Self.document(of: request) {
        case .success(let text): document = text
        case .failure(let problem): return .badRequest(Problems.badRequest(problem.detail))
        }
        switch try await manager.apply(document, source: .api, comment: request.comment) {
        case .success(let outcome): return .ok(.init(body: .json(Self.result(outcome))))
        case .failure(let error): return .unprocessableContent(Problems.invalid(error))
        }
    }

    func validateConfig(_ input: Operations.ValidateConfig.Input) async throws -> Operations.ValidateConfig.Output {
        guard case .json(let request) = input.body else { throw AdminAPIError.notStarted }
        let document: String
        switch Self.document(of: request) {
        case .success(let text): document = text
        case .failure(let problem): return .badRequest(Problems.badRequest(problem.detail))
        }
        switch await manager.validate(document) {
        case .success(let change):
            return .ok(.init(body: .json(.init(valid: true, problems: [], restartRequired: change.restartRequired))))
        case .failure(let error):
            return .ok(.init(body: .json(.init(valid: false, problems: error.problems.map(Problems.item), restartRequired: nil))))
        }
    }

    func listConfigHistory(_ input: Operations.ListConfigHistory.Input) async throws -> Operations.ListConfigHistory.Output {
        let limit = input.query.limit ?? 50
        guard (1...500).contains(limit) else { return .badRequest(Problems.badRequest("limit must be between 1 and 500, got \(limit)")) }
        if let before = input.query.before, before < 1 {
            return .badRequest(Problems.badRequest("before must be at least 1, got \(before)"))
        }
        let records = try manager.history.page(limit: limit + 1, before: input.query.before.map(Int64.init))
        let page = records.prefix(limit)
        let next = records.count > limit ? page.last?.version.map(Int.init) : nil
        return .ok(.init(body: .json(.init(versions: page.map(Self.version), nextBefore: next))))
    }

    func getConfigVersion(_ input: Operations.GetConfigVersion.Input) async throws -> Operations.GetConfigVersion.Output {
        let version = input.path.version
        guard version >= 1 else { return .badRequest(Problems.badRequest("version must be at least 1, got \(version)")) }
        guard let record = try manager.history.record(version: Int64(version)) else {
            return .notFound(Problems.notFound(Problems.unknownVersion(version)))
        }
        return .ok(.init(body: .json(.init(version: Self.version(record), yaml: record.document))))
    }

    func rollbackConfig(_ input: Operations.RollbackConfig.Input) async throws -> Operations.RollbackConfig.Output {
        let version = input.path.version
        guard version >= 1 else { return .badRequest(Problems.badRequest("version must be at least 1, got \(version)")) }
        guard let result = try await manager.rollback(to: Int64(version), comment: input.query.comment) else {
            return .notFound(Problems.notFound(Problems.unknownVersion(version)))
        }
        switch result {
        case .success(let outcome): return .ok(.init(body: .json(Self.result(outcome))))
        case .failure(let error): return .unprocessableContent(Problems.invalid(error))
        }
    }

    // MARK: Cache

    func invalidateCache(_ input: Operations.InvalidateCache.Input) async throws -> Operations.InvalidateCache.Output {
        guard case .json(let request) = input.body else { throw AdminAPIError.notStarted }
        let databases = server.configuration.server.databases
        if let database = request.database, !(0..<databases).contains(database) {
            return .badRequest(Problems.badRequest("database must be between 0 and \(databases - 1), got \(database)"))
        }
        switch (request.keys, request.prefix) {
        case (let keys?, nil):
            guard keys.count <= 10_000 else {
                return .badRequest(Problems.badRequest("at most 10000 keys per request, got \(keys.count); use several requests"))
            }
            let deleted = server.invalidate(keys: keys.map { Array($0.utf8) }, database: request.database)
            return .ok(.init(body: .json(.init(deleted: deleted))))
        case (nil, let prefix?):
            guard !prefix.isEmpty else {
                return .badRequest(Problems.badRequest("an empty prefix matches every key; use POST /v1/cache/flush for that"))
            }
            let deleted = await server.invalidate(prefix: Array(prefix.utf8), database: request.database)
            return .ok(.init(body: .json(.init(deleted: deleted))))
        default:
            return .badRequest(Problems.badRequest("give either 'keys' (a list of keys) or 'prefix' (a key prefix), not both"))
        }
    }

    func flushCache(_ input: Operations.FlushCache.Input) async throws -> Operations.FlushCache.Output {
        .ok(.init(body: .json(.init(deleted: server.flushLocal()))))
    }

    // MARK: Helpers

    /// The YAML text of a PUT or validate body: `yaml` as given, or `configuration` as JSON
    /// text (JSON is YAML); a problem when neither or both are given.
    static func document(of request: Components.Schemas.ConfigDocument) -> Result<String, RequestProblem> {
        switch (request.yaml, request.configuration) {
        case (let yaml?, nil):
            return .success(yaml)
        case (nil, let configuration?):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(configuration.additionalProperties) else {
                return .failure(RequestProblem("'configuration' cannot be encoded as JSON"))
            }
            return .success(String(decoding: data, as: UTF8.self))
        case (nil, nil):
            return .failure(RequestProblem("give the configuration as 'yaml' (the file's text) or as 'configuration' (a JSON object)"))
        case (.some, .some):
            return .failure(RequestProblem("give either 'yaml' or 'configuration', not both"))
        }
    }

    static func version(_ record: ConfigurationRecord) -> Components.Schemas.ConfigVersion {
        Components.Schemas.ConfigVersion(
            version: Int(record.version ?? 0), createdAt: record.createdAt,
            source: .init(rawValue: record.source.rawValue) ?? .api, comment: record.comment, checksum: record.checksum,
            summary: record.summary
        )
    }

    static func result(_ outcome: ConfigurationManager.Outcome) -> Components.Schemas.ApplyResult {
        Components.Schemas.ApplyResult(
            version: version(outcome.record), changed: outcome.changed, applied: outcome.change.applied,
            restartRequired: outcome.change.restartRequired
        )
    }
}

/// Why a request body cannot be used (400).
struct RequestProblem: Error {
    let detail: String
    init(_ detail: String) { self.detail = detail }
}

/// Failures that are the server's fault (500).
enum AdminAPIError: Error, CustomStringConvertible {
    case notStarted

    var description: String { "the configuration history is not ready yet" }
}
