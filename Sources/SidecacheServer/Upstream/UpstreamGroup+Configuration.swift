import SidecacheConfig
import SidecacheRESP
import SidecacheUpstream

extension UpstreamGroup {
    /// The upstream of `configuration`; `nil` in standalone mode (`mode: none`).
    static func make(_ configuration: SidecacheConfiguration, replyLimits: RESPLimits) -> UpstreamGroup? {
        let upstream = configuration.upstream
        guard upstream.mode != .none else { return nil }
        let settings = upstream.nodes.map { node in
            UpstreamConnectionSettings(
                address: UpstreamAddress(host: node.host, port: node.port),
                username: upstream.username,
                password: upstream.password,
                connectTimeoutMilliseconds: upstream.connectTimeoutMilliseconds,
                commandTimeoutMilliseconds: upstream.commandTimeoutMilliseconds,
                maxInFlight: upstream.maxInFlight,
                replyLimits: replyLimits
            )
        }
        return UpstreamGroup(
            settings: settings,
            connectionsPerNode: upstream.connections,
            failureLimit: upstream.failureLimit,
            retryTimeoutMilliseconds: upstream.retryTimeoutMilliseconds,
            healthCheckIntervalMilliseconds: upstream.healthCheckIntervalMilliseconds
        )
    }
}
