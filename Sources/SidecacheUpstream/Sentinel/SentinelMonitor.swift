public import Logging
public import NIOCore
import NIOPosix
import SidecacheRESP
import Synchronization

/// Follows the primary that a set of Redis Sentinels monitor under one name.
///
/// As the Sentinel client spec asks: the sentinels are asked in turn for the primary's address
/// (`SENTINEL GET-MASTER-ADDR-BY-NAME`), with a short connect timeout, and the first that
/// answers moves to the front of the list; the address it names is checked with `ROLE` before
/// it is believed. Then one connection to that sentinel stays subscribed to `+switch-master`,
/// and a failover it announces for our master changes the primary at once. When that
/// connection breaks (or stops answering PING), the next sentinel is asked and subscribed to.
/// Every `refreshIntervalMilliseconds` the sentinels are asked again whatever the
/// subscription says: the net under a missed message, and the retry while no sentinel answers.
/// A refresh that names another primary than the current one moves the monitor only when more
/// than half of the sentinels that answer agree (one sentinel may not have heard of a failover
/// yet, and the old primary still answers `ROLE` as a master until it is reconfigured).
///
/// All state lives on `eventLoop`; the public methods may be called from anywhere, and
/// `currentPrimary` / `snapshot` read a copy published under a lock.
public final class SentinelMonitor: @unchecked Sendable {
    public let eventLoop: any EventLoop
    public let settings: SentinelSettings
    private let logger: Logger
    private let onPrimaryChange: @Sendable (UpstreamAddress) -> Void
    private let published = Mutex(Snapshot())

    /// What the monitor knows now, for INFO and the admin API.
    public struct Snapshot: Sendable, Equatable {
        /// The primary, once one was found; the last one known while no sentinel answers.
        public var primary: UpstreamAddress?
        /// The sentinel whose `+switch-master` messages are being read, while subscribed.
        public var subscribedSentinel: UpstreamAddress?
        /// Why the last discovery failed; `nil` after one succeeded.
        public var lastError: SentinelError?
        /// Changes of primary after the first one was found.
        public var switches = 0
    }

    // Everything below is touched on `eventLoop` only.

    /// The sentinels in the order they are tried: the last one that answered first.
    private var order: [UpstreamAddress]
    private var running = false
    /// Bumped by every start and stop: callbacks of an earlier run find it changed and do nothing.
    private var generation = 0
    private var primary: UpstreamAddress?
    /// Bumped at every change of primary: a discovery that began before a `+switch-master`
    /// may have heard the old primary named, and its answer is dropped.
    private var epoch = 0
    private var switches = 0
    private var lastError: SentinelError?
    /// A primary one sentinel names but most do not: logged once, not at every refresh.
    private var disputed: UpstreamAddress?
    /// The discovery under way; callers asking meanwhile share it.
    private var discovery: EventLoopFuture<UpstreamAddress>?
    private var subscription: Subscription?
    private var subscriptionCount = 0
    private var refreshTask: RepeatedTask?
    /// Connections of control requests in flight, closed by `stop()`.
    private var controls: [ObjectIdentifier: UpstreamConnection] = [:]

    private struct Subscription {
        var id: Int
        var sentinel: UpstreamAddress
        /// `nil` while connecting.
        var channel: (any Channel)?
        /// The sentinel confirmed the SUBSCRIBE.
        var established = false
        /// A refresh tick found the connection waiting for the SUBSCRIBE confirmation or sent
        /// it a PING; still set at the next tick, the connection is given up.
        var awaitingReply = false
    }

    /// - Parameters:
    ///   - onPrimaryChange: called on `eventLoop` every time the primary changes, the first
    ///     discovery included (from none to the first primary).
    public init(
        settings: SentinelSettings,
        eventLoop: any EventLoop,
        logger: Logger = Logger(label: "sidecache.sentinel"),
        onPrimaryChange: @escaping @Sendable (UpstreamAddress) -> Void = { _ in }
    ) {
        self.settings = settings
        self.eventLoop = eventLoop
        var logger = logger
        logger[metadataKey: "sentinel.master"] = .string(settings.masterName)
        self.logger = logger
        self.onPrimaryChange = onPrimaryChange
        self.order = settings.sentinels
    }

    /// The primary now; `nil` until one was found.
    public var currentPrimary: UpstreamAddress? { published.withLock { $0.primary } }

    public var snapshot: Snapshot { published.withLock { $0 } }

