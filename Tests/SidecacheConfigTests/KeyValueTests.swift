import SidecacheConfig
import Testing

/// A change to the default configuration.
typealias Change = @Sendable (inout SidecacheConfiguration) -> Void

/// Accepted and rejected values of one key, written as they would be in YAML.
struct KeyCase: Sendable, CustomTestStringConvertible {
    var path: String
    /// A value and how it changes the defaults.
    var accepted: [(yaml: String, change: Change)]
    /// The message without "got ...": "must be an integer between 0 and 65535".
    var mustBe: String
    /// A value and how the problem shows it after "got".
    var rejected: [(yaml: String, got: String)]

    var testDescription: String { path }
}

extension KeyCase {
    static let nothing = ("", "nothing")
    static let list = ("[1]", "a list")
    static let mapping = ("{a: 1}", "a mapping")

    static func integer(_ path: String, _ mustBe: String, accepts: [(String, Int)], rejects: [(String, String)],
                        _ set: @escaping @Sendable (inout SidecacheConfiguration, Int) -> Void) -> KeyCase {
        KeyCase(path: path,
                accepted: accepts.map { yaml, value in (yaml, { set(&$0, value) }) },
                mustBe: mustBe,
                rejected: rejects + [nothing, list, mapping])
    }

    /// A duration key read in milliseconds, from 1 ms to `upTo`.
    static func milliseconds(_ path: String, upTo maximum: Int,
                             _ set: @escaping @Sendable (inout SidecacheConfiguration, Int) -> Void) -> KeyCase {
        integer(path, "a duration between 1ms and \(maximum)ms (milliseconds, or a number with unit us, ms, s, m, h)",
                accepts: [("250", 250), ("2s", 2000), ("1500ms", 1500), ("1m", 60_000)],
                rejects: [("0", "0"), ("1.5s", "'1.5s'"), ("-1", "-1"), ("500us", "'500us'")], set)
    }

    /// An optional text key of the upstream section (credentials).
    static func upstreamText(_ name: String, _ set: @escaping @Sendable (inout SidecacheConfiguration, String?) -> Void) -> KeyCase {
        KeyCase(path: "upstream.\(name)",
                accepted: [("app", { set(&$0, "app") }), ("''", { set(&$0, nil) }), ("", { set(&$0, nil) })],
                mustBe: "a string",
                rejected: [list, mapping])
    }

    /// An optional text key of a `tls` section (a file, a name, a cipher list).
    static func tlsText(_ path: String, _ set: @escaping @Sendable (inout SidecacheConfiguration, String?) -> Void) -> KeyCase {
        KeyCase(path: path,
                accepted: [("/etc/sidecache/x.pem", { set(&$0, "/etc/sidecache/x.pem") }), ("", { set(&$0, nil) })],
                mustBe: "a string",
                rejected: [list, mapping])
    }

    /// One class of `client_output_buffer_limit_*`: `hard soft seconds`.
    static func outputBufferLimit(
        _ name: String, _ key: WritableKeyPath<SidecacheConfiguration, OutputBufferLimit> & Sendable
    ) -> KeyCase {
        KeyCase(path: "limits.client_output_buffer_limit_\(name)",
                accepted: [
                    ("0 0 0", { $0[keyPath: key] = OutputBufferLimit(hardBytes: 0, softBytes: 0, softSeconds: 0) }),
                    ("32mb 8mb 60", { $0[keyPath: key] = OutputBufferLimit(hardBytes: 32 << 20, softBytes: 8 << 20, softSeconds: 60) }),
                    ("'1k  2KB 3'", { $0[keyPath: key] = OutputBufferLimit(hardBytes: 1000, softBytes: 2048, softSeconds: 3) }),
                ],
                mustBe: "\"hard soft seconds\" (two sizes and whole seconds, e.g. \"32mb 8mb 60\"; 0 = no limit)",
                rejected: [("1mb 1mb", "'1mb 1mb'"), ("1 2 -1", "'1 2 -1'"), ("1x 2 3", "'1x 2 3'"), ("0", "0"), nothing, list, mapping])
    }

    static let sizeUnits = "(bytes, or a number with unit b, k, kb, m, mb, g, gb)"
    static let durationUnits = "(seconds, or a number with unit s, m, h, d)"

