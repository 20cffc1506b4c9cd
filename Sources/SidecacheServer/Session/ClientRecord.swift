import NIOCore
import Synchronization

/// What other connections may see of one client (CLIENT LIST, CLIENT KILL, INFO clients).
/// The session that owns it updates the snapshot once per read batch.
public final class ClientRecord: Sendable {
    public struct Snapshot: Sendable {
        public var name: [UInt8] = []
        public var database = 0
        public var lastInteractionNanoseconds: UInt64
        public var lastCommand = "NULL"
        public var protocolVersion = 2
        public var libraryName: [UInt8] = []
        public var libraryVersion: [UInt8] = []
        public var noEvict = false
        public var user = "default"
        public var queryBufferBytes = 0
        public var queryBufferFree = 0
        public var outputBytes = 0
        public var multi = -1
        /// Channels, patterns and shard channels subscribed to (`sub`, `psub`, `ssub`).
        public var subscriptions = (channels: 0, patterns: 0, shardChannels: 0)

        /// In pub/sub subscribed mode: flag `P`, CLIENT LIST TYPE pubsub.
        public var isSubscriber: Bool {
            subscriptions.channels + subscriptions.patterns + subscriptions.shardChannels > 0
        }
        /// Waiting in a blocking command (flag `b`).
        public var blocked = false
        /// In MONITOR mode (flag `O`).
        public var monitor = false
    }

    public let id: UInt64
    public let address: String
    public let localAddress: String
    public let createdNanoseconds: UInt64
    let channel: any Channel
    let state: Mutex<Snapshot>

    init(id: UInt64, channel: any Channel, now: UInt64) {
        self.id = id
        self.channel = channel
        self.address = Self.format(channel.remoteAddress)
        self.localAddress = Self.format(channel.localAddress)
        self.createdNanoseconds = now
        self.state = Mutex(Snapshot(lastInteractionNanoseconds: now))
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }

    /// `ip:port` as Redis prints it (IPv6 without brackets, as Redis does).
    static func format(_ address: SocketAddress?) -> String {
        guard let address else { return "?:0" }
        switch address {
        case .v4, .v6:
            return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case .unixDomainSocket:
            return address.pathname ?? "?"
        }
    }

    /// The CLIENT LIST / CLIENT INFO line of this client, Redis 7.2's fields in Redis's order.
    func infoLine(now: UInt64) -> String {
        let s = snapshot
        let age = (now &- createdNanoseconds) / 1_000_000_000
        let idle = (now &- s.lastInteractionNanoseconds) / 1_000_000_000
        var flags = s.monitor ? "O" : ""
        if s.isSubscriber { flags += "P" }
        if s.multi >= 0 { flags += "x" }
        if s.blocked { flags += "b" }
        if s.noEvict { flags += "e" }
        if flags.isEmpty { flags = "N" }
        let name = String(decoding: s.name, as: UTF8.self)
        let libraryName = String(decoding: s.libraryName, as: UTF8.self)
        let libraryVersion = String(decoding: s.libraryVersion, as: UTF8.self)
        return "id=\(id) addr=\(address) laddr=\(localAddress) fd=\(id + 7) name=\(name) age=\(age) idle=\(idle) "
            + "flags=\(flags) db=\(s.database) sub=\(s.subscriptions.channels) psub=\(s.subscriptions.patterns) "
            + "ssub=\(s.subscriptions.shardChannels) multi=\(s.multi) qbuf=\(s.queryBufferBytes) "
            + "qbuf-free=\(s.queryBufferFree) argv-mem=0 multi-mem=0 rbs=\(s.queryBufferBytes + s.queryBufferFree) "
            + "rbp=\(s.queryBufferBytes) obl=\(s.outputBytes) oll=0 omem=\(s.outputBytes) "
            + "tot-mem=\(s.queryBufferBytes + s.queryBufferFree + s.outputBytes) events=r cmd=\(s.lastCommand) "
            + "user=\(s.user) redir=-1 resp=\(s.protocolVersion) lib-name=\(libraryName) lib-ver=\(libraryVersion)"
    }
}
