import Logging
import NIOPosix
import NIOCore
import SidecacheConfig
import SidecacheEngine
import SidecacheRESP
import SidecacheUpstream
import Synchronization

/// What all sessions share: the configuration in force, the command table and handlers,
/// the engine, the client registry and the statistics.
final class ServerContext: Sendable {
    typealias Handler = @Sendable (ClientSession) -> Void

    /// How a command runs: on the session (connection and server commands), or in the
    /// engine with the keyspace lock held.
    enum CommandHandler: Sendable {
        case session(Handler)
        case engine(EngineCommand)
    }

    /// The command table with `rename_commands` applied: what clients' command names find.
    let table: CommandTable
    /// ACL users, the ACL log and its counters.
    let acl: ACLRegistry
    /// What in the configuration could not be applied (bad renames, bad user rules): the
    /// listener refuses to start with these.
    let startupProblems: [String]
    /// Indexed by `CommandSpec.id`; `nil` for commands Sidecache does not execute.
    let handlers: [CommandHandler?]
    let keyspace: Keyspace
    let clients = ClientRegistry()
    /// CLIENT PAUSE: whether, and which, commands are held back now.
    let clientPause = ClientPause()
    /// Every pub/sub subscription; also where the keyspace publishes its notifications.
    let pubsub: PubSubRegistry
    let statistics: ServerStatistics
    /// The slow log, the latency monitor and the MONITOR connections.
    let monitoring: ServerMonitoring
    let logger: Logger
    let startedNanoseconds = Clocks.monotonicNanoseconds()
    let runID: String
    let configuration: Mutex<SidecacheConfiguration>
    /// Where the listeners are bound (INFO `tcp_port`, CLIENT LIST `laddr`).
    let boundPort = Atomic<Int>(0)
    /// Bumped by every configuration change, so sessions refresh what they cache of it.
    let configurationGeneration = Atomic<Int>(0)
    /// The configuration file in use; empty for the embedded default.
    let configFile: String
    /// The TLS contexts of the listener and the upstream connections. Fixed at start.
    let tls: ServerTLS
    /// The upstream nodes commands are forwarded to; `nil` for a standalone server. Fixed at start.
    let upstream: UpstreamGroup?
    /// Which node each forwarded command goes to; `nil` for a standalone server.
    let router: UpstreamRouter?
    /// What forwarding does with each command, by `CommandSpec.id`.
    let forwardingKinds: [ForwardingRules.Kind]
    /// The upstream subscriptions that local SUBSCRIBE and PSUBSCRIBE ride on; `nil` when
    /// standalone.
    let subscriptionBridge: SubscriptionBridge?
    /// How long a forwarded request waits for its reply (`upstream.command_timeout`), in ms.
    let upstreamCommandTimeout: Int
    /// The cache tier: `cache.rules` in front of the upstream; `nil` without rules or upstream.
    let cache: CacheTier?

    init(
        configuration: SidecacheConfiguration,
        configFile: String = "",
        logger: Logger,
        clock: @escaping Keyspace.Clock = Keyspace.systemClock,
        upstreamEventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()
    ) {
        self.configFile = configFile
        let security = ServerSecurity.table(configuration)
        self.table = security.table
        let registry = ACLRegistry()
        self.acl = registry
        self.startupProblems = security.problems + ServerSecurity.loadUsers(configuration, into: registry)
        self.configuration = Mutex(configuration)
        self.keyspace = Keyspace(databases: configuration.server.databases, clock: clock)
        let tls = ServerTLS(configuration)
        self.tls = tls
        self.upstream = UpstreamGroup.make(configuration, replyLimits: Self.protocolLimits(configuration), tls: tls.upstream)
        self.upstreamCommandTimeout = configuration.upstream.commandTimeoutMilliseconds
        self.router = UpstreamRouter.make(configuration.upstream, replyLimits: Self.protocolLimits(configuration), tls: tls.upstream)
        let pubsub = PubSubRegistry()
        self.pubsub = pubsub
        let bridge = Self.subscriptionBridge(
            configuration, upstream: upstream, router: router, pubsub: pubsub, eventLoop: upstreamEventLoop, tls: tls.upstream
        )
        self.subscriptionBridge = bridge
        self.forwardingKinds = ForwardingRules.kinds(of: CommandTable.redis, bridgesSubscriptions: bridge != nil)
        keyspace.withState { $0.eventSink = { pubsub.publishKeyspaceEvent($0) } }
        Self.applyEngineSettings(configuration, to: self.keyspace)
        self.cache = upstream == nil || configuration.cache.rules.isEmpty
            ? nil : CacheTier(configuration.cache, table: CommandTable.redis, keyspace: keyspace, logger: logger)
        self.statistics = ServerStatistics(commandCount: CommandTable.redis.all.count)
        self.monitoring = ServerMonitoring(configuration.monitoring)
        self.logger = logger
        var generator = SystemRandomNumberGenerator()
        self.runID = (0..<40).map { _ in String(UInt8.random(in: 0..<16, using: &generator), radix: 16) }.joined()
        var handlers = [CommandHandler?](repeating: nil, count: CommandTable.redis.all.count)
        let all = BuiltinCommands.all.map { ($0.0, CommandHandler.session($0.1)) }
            + EngineCommands.all.map { ($0.0, CommandHandler.engine($0.1)) }
        for (name, handler) in all {
            guard let spec = CommandTable.redis.spec(named: name) else {
                preconditionFailure("handler for '\(name)', which the command table does not know")
            }
            precondition(handlers[spec.id] == nil, "two handlers for '\(name)'")
            handlers[spec.id] = handler
        }
        self.handlers = handlers
    }