    static let all: [KeyCase] = [
        KeyCase(path: "server.bind",
                accepted: [
                    ("\"*\"", { $0.server.bind = ["*"] }),
                    ("localhost", { $0.server.bind = ["localhost"] }),
                    ("::1", { $0.server.bind = ["::1"] }),
                    ("127.0.0.1 ::1", { $0.server.bind = ["127.0.0.1", "::1"] }),
                    ("'  10.0.0.1   fe80::1 '", { $0.server.bind = ["10.0.0.1", "fe80::1"] }),
                    ("[10.0.0.1, '::', '*']", { $0.server.bind = ["10.0.0.1", "::", "*"] }),
                    ("[0.0.0.0]", { $0.server.bind = ["0.0.0.0"] }),
                ],
                mustBe: "an address or a list of addresses",
                rejected: [nothing, mapping]),
        .integer("server.port", "an integer between 0 and 65535",
                 accepts: [("0", 0), ("6380", 6380), ("65535", 65535), ("+80", 80), ("6_380", 6380), ("0x18EC", 6380)],
                 rejects: [("-1", "-1"), ("65536", "65536"), ("'6380'", "'6380'"), ("6380.0", "6380.0"), ("1:30", "1:30"),
                           ("true", "true"), ("99999999999999999999", "99999999999999999999"),
                           ("1:0:0:0:0:0:0:0:0:0:0:0", "1:0:0:0:0:0:0:0:0:0:0:0")],
                 { $0.server.port = $1 }),
        .integer("server.maxclients", "an integer of at least 1",
                 accepts: [("1", 1), ("10000", 10000), ("9223372036854775807", Int.max)],
                 rejects: [("0", "0"), ("-5", "-5"), ("many", "'many'"), ("9223372036854775808", "9223372036854775808")],
                 { $0.server.maxClients = $1 }),
        .integer("server.timeout", "a duration of whole seconds between 0 and 2147483647 \(durationUnits)",
                 accepts: [("0", 0), ("30", 30), ("5s", 5), ("2m", 120), ("1h", 3600), ("1d", 86400), ("2000ms", 2),
                           ("'10'", 10), ("2147483647", 2_147_483_647)],
                 rejects: [("500ms", "'500ms'"), ("-1", "-1"), ("1.5", "1.5"), ("1w", "'1w'"), ("5 s", "'5 s'"),
                           ("2147483648", "2147483648"), ("25000d", "'25000d'")],
                 { $0.server.timeoutSeconds = $1 }),
        .integer("server.tcp_keepalive", "a duration of whole seconds between 0 and 2147483647 \(durationUnits)",
                 accepts: [("0", 0), ("60", 60), ("1m", 60), ("3000000us", 3)],
                 rejects: [("1500ms", "'1500ms'"), ("-60", "-60"), ("off", "off")],
                 { $0.server.tcpKeepaliveSeconds = $1 }),
        .integer("server.databases", "an integer between 1 and 1000000",
                 accepts: [("1", 1), ("16", 16), ("1000000", 1_000_000)],
                 rejects: [("0", "0"), ("1000001", "1000001"), ("16.5", "16.5")],
                 { $0.server.databases = $1 }),
        KeyCase(path: "server.requirepass",
                accepted: [
                    ("secret", { $0.server.requirePass = "secret" }),
                    ("'  spaced '", { $0.server.requirePass = "  spaced " }),
                    ("12345", { $0.server.requirePass = "12345" }),
                    ("yes", { $0.server.requirePass = "yes" }),
                    ("''", { $0.server.requirePass = nil }),
                    ("", { $0.server.requirePass = nil }),
                    ("~", { $0.server.requirePass = nil }),
                ],
                mustBe: "a string",
                rejected: [list, mapping]),
        .integer("server.hz", "an integer between 1 and 500",
                 accepts: [("1", 1), ("10", 10), ("500", 500)],
                 rejects: [("0", "0"), ("501", "501"), ("fast", "'fast'")],
                 { $0.server.hz = $1 }),
        KeyCase(path: "server.notify_keyspace_events",
                accepted: [
                    ("KEA", { $0.server.notifyKeyspaceEvents = "KEA" }),
                    ("Ex", { $0.server.notifyKeyspaceEvents = "Ex" }),
                    ("'Kg$lshzxetdnmE'", { $0.server.notifyKeyspaceEvents = "Kg$lshzxetdnmE" }),
                    ("''", { $0.server.notifyKeyspaceEvents = "" }),
                ],
                mustBe: "letters from Ag$lshzxeKEtmdn (empty for none)",
                rejected: [("KEq", "'KEq'"), ("'K E'", "'K E'"), ("1", "1"), nothing, list, mapping]),
        .integer("limits.proto_max_bulk_len", "a size of at least 1mb \(sizeUnits)",
                 accepts: [("1mb", 1 << 20), ("1048576", 1 << 20), ("512MB", 512 << 20), ("1G", 1_000_000_000),
                           ("1gb", 1 << 30), ("'2000000'", 2_000_000), ("2m", 2_000_000)],
                 rejects: [("1.5mb", "'1.5mb'"), ("-1", "-1"), ("1048575", "1048575"), ("1000kb", "'1000kb'"),
                           ("512 mb", "'512 mb'"), ("8589934592gb", "'8589934592gb'"), ("1tb", "'1tb'"), ("mb", "'mb'")],
                 { $0.limits.protoMaxBulkLen = $1 }),
        .integer("limits.max_multibulk_length", "an integer between 1 and 2147483647",
                 accepts: [("1", 1), ("1024", 1024), ("2147483647", 2_147_483_647)],
                 rejects: [("0", "0"), ("2147483648", "2147483648"), ("1kb", "'1kb'")],
                 { $0.limits.maxMultibulkLength = $1 }),
        .integer("limits.max_inline_length", "a size of at least 1kb \(sizeUnits)",
                 accepts: [("1kb", 1024), ("1024", 1024), ("64KB", 65536), ("2k", 2000)],
                 rejects: [("1023", "1023"), ("1k", "'1k'"), ("big", "'big'")],
                 { $0.limits.maxInlineLength = $1 }),
        .integer("limits.max_nesting_depth", "an integer between 1 and 1000",
                 accepts: [("1", 1), ("128", 128), ("1000", 1000)],
                 rejects: [("0", "0"), ("1001", "1001"), ("-3", "-3")],
                 { $0.limits.maxNestingDepth = $1 }),
        .integer("limits.client_query_buffer_limit", "a size of at least 1mb \(sizeUnits)",
                 accepts: [("1mb", 1 << 20), ("1gb", 1 << 30), ("4294967296", 1 << 32)],
                 rejects: [("1kb", "'1kb'"), ("0", "0"), ("1e9", "1e9")],
                 { $0.limits.clientQueryBufferLimit = $1 }),
        .outputBufferLimit("normal", \.limits.clientOutputBufferLimits.normal),
        .outputBufferLimit("replica", \.limits.clientOutputBufferLimits.replica),
        .outputBufferLimit("pubsub", \.limits.clientOutputBufferLimits.pubsub),
        .integer("encoding.hash_max_listpack_entries", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.hashMaxListpackEntries = $1 }),
        .integer("encoding.hash_max_listpack_value", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.hashMaxListpackValue = $1 }),
        .integer("encoding.set_max_intset_entries", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.setMaxIntsetEntries = $1 }),
        .integer("encoding.set_max_listpack_entries", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.setMaxListpackEntries = $1 }),
        .integer("encoding.set_max_listpack_value", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.setMaxListpackValue = $1 }),
        .integer("encoding.zset_max_listpack_entries", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.zsetMaxListpackEntries = $1 }),
        .integer("encoding.zset_max_listpack_value", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.zsetMaxListpackValue = $1 }),
        .integer("encoding.list_compress_depth", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("1000", 1000), ("2147483647", 2_147_483_647)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.encoding.listCompressDepth = $1 }),
        .integer("encoding.list_max_listpack_size", "an integer between -5 and 2147483647",
                 accepts: [("-5", -5), ("-1", -1), ("128", 128)],
                 rejects: [("-6", "-6"), ("2147483648", "2147483648"), ("4kb", "'4kb'")],
                 { $0.encoding.listMaxListpackSize = $1 }),
        KeyCase(path: "upstream.mode",
                accepted: [("none", { $0.upstream.mode = .none }), ("NONE", { $0.upstream.mode = .none })],
                mustBe: "one of none, single, sharded, cluster, sentinel",
                rejected: [("proxy", "'proxy'"), ("1", "1"), nothing, list, mapping]),
        KeyCase(path: "upstream.nodes",
                accepted: [("[]", { $0.upstream.nodes = [] })],
                mustBe: "a list of \"host:port\" strings",
                rejected: [("a:1", "'a:1'"), ("5", "5"), nothing, mapping]),
        upstreamText("username", { $0.upstream.username = $1 }),
        upstreamText("password", { $0.upstream.password = $1 }),
        upstreamText("sentinel_master", { $0.upstream.sentinelMaster = $1 }),
        upstreamText("sentinel_password", { $0.upstream.sentinelPassword = $1 }),
        .milliseconds("upstream.connect_timeout", upTo: 600_000, { $0.upstream.connectTimeoutMilliseconds = $1 }),
        .milliseconds("upstream.command_timeout", upTo: 3_600_000, { $0.upstream.commandTimeoutMilliseconds = $1 }),
        .milliseconds("upstream.retry_timeout", upTo: 3_600_000, { $0.upstream.retryTimeoutMilliseconds = $1 }),
        .integer("upstream.cluster_refresh_interval",
                 "a duration between 100ms and 3600000ms (milliseconds, or a number with unit us, ms, s, m, h)",
                 accepts: [("100", 100), ("5s", 5000)],
                 rejects: [("99", "99"), ("2h", "'2h'")],
                 { $0.upstream.clusterRefreshIntervalMilliseconds = $1 }),
        .integer("upstream.health_check_interval",
                 "a duration between 10ms and 3600000ms (milliseconds, or a number with unit us, ms, s, m, h)",
                 accepts: [("10", 10), ("1s", 1000)],
                 rejects: [("9", "9"), ("2h", "'2h'"), ("1.5s", "'1.5s'")],
                 { $0.upstream.healthCheckIntervalMilliseconds = $1 }),
        .integer("upstream.connections", "an integer between 1 and 64",
                 accepts: [("1", 1), ("64", 64)], rejects: [("0", "0"), ("65", "65")],
                 { $0.upstream.connections = $1 }),
        .integer("upstream.max_in_flight", "an integer between 1 and 1000000",
                 accepts: [("1", 1), ("1000000", 1_000_000)], rejects: [("0", "0"), ("1000001", "1000001")],
                 { $0.upstream.maxInFlight = $1 }),
        .integer("upstream.failure_limit", "an integer between 1 and 1000",
                 accepts: [("1", 1), ("1000", 1000)], rejects: [("0", "0"), ("1001", "1001")],
                 { $0.upstream.failureLimit = $1 }),
        KeyCase(path: "upstream.hash",
                accepted: [("murmur", { $0.upstream.hash = .murmur }), ("one_at_a_time", { $0.upstream.hash = .oneAtATime })],
                mustBe: "one of one_at_a_time, md5, crc16, crc32, crc32a, fnv1_64, fnv1a_64, fnv1_32, fnv1a_32, hsieh, murmur, jenkins",
                rejected: [("sha1", "'sha1'"), nothing, list]),
        KeyCase(path: "upstream.read_from",
                accepted: [("prefer-replica", { $0.upstream.readFrom = .preferReplica }), ("replica", { $0.upstream.readFrom = .replica })],
                mustBe: "one of primary, prefer-replica, replica",
                rejected: [("replicas", "'replicas'"), nothing]),
        KeyCase(path: "upstream.distribution",
                accepted: [("modula", { $0.upstream.distribution = .modula })],
                mustBe: "one of ketama, modula, random",
                rejected: [("rendezvous", "'rendezvous'"), nothing]),
        KeyCase(path: "upstream.hash_tag",
                accepted: [("'{}'", { $0.upstream.hashTag = "{}" }), ("", { $0.upstream.hashTag = nil })],
                mustBe: "two characters such as \"{}\", or empty for none",
                rejected: [("'{'", "'{'"), ("abc", "'abc'"), list]),
        KeyCase(path: "upstream.ejected_shard",
                accepted: [("rehash", { $0.upstream.ejectedShard = .rehash }), ("fail", { $0.upstream.ejectedShard = .fail })],
                mustBe: "one of fail, rehash",
                rejected: [("retry", "'retry'"), nothing]),
        KeyCase(path: "upstream.fan_out_dangerous",
                accepted: [("yes", { $0.upstream.fanOutDangerous = true }), ("false", { $0.upstream.fanOutDangerous = false })],
                mustBe: "yes or no",
                rejected: [("maybe", "'maybe'"), nothing, list]),
        .integer("monitoring.slowlog_log_slower_than", "an integer of at least -1",
                 accepts: [("-1", -1), ("0", 0), ("10000", 10_000), ("9223372036854775807", Int.max)],
                 rejects: [("-2", "-2"), ("10ms", "'10ms'"), ("9223372036854775808", "9223372036854775808")],
                 { $0.monitoring.slowlogLogSlowerThan = $1 }),
        .integer("monitoring.slowlog_max_len", "an integer of at least 0",
                 accepts: [("0", 0), ("128", 128), ("1000000", 1_000_000)],
                 rejects: [("-1", "-1"), ("many", "'many'")],
                 { $0.monitoring.slowlogMaxLen = $1 }),
        .integer("monitoring.latency_monitor_threshold", "an integer of at least 0",
                 accepts: [("0", 0), ("1", 1), ("100", 100)],
                 rejects: [("-1", "-1"), ("1s", "'1s'")],
                 { $0.monitoring.latencyMonitorThreshold = $1 }),
        .integer("memory.maxmemory", "a size of at least 0 \(sizeUnits)",
                 accepts: [("0", 0), ("100mb", 100 << 20), ("1gb", 1 << 30), ("1000000", 1_000_000), ("2GB", 1 << 31)],
                 rejects: [("-1", "-1"), ("1.5mb", "'1.5mb'"), ("lots", "'lots'")],
                 { $0.memory.maxmemory = $1 }),
        KeyCase(path: "memory.maxmemory_policy",
                accepted: (MaxmemoryPolicy.allCases.map { ($0.rawValue, $0) } + [("ALLKEYS-LFU", .allkeysLFU)])
                    .map { yaml, policy -> (String, Change) in (yaml, { $0.memory.maxmemoryPolicy = policy }) },
                mustBe: "one of volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, "
                    + "allkeys-random, noeviction",
                rejected: [("lru", "'lru'"), ("1", "1"), nothing, list, mapping]),
        .integer("memory.maxmemory_samples", "an integer between 1 and 2147483647",
                 accepts: [("1", 1), ("10", 10), ("2147483647", 2_147_483_647)],
                 rejects: [("0", "0"), ("2147483648", "2147483648"), ("many", "'many'")],
                 { $0.memory.maxmemorySamples = $1 }),
        .integer("memory.lfu_log_factor", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("100", 100)],
                 rejects: [("-1", "-1"), ("2147483648", "2147483648")],
                 { $0.memory.lfuLogFactor = $1 }),
        .integer("memory.lfu_decay_time", "an integer between 0 and 2147483647",
                 accepts: [("0", 0), ("60", 60)],
                 rejects: [("-1", "-1"), ("1m", "'1m'")],
                 { $0.memory.lfuDecayTime = $1 }),
        KeyCase(path: "cache.tracking",
                accepted: [("no", { $0.cache.tracking = false }), ("on", { $0.cache.tracking = true })],
                mustBe: "yes or no",
                rejected: [("maybe", "'maybe'"), nothing, list]),
        .integer("cache.null_max_entries", "an integer between 0 and 100000000",
                 accepts: [("0", 0), ("500", 500)],
                 rejects: [("-1", "-1"), ("100000001", "100000001")],
                 { $0.cache.nullMaxEntries = $1 }),
        KeyCase(path: "tls.port",
                accepted: [("", { $0.tls.port = nil }), ("~", { $0.tls.port = nil })],
                mustBe: "a port between 0 and 65535, or nothing",
                rejected: [("70000", "70000"), ("-1", "-1"), ("tls", "'tls'"), list, mapping]),
        tlsText("tls.cert_file", { $0.tls.certFile = $1 }),
        tlsText("tls.key_file", { $0.tls.keyFile = $1 }),
        tlsText("tls.ca_cert_file", { $0.tls.caCertFile = $1 }),
        tlsText("tls.ciphers", { $0.tls.ciphers = $1 }),
        KeyCase(path: "tls.auth_clients",
                accepted: [("yes", { $0.tls.authClients = .yes }), ("no", { $0.tls.authClients = .no }),
                           ("optional", { $0.tls.authClients = .optional }), ("OPTIONAL", { $0.tls.authClients = .optional })],
                mustBe: "yes, no or optional",
                rejected: [("required", "'required'"), ("1", "1"), nothing, list, mapping]),
        KeyCase(path: "tls.protocols",
                accepted: [("TLSv1.3", { $0.tls.protocols = [.tlsv1_3] }), ("[tlsv1.2]", { $0.tls.protocols = [.tlsv1_2] }),
                           ("'TLSv1 TLSv1.1'", { $0.tls.protocols = [.tlsv1, .tlsv1_1] })],
                mustBe: "TLS versions among TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, separated by spaces or as a list",
                rejected: [("SSLv3", "'SSLv3'"), ("''", "''"), ("[[TLSv1.2]]", "a list"), nothing, mapping]),
        KeyCase(path: "upstream.tls.enabled",
                accepted: [("yes", { $0.upstream.tls.enabled = true }), ("off", { $0.upstream.tls.enabled = false })],
                mustBe: "yes or no",
                rejected: [("tls", "'tls'"), nothing, list, mapping]),
        tlsText("upstream.tls.ca_cert_file", { $0.upstream.tls.caCertFile = $1 }),
        tlsText("upstream.tls.cert_file", { $0.upstream.tls.certFile = $1 }),
        tlsText("upstream.tls.key_file", { $0.upstream.tls.keyFile = $1 }),
        tlsText("upstream.tls.server_name", { $0.upstream.tls.serverName = $1 }),
        KeyCase(path: "upstream.tls.verify",
                accepted: [("ca", { $0.upstream.tls.verify = .ca }), ("NONE", { $0.upstream.tls.verify = .none })],
                mustBe: "one of full, ca, none",
                rejected: [("strict", "'strict'"), ("yes", "yes"), nothing, list, mapping]),
        KeyCase(path: "logging.level",
                accepted: (LogLevelName.allCases.map { ($0.rawValue, $0) } + [("WARNING", .warning), ("Debug", .debug)])
                    .map { yaml, level -> (String, Change) in (yaml, { $0.logging.level = level }) },
                mustBe: "one of trace, debug, info, notice, warning, error, critical",
                rejected: [("verbose", "'verbose'"), ("warn", "'warn'"), ("1", "1"), nothing, list, mapping]),
        KeyCase(path: "logging.format",
                accepted: [("text", { $0.logging.format = .text }), ("json", { $0.logging.format = .json }),
                           ("JSON", { $0.logging.format = .json })],
                mustBe: "one of text, json",
                rejected: [("yaml", "'yaml'"), ("true", "true"), nothing, list, mapping]),
        KeyCase(path: "server.protected_mode",
                accepted: [("no", { $0.server.protectedMode = false }), ("yes", { $0.server.protectedMode = true })],
                mustBe: "yes or no",
                rejected: [("maybe", "'maybe'"), nothing, list]),
        KeyCase(path: "server.rename_commands",
                accepted: [
                    ("{FLUSHALL: '', CONFIG: CONFIG_b7f, KEYS: }", {
                        $0.server.renameCommands = [
                            CommandRename(command: "FLUSHALL", newName: ""), CommandRename(command: "CONFIG", newName: "CONFIG_b7f"),
                            CommandRename(command: "KEYS", newName: ""),
                        ]
                    }),
                    ("{}", { _ in }), ("", { _ in }),
                ],
                mustBe: "a mapping of command name to new name",
                rejected: [("flushall", "'flushall'"), list]),
        KeyCase(path: "acl.users",
                accepted: [
                    ("{app: 'on >pw  ~app:* +get'}", {
                        $0.acl.users = [ACLUserDefinition(name: "app", rules: ["on", ">pw", "~app:*", "+get"])]
                    }),
                    ("{app: [on, '>p w'], default: }", {
                        $0.acl.users = [ACLUserDefinition(name: "app", rules: ["on", ">p w"]), ACLUserDefinition(name: "default", rules: [])]
                    }),
                    ("{}", { _ in }), ("", { _ in }),
                ],
                mustBe: "a mapping of user name to rules",
                rejected: [("alice", "'alice'"), list]),
        .integer("acl.log_max_len", "an integer of at least 0",
                 accepts: [("0", 0), ("128", 128), ("1000", 1000)],
                 rejects: [("-1", "-1"), ("many", "'many'")],
                 { $0.acl.logMaxLen = $1 }),
        KeyCase(path: "admin.listen",
                accepted: [
                    ("127.0.0.1:9090", { $0.admin.listen = AdminListenAddress(host: "127.0.0.1", port: 9090) }),
                    ("'[::1]:8080'", { $0.admin.listen = AdminListenAddress(host: "::1", port: 8080) }),
                    ("0.0.0.0:0", { $0.admin.listen = AdminListenAddress(host: "0.0.0.0", port: 0) }),
                ],
                mustBe: "host:port (for example 127.0.0.1:8080; [::1]:8080 for IPv6) with a port between 0 and 65535",
                rejected: [("8080", "8080"), ("'localhost:99999'", "'localhost:99999'"), (":80", "':80'"), nothing, list, mapping]),
        KeyCase(path: "admin.token",
                accepted: [("s3cret", { $0.admin.token = "s3cret" }), ("''", { $0.admin.token = nil })],
                mustBe: "a string",
                rejected: [list, mapping]),
        KeyCase(path: "admin.token_env",
                accepted: [("MY_TOKEN", { $0.admin.tokenEnvironment = "MY_TOKEN" }), ("''", { $0.admin.tokenEnvironment = nil })],
                mustBe: "a string",
                rejected: [list, mapping]),
        KeyCase(path: "admin.token_required_for_reads",
                accepted: [("yes", { $0.admin.tokenRequiredForReads = true }), ("no", { $0.admin.tokenRequiredForReads = false })],
                mustBe: "yes or no",
                rejected: [("maybe", "'maybe'"), nothing, list, mapping]),
    ]
}

