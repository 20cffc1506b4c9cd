import NIOCore
import SidecacheEngine
import SidecacheRESP
import SidecacheUpstream

/// The state of one connection, owned by its event loop: what Redis keeps in `client`.
final class ClientSession {
    enum ReplyMode {
        case on, off, skipNext, skipThis
    }

    let server: ServerContext
    let record: ClientRecord
    /// The engine's view of this connection: request, replies, database, WATCH state.
    let client: EngineClient
    /// The spec of the request being executed (subcommand resolved).
    @exclusivity(unchecked) var command: CommandSpec?
    /// Redis's `c->authenticated`: set by AUTH/HELLO, or at connection when the default user
    /// needed no password. See `authenticated`.
    @exclusivity(unchecked) var authenticatedFlag: Bool
    /// The ACL user this connection runs as, as the registry had it at `aclGeneration`.
    @exclusivity(unchecked) var aclUser: ACLUser
    /// Whether `aclUser` may run everything, so that commands skip the ACL check.
    @exclusivity(unchecked) var aclUnrestricted: Bool
    @exclusivity(unchecked) var aclGeneration: Int
    /// Commands queued by MULTI, with their specs; `nil` outside a transaction.
    @exclusivity(unchecked) var transaction: [(spec: CommandSpec, frame: RESPCommandFrame)]?
    /// Set when a command was refused while queueing: EXEC answers EXECABORT.
    @exclusivity(unchecked) var transactionFailed = false
    /// The keyspace while an EXEC holds its lock, so that the commands it runs do not lock again.
    @exclusivity(unchecked) var lockedKeyspace: KeyspaceState?
    @exclusivity(unchecked) var replyMode: ReplyMode = .on
    /// Set by QUIT and by fatal errors: flush what is pending, then close.
    @exclusivity(unchecked) var closeAfterReply = false
    @exclusivity(unchecked) var statistics = SessionStatistics()
    /// Whether the snapshot other connections read needs refreshing.
    @exclusivity(unchecked) var recordDirty = true
    /// Pub/sub channels, patterns and shard channels this connection is subscribed to.
    @exclusivity(unchecked) var subscriptions = ClientSubscriptions()
    /// The blocking command this connection waits in (BLPOP and friends); `nil` when none.
    @exclusivity(unchecked) var blockedWait: BlockedWait?
    /// Forwarding state; `nil` without an upstream.
    @exclusivity(unchecked) var forwarding: SessionForwarding?
    /// Called when upstream replies for this session have arrived (flush, read on).
    @exclusivity(unchecked) var onUpstreamDelivery: (() -> Void)?
    /// Whether this connection ran MONITOR: it receives every executed command (`MonitorRegistry`).
    @exclusivity(unchecked) var isMonitoring = false
    /// Whether a CLIENT PAUSE holds this connection's next request (`ClientSession+Pause.swift`).
    @exclusivity(unchecked) var isPostponed = false
    /// `client-output-buffer-limit` bookkeeping (`OutputBufferLimit.swift`).
    @exclusivity(unchecked) var outputLimit = OutputBufferLimitState()

    init(server: ServerContext, record: ClientRecord, allocator: ByteBufferAllocator) {
        self.server = server
        self.record = record
        self.client = EngineClient(allocator: allocator)
        self.authenticatedFlag = !server.authenticationRequired
        self.aclGeneration = server.acl.generation.load(ordering: .acquiring)
        self.aclUser = server.acl.defaultUser
        self.aclUnrestricted = aclUser.isUnrestricted
        if let upstream = server.upstream, let router = server.router {
            forwarding = SessionForwarding(
                pool: upstream.pool(for: record.channel.eventLoop),
                allocator: allocator,
                router: router,
                nodes: upstream.nodes,
                rehashEjected: server.config.upstream.ejectedShard == .rehash
            )
            if let cache = server.cache { forwarding!.cache = SessionCache(ruleCount: cache.policy.rules.count) }
        }
    }

    /// Redis's `!authRequired(c)`: authenticated, or the default user needs no password now.
    var authenticated: Bool {
        get { authenticatedFlag || server.acl.defaultUserIsOpen.load(ordering: .relaxed) }
        set { authenticatedFlag = newValue }
    }

    /// The request being executed.
    var frame: RESPCommandFrame {
        _read { yield client.frame }
        _modify { yield &client.frame }
    }

    /// Replies not yet written to the socket.
    var out: ByteBuffer {
        _read { yield client.out }
        _modify { yield &client.out }
    }

    var protocolVersion: RESPProtocolVersion {
        get { client.protocolVersion }
        set { client.protocolVersion = newValue }
    }

    var database: Int {
        get { client.database }
        set { client.database = newValue }
    }

    /// Whether the current command answered with an error.
    var failed: Bool {
        get { client.failed }
        set { client.failed = newValue }
    }

    /// An error reply, counted in `total_error_replies` and the command's `failed_calls`.
    func replyError(_ message: String) {
        client.replyError(message)
    }

    /// Hands the counters gathered since the last call to the server's totals.
    func mergeStatistics() {
        statistics.errorReplies += client.errorReplies
        client.errorReplies = 0
        statistics.merge(into: server.statistics)
        mergeCacheCounters()
    }

    /// Publishes what CLIENT LIST shows of this session.
    func publishRecord(lastCommand: String?, queued: Int, now: UInt64) {
        record.update { snapshot in
            snapshot.lastInteractionNanoseconds = now
            if let lastCommand { snapshot.lastCommand = lastCommand }
            snapshot.database = database
            snapshot.multi = transaction?.count ?? -1
            snapshot.blocked = blockedWait != nil || isPostponed
            snapshot.protocolVersion = protocolVersion.rawValue
            snapshot.queryBufferBytes = queued
            snapshot.outputBytes = max(out.readableBytes, outputLimit.publishedBytes)
            snapshot.subscriptions = (subscriptions.channels.count, subscriptions.patterns.count, subscriptions.shardChannels.count)
        }
    }
}
