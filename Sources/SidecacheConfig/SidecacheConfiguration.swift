import Yams

/// The whole Sidecache configuration: every section, each with its defaults.
///
/// Decoded from YAML with `decode(yaml:)` or `load(path:)`; a document is validated whole, and a bad one
/// throws a `ConfigurationError` that lists every problem found.
public struct SidecacheConfiguration: Sendable, Equatable {
    public var server: ServerConfiguration
    public var limits: LimitsConfiguration
    public var logging: LoggingConfiguration
    public var encoding: EncodingConfiguration
    public var upstream: UpstreamConfiguration
    public var monitoring: MonitoringConfiguration
    public var memory: MemoryConfiguration
    public var cache: CacheConfiguration
    public var acl: ACLConfiguration
    public var tls: TLSListenerConfiguration
    public var admin: AdminConfiguration
    /// `data_dir`: where Sidecache keeps its files (the configuration history database).
    public var dataDirectory: String

    /// The default configuration: what an empty document gives.
    public init() {
        server = ServerConfiguration()
        limits = LimitsConfiguration()
        logging = LoggingConfiguration()
        encoding = EncodingConfiguration()
        upstream = UpstreamConfiguration()
        monitoring = MonitoringConfiguration()
        memory = MemoryConfiguration()
        cache = CacheConfiguration()
        acl = ACLConfiguration()
        tls = TLSListenerConfiguration()
        admin = AdminConfiguration()
        dataDirectory = "sidecache-data"
    }

    /// Decodes and validates a YAML document. An empty document gives the defaults.
    ///
    /// - Throws: `ConfigurationError` with every problem in the document, in document order.
    public static func decode(yaml: String) throws(ConfigurationError) -> SidecacheConfiguration {
        let document = try YAMLDocument(yaml: yaml)
        guard let root = document.root else { return SidecacheConfiguration() }
        var context = DecodingContext(knownKeyPaths: knownKeyPaths, renamedKeys: document.renamedKeys)
        let configuration = ValueReader<SidecacheConfiguration>.section.read(root, "", &context)
        guard let configuration, context.problems.isEmpty else {
            throw ConfigurationError(problems: context.sortedProblems)
        }
        let crossKeyProblems = configuration.crossKeyProblems
        guard crossKeyProblems.isEmpty else { throw ConfigurationError(problems: crossKeyProblems) }
        return configuration
    }

    /// Reads the file at `path` and decodes it with `decode(yaml:)`.
    ///
    /// - Throws: `ConfigurationError`; a file that cannot be read gives one problem with path "" and the
    ///   operating system's reason.
    public static func load(path: String) throws(ConfigurationError) -> SidecacheConfiguration {
        try decode(yaml: ConfigurationFile.text(atPath: path))
    }

    /// Problems no single key shows, found once every key has decoded; also what the command-line
    /// overrides are checked with.
    public var crossKeyProblems: [ConfigurationProblem] {
        upstream.crossKeyProblems.map { ConfigurationProblem(path: "upstream", message: $0) }
            + cache.crossKeyProblems(upstream: upstream.mode)
            + tls.crossKeyProblems.map { ConfigurationProblem(path: "tls", message: $0) }
    }

    /// The dotted paths of the keys whose values differ in `other` ("memory.maxmemory",
    /// "upstream.nodes"), in the order of the default file; empty when the two are equal.
    public func changedKeyPaths(to other: SidecacheConfiguration) -> [String] {
        Self.configurationKeys.flatMap { $0.changes(self, other) }
    }

    /// The dotted path of every key the decoder knows, e.g. "server.port".
    package static var knownKeyPaths: [String] {
        configurationKeys.flatMap(\.keyPaths)
    }
}

extension SidecacheConfiguration: ConfigurationSection {
    static var configurationKeys: [ConfigurationKey<Self>] {
        [
            ConfigurationKey("server", \.server, .section),
            ConfigurationKey("limits", \.limits, .section),
            ConfigurationKey("logging", \.logging, .section),
            ConfigurationKey("encoding", \.encoding, .section),
            ConfigurationKey("upstream", \.upstream, .section),
            ConfigurationKey("monitoring", \.monitoring, .section),
            ConfigurationKey("memory", \.memory, .section),
            ConfigurationKey("cache", \.cache, .section),
            ConfigurationKey("acl", \.acl, .section),
            ConfigurationKey("tls", \.tls, .section),
            ConfigurationKey("admin", \.admin, .section),
            ConfigurationKey("data_dir", \.dataDirectory, .text),
        ]
    }
}