@Suite struct KeyValueTests {
    @Test func everyKnownKeyHasACase() {
        // A cache rule's keys live in list elements: CacheConfigurationTests covers them;
        // data_dir, the one top-level key, has its own test below.
        let paths = SidecacheConfiguration.knownKeyPaths.filter { !$0.hasPrefix("cache.rules.") }
        #expect((KeyCase.all.map(\.path) + ["data_dir"]).sorted() == paths.sorted())
    }

    @Test func dataDirectoryIsANonEmptyString() throws {
        #expect(try SidecacheConfiguration.decode(yaml: "data_dir: /var/lib/sidecache\n").dataDirectory == "/var/lib/sidecache")
        #expect(problems(in: "data_dir: ''\n").map(\.description) == ["data_dir (line 1, column 11): must be a non-empty string, got ''"])
        #expect(problems(in: "data_dir: [a]\n").map(\.path) == ["data_dir"])
    }

    @Test(arguments: KeyCase.all)
    func acceptedValuesChangeOnlyTheirProperty(_ keyCase: KeyCase) throws {
        for (yaml, change) in keyCase.accepted {
            let decoded = try SidecacheConfiguration.decode(yaml: document(setting: keyCase.path, to: yaml))
            #expect(decoded == defaults(change), "\(keyCase.path): \(yaml)")
        }
    }

    @Test(arguments: KeyCase.all)
    func rejectedValuesAreOneProblemAtTheValue(_ keyCase: KeyCase) throws {
        let parts = keyCase.path.split(separator: ".")
        let key = parts.last!
        for (yaml, got) in keyCase.rejected {
            let found = problems(in: document(setting: keyCase.path, to: yaml))
            let problem = try #require(found.count == 1 ? found.first : nil, "\(keyCase.path): \(yaml) gave \(found)")
            #expect(problem.path == keyCase.path)
            #expect(problem.message == "must be \(keyCase.mustBe), got \(got)")
            #expect(problem.line == parts.count)
            if !yaml.isEmpty {
                #expect(problem.column == 2 * (parts.count - 1) + key.count + 3, "\(problem)")
            }
        }
    }
}
