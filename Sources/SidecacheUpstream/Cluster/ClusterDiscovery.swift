public import NIOCore
import SidecacheRESP

/// Finds a Redis Cluster's slot map from seed nodes: connects to each seed in turn (with the
/// credentials, timeouts and protocol of `settings`), asks `CLUSTER SHARDS`, and falls back to
/// `CLUSTER SLOTS` when that is refused (servers before 7.0, an ACL user without the
/// subcommand) or its reply cannot be read. The first seed whose answer gives a map with at
/// least one served slot wins; when none does, the error names every seed and why it failed.
///
/// Every attempt opens its own connection and closes it afterwards, so discovery shares no
/// state (database, health) with the connections that carry client requests. An attempt
/// ends within the connect timeout plus the command timeout (twice that with the fallback).
public struct ClusterDiscovery: Sendable {
    /// The nodes asked first, in order.
    public var seeds: [UpstreamAddress]
    /// How discovery connections are opened; `address` is replaced by each seed's.
    public var settings: UpstreamConnectionSettings

    public init(seeds: [UpstreamAddress], settings: UpstreamConnectionSettings) {
        self.seeds = seeds
        self.settings = settings
    }

    /// The slot map, from the first of `addresses` (the seeds when `nil`) that gives one. A
    /// refresh can pass the nodes of the map it has, then the seeds.
    public func discover(on eventLoop: any EventLoop, from addresses: [UpstreamAddress]? = nil) -> EventLoopFuture<ClusterSlotMap> {
        let candidates = addresses ?? seeds
        guard !candidates.isEmpty else {
            return eventLoop.makeFailedFuture(ClusterDiscoveryError(attempts: []))
        }
        return eventLoop.flatSubmit {
            self.attempt(candidates, index: 0, failures: [], on: eventLoop)
        }
    }

    /// The slot map, from the first of `addresses` (the seeds when `nil`) that gives one.
    public func discover(on eventLoop: any EventLoop, from addresses: [UpstreamAddress]? = nil) async throws -> ClusterSlotMap {
        try await discover(on: eventLoop, from: addresses).get()
    }

    /// Asks `candidates[index]`, then the ones after it while they fail. On `eventLoop`.
    private func attempt(
        _ candidates: [UpstreamAddress],
        index: Int,
        failures: [ClusterDiscoveryError.Attempt],
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<ClusterSlotMap> {
        guard index < candidates.count else {
            return eventLoop.makeFailedFuture(ClusterDiscoveryError(attempts: failures))
        }
        let address = candidates[index]
        return ask(address, on: eventLoop).assumeIsolated().flatMapError { error in
            let reason = (error as? UpstreamFailure)?.message ?? (error as? ClusterTopologyError)?.message ?? "\(error)"
            return self.attempt(
                candidates,
                index: index + 1,
                failures: failures + [ClusterDiscoveryError.Attempt(address: address, reason: reason)],
                on: eventLoop
            )
        }.nonisolated()
    }

    /// The map `address` describes: CLUSTER SHARDS, else CLUSTER SLOTS. Fails with
    /// `UpstreamFailure` (no reply) or `ClusterTopologyError` (a reply that is no usable map).
    private func ask(_ address: UpstreamAddress, on eventLoop: any EventLoop) -> EventLoopFuture<ClusterSlotMap> {
        var settings = settings
        settings.address = address
        let connection = UpstreamConnection(
            eventLoop: eventLoop,
            settings: settings,
            // Its own health record: discovery neither ejects nor is refused by an ejection.
            health: UpstreamNodeHealth(address: address, failureLimit: Int.max, retryTimeoutMilliseconds: 0),
            isProbe: true
        )
        let result = connection.request(["CLUSTER", "SHARDS"]).assumeIsolated().flatMap { reply -> EventLoopFuture<ClusterSlotMap> in
            let shardsProblem: String
            if let error = Self.errorText(reply) {
                shardsProblem = error
            } else {
                do throws(ClusterTopologyError) {
                    return eventLoop.makeSucceededFuture(try Self.usable(ClusterSlotMap(clusterShardsReply: reply, sentTo: address)))
                } catch {
                    shardsProblem = error.message
                }
            }
            return connection.request(["CLUSTER", "SLOTS"]).assumeIsolated().flatMapThrowing { reply in
                if let error = Self.errorText(reply) {
                    throw ClusterTopologyError("CLUSTER SHARDS: \(shardsProblem); CLUSTER SLOTS: \(error)")
                }
                return try Self.usable(ClusterSlotMap(clusterSlotsReply: reply, sentTo: address))
            }.nonisolated()
        }
        result.whenComplete { _ in connection.close() }
        return result.nonisolated()
    }

    /// A map that serves no slot (a node not yet joined to its cluster) is no answer.
    private static func usable(_ map: ClusterSlotMap) throws(ClusterTopologyError) -> ClusterSlotMap {
        guard map.coveredSlotCount > 0 else { throw ClusterTopologyError("the node knows no slot assignments") }
        return map
    }

    private static func errorText(_ reply: RESPValue) -> String? {
        switch reply {
        case .simpleError(let text), .blobError(let text): String(buffer: text)
        default: nil
        }
    }
}

/// Discovery failed at every address it tried; `attempts` says why for each.
public struct ClusterDiscoveryError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Attempt: Sendable, Equatable {
        public var address: UpstreamAddress
        public var reason: String
    }

    public var attempts: [Attempt]

    public var description: String {
        guard !attempts.isEmpty else { return "ERR cluster discovery has no seed node to ask" }
        return "ERR cluster discovery failed at every seed: "
            + attempts.map { "\($0.address): \($0.reason)" }.joined(separator: "; ")
    }
}
