/// What applying a new configuration did (or would do): the settings changed in place, and the
/// ones that keep their running value until the process restarts. Both hold dotted key paths of
/// the configuration file ("memory.maxmemory_policy", "server.port").
public struct ConfigurationChange: Sendable, Equatable {
    public var applied: [String] = []
    public var restartRequired: [String] = []

    public init(applied: [String] = [], restartRequired: [String] = []) {
        self.applied = applied
        self.restartRequired = restartRequired
    }
}