    var config: SidecacheConfiguration { configuration.withLock { $0 } }

    /// Applies a change to the running configuration.
    func updateConfiguration(_ body: (inout SidecacheConfiguration) -> Void) {
        let (previous, updated) = configuration.withLock { configuration in
            let previous = configuration
            body(&configuration)
            return (previous, configuration)
        }
        ServerSecurity.apply(updated, previous: previous, to: acl)
        Self.applyEngineSettings(updated, to: keyspace)
        monitoring.apply(updated.monitoring)
        applyLogLevel(updated.logging.level)
        configurationGeneration.add(1, ordering: .releasing)
    }

    /// Hands the engine the parts of the configuration it reads while running commands.
    private static func applyEngineSettings(_ configuration: SidecacheConfiguration, to keyspace: Keyspace) {
        let encoding = configuration.encoding
        var limits = EncodingLimits()
        limits.hashMaxListpackEntries = encoding.hashMaxListpackEntries
        limits.hashMaxListpackValue = encoding.hashMaxListpackValue
        limits.setMaxIntsetEntries = encoding.setMaxIntsetEntries
        limits.setMaxListpackEntries = encoding.setMaxListpackEntries
        limits.setMaxListpackValue = encoding.setMaxListpackValue
        limits.zsetMaxListpackEntries = encoding.zsetMaxListpackEntries
        limits.zsetMaxListpackValue = encoding.zsetMaxListpackValue
        limits.listMaxListpackSize = encoding.listMaxListpackSize
        limits.listCompressDepth = encoding.listCompressDepth
        let memory = configuration.memory
        var eviction = EvictionSettings()
        eviction.maxMemory = memory.maxmemory
        eviction.policy = EvictionPolicy(rawValue: memory.maxmemoryPolicy.rawValue) ?? .noEviction
        eviction.samples = memory.maxmemorySamples
        eviction.lfuLogFactor = memory.lfuLogFactor
        eviction.lfuDecayTime = memory.lfuDecayTime
        keyspace.withState { state in
            if state.eviction != eviction { state.eviction = eviction }
            state.maxStringLength = configuration.limits.protoMaxBulkLen
            state.encodingLimits = limits
            state.notifyFlags = KeyspaceEventClass(flags: configuration.server.notifyKeyspaceEvents.utf8) ?? []
        }
    }

    /// The protocol limits of the running configuration.
    var protocolLimits: RESPLimits { Self.protocolLimits(config) }

    private static func protocolLimits(_ configuration: SidecacheConfiguration) -> RESPLimits {
        let limits = configuration.limits
        return RESPLimits(
            maxBulkLength: limits.protoMaxBulkLen,
            maxMultibulkLength: limits.maxMultibulkLength,
            maxInlineLength: limits.maxInlineLength,
            maxNestingDepth: limits.maxNestingDepth
        )
    }

    /// Whether a new connection must authenticate: the default user needs a password or is off.
    var authenticationRequired: Bool { !acl.defaultUserIsOpen.load(ordering: .relaxed) }

    /// Whether Sidecache executes `spec` (a container counts when any subcommand is executed).
    func isImplemented(_ spec: CommandSpec) -> Bool {
        handlers[spec.id] != nil || spec.subcommands.contains { handlers[$0.id] != nil }
    }

    /// Implemented top-level commands, by name.
    var implementedCommands: [CommandSpec] {
        table.commands.filter(isImplemented)
    }

    /// Implemented subcommands of `spec`.
    func implementedSubcommands(of spec: CommandSpec) -> [CommandSpec] {
        spec.subcommands.filter { handlers[$0.id] != nil }
    }
}