    /// Starts following the primary: completes with the first one found, or fails with a
    /// `SentinelError` that says what each sentinel answered. Either way the monitor runs on
    /// (retrying every refresh interval) until `stop()`. Called again while running, it asks the
    /// sentinels again.
    public func start() -> EventLoopFuture<UpstreamAddress> {
        eventLoop.flatSubmit {
            if !self.running {
                self.running = true
                self.generation += 1
                let interval = TimeAmount.milliseconds(Int64(max(self.settings.refreshIntervalMilliseconds, 10)))
                self.refreshTask = self.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                    self.tick()
                }
            }
            return self.discover()
        }
    }

    /// Asks the sentinels now (what the periodic refresh does); a discovery already under way
    /// is shared. Completes with the primary the first sentinel to answer names, confirmed by
    /// `ROLE`; a change from the current primary is made only when most sentinels agree.
    /// Fails when the monitor is not running.
    public func refresh() -> EventLoopFuture<UpstreamAddress> {
        eventLoop.flatSubmit {
            guard self.running else {
                return self.eventLoop.makeFailedFuture(SentinelError(stoppedMonitorOf: self.settings.masterName))
            }
            return self.discover()
        }
    }

    /// Stops following: the subscription and every control connection are closed, pending
    /// discoveries fail. `currentPrimary` keeps the last primary known.
    public func stop() -> EventLoopFuture<Void> {
        eventLoop.flatSubmit {
            self.running = false
            self.generation += 1
            self.refreshTask?.cancel()
            self.refreshTask = nil
            let channel = self.subscription?.channel
            self.subscription = nil
            let controls = self.controls.values
            self.controls = [:]
            for connection in controls { connection.close() }
            self.publish()
            guard let channel else { return self.eventLoop.makeSucceededVoidFuture() }
            return channel.close().recover { _ in }
        }
    }

    // MARK: State changes

    private func setPrimary(_ address: UpstreamAddress, because reason: String) {
        guard address != primary else { return }
        if let old = primary {
            switches += 1
            logger.notice("primary changed from \(old) to \(address) (\(reason))")
        } else {
            logger.info("primary is \(address) (\(reason))")
        }
        primary = address
        disputed = nil
        epoch += 1
        publish()
        onPrimaryChange(address)
    }

    private func publish() {
        let snapshot = Snapshot(
            primary: primary,
            subscribedSentinel: subscription.flatMap { $0.established ? $0.sentinel : nil },
            lastError: lastError,
            switches: switches
        )
        published.withLock { $0 = snapshot }
    }

    /// Moves `sentinel` to the front of the order (it answered) or to the back (it failed).
    private func move(_ sentinel: UpstreamAddress, toFront: Bool) {
        guard let index = order.firstIndex(of: sentinel) else { return }
        order.remove(at: index)
        if toFront { order.insert(sentinel, at: 0) } else { order.append(sentinel) }
    }

    /// The refresh interval has passed: check the subscription is alive, ask the sentinels.
    private func tick() {
        guard running else { return }
        if var current = subscription, let channel = current.channel {
            if current.awaitingReply {
                logger.warning("sentinel \(current.sentinel) did not answer the subscription connection in time; reconnecting")
                channel.close(promise: nil)
            } else {
                current.awaitingReply = true
                if current.established {
                    var ping = channel.allocator.buffer(capacity: 16)
                    ping.writeRESPRequest(["PING"])
                    channel.writeAndFlush(ping, promise: nil)
                }
                subscription = current
            }
        }
        _ = discover()
    }

    // MARK: Discovery

    /// Asks the sentinels in order until one names a primary that `ROLE` confirms; applies the
    /// answer (unless a `+switch-master` came meanwhile) and makes sure a subscription is open.
    private func discover() -> EventLoopFuture<UpstreamAddress> {
        eventLoop.assertInEventLoop()
        if let discovery { return discovery }
        let promise = eventLoop.makePromise(of: UpstreamAddress.self)
        let future = promise.futureResult
        discovery = future
        let started = (generation: generation, epoch: epoch)
        future.whenComplete { result in
            self.discovery = nil
            guard self.running, self.generation == started.generation else { return }
            switch result {
            case .success(let address):
                self.lastError = nil
                if self.epoch == started.epoch {
                    if let current = self.primary, current != address {
                        self.confirmChange(to: address, from: current)
                    } else {
                        self.setPrimary(address, because: "named by sentinel \(self.order[0])")
                    }
                }
                self.ensureSubscription()
            case .failure(let error):
                let error = error as? SentinelError
                if error != self.lastError, let error { self.logger.warning("\(error)") }
                self.lastError = error
            }
            self.publish()
        }
        ask(DiscoveryRun(generation: generation, sentinels: order), index: 0, promise: promise)
        return future
    }

    /// A discovery named another primary than the current one, with no `+switch-master` heard:
    /// a missed message, or a sentinel that has not yet learnt of a failover (the old primary
    /// answers `ROLE` as a master until the sentinels reconfigure it, some ten seconds later).
    /// The change is made only when more than half of the sentinels that answer name `address`.
    private func confirmChange(to address: UpstreamAddress, from current: UpstreamAddress) {
        let started = (generation: generation, epoch: epoch)
        let query = ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", settings.masterName]
        let answers = order.map { sentinel in
            control(query, to: sentinel, username: settings.sentinelUsername, password: settings.sentinelPassword)
        }
        EventLoopFuture.whenAllComplete(answers, on: eventLoop).whenSuccess { results in
            guard self.running, self.generation == started.generation, self.epoch == started.epoch else { return }
            let named = results.compactMap { result -> UpstreamAddress? in
                guard case .success(let reply) = result, case .address(let address) = Self.primaryAddress(from: reply) else { return nil }
                return address
            }
            let agreeing = named.filter { $0 == address }.count
            if agreeing * 2 > named.count {
                self.setPrimary(address, because: "named by \(agreeing) of the \(named.count) sentinels that answered")
            } else if self.disputed != address {
                self.disputed = address
                self.logger.warning(
                    "a sentinel named \(address) as the primary, but only \(agreeing) of the \(named.count) that answered agree; staying with \(current)"
                )
            }
        }
    }

    private struct DiscoveryRun {
        var generation: Int
        var sentinels: [UpstreamAddress]
        var attempts: [(sentinel: UpstreamAddress, reason: SentinelError.Reason)] = []
        /// What `ROLE` said of each address named so far (`nil`: a primary): asked once per run.
        var roles: [UpstreamAddress: String?] = [:]
    }

    private func ask(_ run: DiscoveryRun, index: Int, promise: EventLoopPromise<UpstreamAddress>) {
        guard running, generation == run.generation else {
            return promise.fail(SentinelError(stoppedMonitorOf: settings.masterName))
        }
        guard index < run.sentinels.count else {
            return promise.fail(SentinelError(masterName: settings.masterName, attempts: run.attempts))
        }
        let sentinel = run.sentinels[index]
        let query = ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", settings.masterName]
        control(query, to: sentinel, username: settings.sentinelUsername, password: settings.sentinelPassword)
            .whenComplete { result in
                var run = run
                let named: NamedPrimary =
                    switch result {
                    case .success(let reply): Self.primaryAddress(from: reply)
                    case .failure(let error): .problem(.failed(Self.reason(error, address: sentinel)))
                    }
                switch named {
                case .problem(let reason):
                    run.attempts.append((sentinel, reason))
                    self.ask(run, index: index + 1, promise: promise)
                case .address(let address):
                    self.verify(address, cache: run.roles).whenSuccess { [run] problem in
                        var run = run
                        run.roles[address] = .some(problem)
                        if let problem {
                            run.attempts.append((sentinel, .notPrimary(address, problem)))
                            self.ask(run, index: index + 1, promise: promise)
                        } else {
                            self.move(sentinel, toFront: true)
                            promise.succeed(address)
                        }
                    }
                }
            }
    }

    /// Whether `address` is a primary: `nil` when `ROLE` says so, else what is wrong.
    private func verify(_ address: UpstreamAddress, cache: [UpstreamAddress: String?]) -> EventLoopFuture<String?> {
        if let known = cache[address] { return eventLoop.makeSucceededFuture(known) }
        return control(["ROLE"], to: address, username: settings.primaryUsername, password: settings.primaryPassword)
            .map { Self.roleProblem(from: $0) }
            .recover { Self.reason($0, address: address) }
    }

    /// One request on a connection of its own, closed once the reply (or the failure) is in.
    private func control(_ arguments: [String], to address: UpstreamAddress, username: String?, password: String?)
        -> EventLoopFuture<RESPValue>
    {
        let connection = UpstreamConnection(
            eventLoop: eventLoop,
            settings: UpstreamConnectionSettings(
                address: address,
                username: username,
                password: password,
                connectTimeoutMilliseconds: settings.connectTimeoutMilliseconds,
                commandTimeoutMilliseconds: settings.commandTimeoutMilliseconds,
                tls: settings.tls
            ),
            health: UpstreamNodeHealth(address: address, failureLimit: .max, retryTimeoutMilliseconds: 0)
        )
        let id = ObjectIdentifier(connection)
        controls[id] = connection
        return connection.request(arguments).assumeIsolated().always { _ in
            connection.close()
            self.controls[id] = nil
        }.nonisolated()
    }

    // MARK: Subscription

    /// Opens the subscription to the first sentinel in the order, unless one is open or opening.
    private func ensureSubscription() {
        guard running, subscription == nil, let sentinel = order.first else { return }
        subscriptionCount += 1
        let id = subscriptionCount
        subscription = Subscription(id: id, sentinel: sentinel)
        let opening = (settings.sentinelHandshake.map { [$0] } ?? []) + [["SUBSCRIBE", SentinelSwitchMaster.channel]]
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(Int64(settings.connectTimeoutMilliseconds)))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [tls = settings.tls] channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addClientHandler(to: channel, host: sentinel.host)
                    let handler = SentinelSubscriptionHandler(
                        opening: opening,
                        onEvent: { self.subscriptionEvent($0, id: id) },
                        onClose: { self.subscriptionClosed(id: id) }
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: sentinel.host, port: sentinel.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    guard self.subscription?.id == id else { return channel.close(promise: nil) }
                    self.subscription?.channel = channel
                case .failure(let error):
                    self.logger.warning("cannot subscribe to sentinel \(sentinel): \(Self.reason(error, address: sentinel))")
                    self.subscriptionClosed(id: id)
                }
            }
    }

    private func subscriptionEvent(_ event: SentinelSubscriptionEvent, id: Int) {
        guard var current = subscription, current.id == id else { return }
        current.awaitingReply = false
        subscription = current
        switch event {
        case .subscribed(SentinelSwitchMaster.channel):
            subscription?.established = true
            publish()
            logger.debug("subscribed to \(SentinelSwitchMaster.channel) on sentinel \(current.sentinel)")
        case .message(SentinelSwitchMaster.channel, let payload):
            guard let change = SentinelSwitchMaster(payload: payload) else {
                return logger.warning("unreadable \(SentinelSwitchMaster.channel) message from \(current.sentinel): \(payload)")
            }
            guard change.masterName == settings.masterName else { return }
            setPrimary(change.new, because: "+switch-master from sentinel \(current.sentinel)")
        case .error(let text):
            logger.warning("sentinel \(current.sentinel) refused the subscription: \(text)")
            current.channel?.close(promise: nil)
        case .subscribed, .message, .pong, .other:
            break
        }
    }

    /// The subscription connection is gone (or never came up): the next sentinel is asked
    /// and subscribed to. One that never confirmed the subscription waits for the next tick.
    private func subscriptionClosed(id: Int) {
        guard let current = subscription, current.id == id else { return }
        subscription = nil
        publish()
        guard running else { return }
        move(current.sentinel, toFront: false)
        if current.established {
            logger.warning("subscription to sentinel \(current.sentinel) was lost; asking the next sentinel")
            _ = discover()
        }
    }
}

