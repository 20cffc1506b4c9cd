import NIOCore
import SidecacheConfig
import SidecacheEngine
import SidecacheRESP

/// CONFIG GET / SET / RESETSTAT for the parameters Sidecache supports, with redis-server's
/// names, glob matching and error texts.
enum ConfigCommand {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("config|get", get), ("config|set", set), ("config|resetstat", resetStat), ("config|help", help),
    ]

    /// A parameter: how to read it, and how to change it (`nil` when it cannot change at run
    /// time). `set` returns Redis's reason text on a bad value.
    struct Parameter: Sendable {
        let name: String
        let get: @Sendable (SidecacheConfiguration) -> String
        let set: (@Sendable (inout SidecacheConfiguration, String) -> String?)?
    }

    static func integer(
        _ name: String, _ range: ClosedRange<Int>, clampTo clamp: ClosedRange<Int>? = nil,
        _ key: any WritableKeyPath<SidecacheConfiguration, Int> & Sendable
    ) -> Parameter {
        Parameter(name: name, get: { String($0[keyPath: key]) }) { config, text in
            guard let value = RedisInteger.parse(bytes: Array(text.utf8)) else {
                return "argument couldn't be parsed into an integer"
            }
            guard range.contains(Int(value)) else {
                return "argument must be between \(range.lowerBound) and \(range.upperBound) inclusive"
            }
            config[keyPath: key] = clamp.map { Int(value).clamped(to: $0) } ?? Int(value)
            return nil
        }
    }

    static func memory(
        _ name: String, minimum: Int, _ key: any WritableKeyPath<SidecacheConfiguration, Int> & Sendable
    ) -> Parameter {
        Parameter(name: name, get: { String($0[keyPath: key]) }) { config, text in
            guard let value = ConfigValueParser.memory(text) else { return "argument must be a memory value" }
            guard value >= minimum else {
                return "argument must be between \(minimum) and \(Int64.max) inclusive"
            }
            config[keyPath: key] = value
            return nil
        }
    }

    static let parameters: [Parameter] = [
        Parameter(name: "bind", get: { $0.server.bind.joined(separator: " ") }, set: nil),
        Parameter(name: "port", get: { String($0.server.port) }, set: nil),
        Parameter(name: "databases", get: { String($0.server.databases) }, set: nil),
        maxClients,
        integer("timeout", 0...Int(Int32.max), \.server.timeoutSeconds),
        integer("tcp-keepalive", 0...Int(Int32.max), \.server.tcpKeepaliveSeconds),
        integer("hz", 0...Int(Int32.max), clampTo: 1...500, \.server.hz),
        Parameter(name: "requirepass", get: { $0.server.requirePass ?? "" }) { config, text in
            config.server.requirePass = text.isEmpty ? nil : text
            return nil
        },
        keyspaceEvents,
        Parameter(name: "protected-mode", get: { $0.server.protectedMode ? "yes" : "no" }) { config, text in
            switch text.lowercased() {
            case "yes": config.server.protectedMode = true
            case "no": config.server.protectedMode = false
            default: return "argument must be 'yes' or 'no'"
            }
            return nil
        },
        integer("acllog-max-len", 0...Int.max, \.acl.logMaxLen),
        memory("proto-max-bulk-len", minimum: 1024 * 1024, \.limits.protoMaxBulkLen),
        memory("client-query-buffer-limit", minimum: 1024 * 1024, \.limits.clientQueryBufferLimit),
        clientOutputBufferLimit,
        logLevel,
        integer("hash-max-listpack-entries", 0...Int(Int32.max), \.encoding.hashMaxListpackEntries),
        integer("hash-max-listpack-value", 0...Int(Int32.max), \.encoding.hashMaxListpackValue),
        integer("set-max-intset-entries", 0...Int(Int32.max), \.encoding.setMaxIntsetEntries),
        integer("set-max-listpack-entries", 0...Int(Int32.max), \.encoding.setMaxListpackEntries),
        integer("set-max-listpack-value", 0...Int(Int32.max), \.encoding.setMaxListpackValue),
        integer("zset-max-listpack-entries", 0...Int(Int32.max), \.encoding.zsetMaxListpackEntries),
        integer("zset-max-listpack-value", 0...Int(Int32.max), \.encoding.zsetMaxListpackValue),
        integer("list-max-listpack-size", Int(Int32.min)...Int(Int32.max), \.encoding.listMaxListpackSize),
        integer("list-compress-depth", 0...Int(Int32.max), \.encoding.listCompressDepth),
        integer("slowlog-log-slower-than", -1...Int.max, \.monitoring.slowlogLogSlowerThan),
        integer("slowlog-max-len", 0...Int.max, \.monitoring.slowlogMaxLen),
        integer("latency-monitor-threshold", 0...Int.max, \.monitoring.latencyMonitorThreshold),
        memory("maxmemory", minimum: 0, \.memory.maxmemory),
        maxmemoryPolicy,
        integer("maxmemory-samples", 1...Int(Int32.max), \.memory.maxmemorySamples),
        integer("lfu-log-factor", 0...Int(Int32.max), \.memory.lfuLogFactor),
        integer("lfu-decay-time", 0...Int(Int32.max), \.memory.lfuDecayTime),
    ]

    /// `maxmemory-policy`: one of Redis's eight names, any case.
    static let maxmemoryPolicy = Parameter(name: "maxmemory-policy", get: { $0.memory.maxmemoryPolicy.rawValue }) {
        config, text in
        guard let policy = MaxmemoryPolicy(rawValue: text.lowercased()) else {
            let names = MaxmemoryPolicy.allCases.map(\.rawValue).joined(separator: ", ")
            return "argument(s) must be one of the following: \(names)"
        }
        config.memory.maxmemoryPolicy = policy
        return nil
    }

    /// `notify-keyspace-events`: kept as written (so `n` next to `A` survives), read back in
    /// Redis's canonical form.
    static let keyspaceEvents = Parameter(
        name: "notify-keyspace-events",
        get: { KeyspaceEventClass(flags: $0.server.notifyKeyspaceEvents.utf8)?.flagString ?? "" }
    ) { config, text in
        guard KeyspaceEventClass(flags: text.utf8) != nil else {
            return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
        }
        config.server.notifyKeyspaceEvents = text
        return nil
    }

    static func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name.lowercased() }
    }

    static func get(_ session: ClientSession) {
        let config = session.server.config
        var matched: [Parameter] = []
        for index in 2..<session.frame.count {
            let pattern = session.frame.string(index)
            let hasGlob = pattern.contains { "[*?".contains($0) }
            for parameter in parameters where !matched.contains(where: { $0.name == parameter.name }) {
                let hit = hasGlob
                    ? GlobMatcher.matches(pattern: pattern, parameter.name, nocase: true)
                    : parameter.name == pattern.lowercased()
                if hit { matched.append(parameter) }
            }
        }
        session.out.writeRESPMapHeader(matched.count, session.protocolVersion)
        for parameter in matched {
            session.out.writeRESPBulkString(parameter.name)
            session.out.writeRESPBulkString(parameter.get(config))
        }
    }

    /// CONFIG SET name value [name value ...]: all or nothing, as Redis 7.
    static func set(_ session: ClientSession) {
        let frame = session.frame
        guard frame.count % 2 == 0 else { return session.replyError("ERR syntax error") }
        var changes: [(Parameter, String)] = []
        for index in stride(from: 2, to: frame.count, by: 2) {
            let name = frame.string(index)
            guard let parameter = parameter(named: name) else {
                return session.replyError("ERR Unknown option or number of arguments for CONFIG SET - '\(name)'")
            }
            if changes.contains(where: { $0.0.name == parameter.name }) {
                return session.replyError(failure(name, "duplicate parameter"))
            }
            guard parameter.set != nil else { return session.replyError(failure(name, "can't set immutable config")) }
            changes.append((parameter, frame.string(index + 1)))
        }
        var candidate = session.server.config
        for (parameter, value) in changes {
            if let reason = parameter.set!(&candidate, value) {
                return session.replyError(failure(parameter.name, reason))
            }
        }
        session.server.updateConfiguration { $0 = candidate }
        session.out.writeStaticString("+OK\r\n")
    }

    static func failure(_ name: String, _ reason: String) -> String {
        "ERR CONFIG SET failed (possibly related to argument '\(name)') - \(reason)"
    }

    static func resetStat(_ session: ClientSession) {
        session.statistics = SessionStatistics()
        session.client.errorReplies = 0
        session.server.statistics.reset()
        session.withKeyspace { $0.statistics = KeyspaceStatistics() }
        session.out.writeStaticString("+OK\r\n")
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(command: "CONFIG",
            lines: [
                "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                "RESETSTAT", "    Reset statistics reported by the INFO command.",
            ]
        )
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