extension SentinelMonitor {
    /// A sentinel's answer to `SENTINEL GET-MASTER-ADDR-BY-NAME`.
    enum NamedPrimary: Equatable {
        case address(UpstreamAddress)
        case problem(SentinelError.Reason)
    }

    /// The address in a reply to `SENTINEL GET-MASTER-ADDR-BY-NAME`: `[ip, port]`, or a null
    /// for a master name the sentinel does not know.
    static func primaryAddress(from reply: RESPValue) -> NamedPrimary {
        switch reply {
        case .array(let items?) where items.count == 2:
            guard let host = items[0].text, !host.isEmpty, let port = items[1].text.flatMap({ Int($0) }),
                (1...65535).contains(port)
            else { return .problem(.badReply(describe(reply))) }
            return .address(UpstreamAddress(host: host, port: port))
        case .array(nil), .bulkString(nil), .null:
            return .problem(.unknownMaster)
        case .simpleError(let text), .blobError(let text):
            return .problem(.failed("replied \(String(buffer: text))"))
        default:
            return .problem(.badReply(describe(reply)))
        }
    }

    /// `nil` when a reply to `ROLE` says `master`; else what it says.
    static func roleProblem(from reply: RESPValue) -> String? {
        guard case .array(let items?) = reply, let role = items.first?.text else {
            if case .simpleError(let text) = reply { return "ROLE failed: \(String(buffer: text))" }
            return "ROLE replied \(describe(reply))"
        }
        return role == "master" ? nil : "ROLE says \(role)"
    }

    /// What went wrong with a request to `address`, without the `ERR upstream <address>` that
    /// `UpstreamConnection` puts in front of it.
    static func reason(_ error: any Error, address: UpstreamAddress) -> String {
        guard let failure = error as? UpstreamFailure else { return "\(error)" }
        let prefix = "ERR upstream \(address) "
        return failure.message.hasPrefix(prefix) ? String(failure.message.dropFirst(prefix.count)) : failure.message
    }

    private static func describe(_ reply: RESPValue) -> String {
        let text = "\(reply)"
        return text.count > 80 ? String(text.prefix(80)) + "..." : text
    }
}
