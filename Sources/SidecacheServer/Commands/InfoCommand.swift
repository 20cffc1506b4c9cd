import SidecacheEngine
import NIOCore
import SidecacheConfig
import SidecacheRESP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// INFO with Redis's section and field names, so that existing dashboards parse it.
enum InfoCommand {
    static let handlers: [(String, ServerContext.Handler)] = [("info", info)]

    static let defaultSections = ["server", "clients", "memory", "stats", "replication", "cpu", "keyspace", "upstream", "sidecache"]
    static let allSections = defaultSections + ["commandstats"]

    static func info(_ session: ClientSession) {
        var requested: [String] = []
        for index in 1..<session.frame.count { requested.append(session.frame.string(index).lowercased()) }
        var sections: [String] = []
        if requested.isEmpty || requested.contains("default") { sections = defaultSections }
        if requested.contains("all") || requested.contains("everything") { sections = allSections }
        for name in requested where allSections.contains(name) && !sections.contains(name) { sections.append(name) }
        // Sessions publish their counters at the end of each read; fold this one's in now.
        session.mergeStatistics()
        let text = sections.compactMap { render($0, session) }.joined(separator: "\r\n")
        session.out.writeRESPVerbatimString(text.utf8, session.protocolVersion)
    }

    static func render(_ section: String, _ session: ClientSession) -> String? {
        let server = session.server
        var lines: [String]
        switch section {
        case "server":
            let uptime = (Clocks.monotonicNanoseconds() - server.startedNanoseconds) / 1_000_000_000
            var name = utsname()
            uname(&name)
            let os = [name.sysname, name.release, name.machine].map { field in
                withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            }.joined(separator: " ")
            lines = [
                "redis_version:\(server.table.referenceVersion)", "sidecache_version:\(SidecacheVersion.current)",
                "redis_mode:standalone", "os:\(os)", "arch_bits:64", "multiplexing_api:epoll",
                "process_id:\(getpid())", "run_id:\(server.runID)", "tcp_port:\(server.boundPort.load(ordering: .relaxed))",
                "server_time_usec:\(Clocks.wallMicroseconds())", "uptime_in_seconds:\(uptime)",
                "uptime_in_days:\(uptime / 86400)", "hz:\(server.config.server.hz)",
                "configured_hz:\(server.config.server.hz)", "executable:\(CommandLine.arguments.first ?? "")",
                "config_file:\(server.configFile)",
            ]
        case "clients":
            let (blocked, timed) = session.withKeyspace { ($0.blocking.blockedCount, $0.blocking.timedCount) }
            lines = [
                "connected_clients:\(server.clients.count)", "cluster_connections:0",
                "maxclients:\(server.config.server.maxClients)", "client_recent_max_input_buffer:0",
                "client_recent_max_output_buffer:0", "blocked_clients:\(blocked)", "tracking_clients:0",
                "clients_in_timeout_table:\(timed)",
            ]
        case "memory":
            let report = server.keyspace.memoryReport()
            let rss = ProcessMemory.residentBytes()
            let used = report.usedMemory
            let system = Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))
            func percent(_ part: Int, _ whole: Int) -> String {
                ProcessMemory.twoDecimals(whole > 0 ? Double(part) * 100 / Double(whole) : 0) + "%"
            }
            lines = [
                "used_memory:\(used)", "used_memory_human:\(ProcessMemory.human(used))",
                "used_memory_rss:\(rss)", "used_memory_rss_human:\(ProcessMemory.human(rss))",
                "used_memory_peak:\(report.peakMemory)", "used_memory_peak_human:\(ProcessMemory.human(report.peakMemory))",
                "used_memory_peak_perc:\(percent(used, report.peakMemory))",
                "used_memory_overhead:\(report.overhead)", "used_memory_startup:0",
                "used_memory_dataset:\(report.dataset)", "used_memory_dataset_perc:\(percent(report.dataset, used))",
                "total_system_memory:\(system)", "total_system_memory_human:\(ProcessMemory.human(system))",
                "maxmemory:\(report.maxMemory)", "maxmemory_human:\(ProcessMemory.human(report.maxMemory))",
                "maxmemory_policy:\(report.policy.rawValue)",
                "mem_fragmentation_ratio:\(ProcessMemory.twoDecimals(used > 0 ? Double(rss) / Double(used) : 0))",
                "mem_fragmentation_bytes:\(rss - used)", "mem_not_counted_for_evict:0",
                "mem_allocator:libc",
            ]
        case "stats":
            let totals = server.statistics.snapshot
            let keyspace = session.withKeyspace { $0.statistics }
            lines = [
                "total_connections_received:\(totals.connectionsReceived)",
                "total_commands_processed:\(totals.commandsProcessed)",
                "total_net_input_bytes:\(totals.netInputBytes)", "total_net_output_bytes:\(totals.netOutputBytes)",
                "rejected_connections:\(totals.rejectedConnections)", "expired_keys:\(keyspace.expiredKeys)",
                "expired_stale_perc:\(ProcessMemory.twoDecimals(keyspace.expiredStalePercent * 100))",
                "expired_time_cap_reached_count:\(keyspace.expiredTimeCappedReachedCount)",
                "expire_cycle_cpu_milliseconds:\(keyspace.expireCycleMicroseconds / 1000)",
                "evicted_keys:\(keyspace.evictedKeys)",
                "keyspace_hits:\(keyspace.keyspaceHits)", "keyspace_misses:\(keyspace.keyspaceMisses)",
                "pubsub_channels:\(server.pubsub.activeCount(.channel))",
                "pubsub_patterns:\(server.pubsub.activeCount(.pattern))",
                "pubsubshard_channels:\(server.pubsub.activeCount(.shard))",
                "total_error_replies:\(totals.errorReplies)", "total_reads_processed:\(totals.readsProcessed)",
                "total_writes_processed:\(totals.writesProcessed)",
                // Redis 7.2's fields (7.0 does not count these disconnections).
                "client_query_buffer_limit_disconnections:\(totals.queryBufferLimitDisconnections)",
                "client_output_buffer_limit_disconnections:\(totals.outputBufferLimitDisconnections)",
                "acl_access_denied_auth:\(totals.aclDeniedAuth)", "acl_access_denied_cmd:\(totals.aclDeniedCommand)",
                "acl_access_denied_key:\(totals.aclDeniedKey)", "acl_access_denied_channel:\(totals.aclDeniedChannel)",
            ]
        case "replication":
            lines = ["role:master", "connected_slaves:0", "master_repl_offset:0"]
        case "cpu":
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            func seconds(_ time: timeval) -> String {
                "\(time.tv_sec).\(zeroPadded6(Int(time.tv_usec)))"
            }
            lines = ["used_cpu_sys:\(seconds(usage.ru_stime))", "used_cpu_user:\(seconds(usage.ru_utime))"]
        case "keyspace":
            lines = session.withKeyspace { state in
                state.databases.compactMap { database in
                    guard database.count > 0 else { return nil }
                    return "db\(database.index):keys=\(database.count),expires=\(database.expiringCount),"
                        + "avg_ttl=\(database.averageTTL)"
                }
            }
        case "commandstats":
            let totals = server.statistics.snapshot
            lines = server.table.all.compactMap { spec in
                let counters = totals.commands[spec.id]
                guard counters.calls > 0 || counters.rejectedCalls > 0 || counters.failedCalls > 0 else { return nil }
                let perCall = counters.calls > 0 ? Double(counters.microseconds) / Double(counters.calls) : 0
                return "cmdstat_\(spec.name):calls=\(counters.calls),usec=\(counters.microseconds),"
                    + "usec_per_call=\(ProcessMemory.twoDecimals(perCall)),rejected_calls=\(counters.rejectedCalls),"
                    + "failed_calls=\(counters.failedCalls)"
            }
        case "upstream":
            guard let upstream = server.upstream else { return nil }
            lines = UpstreamInfo.lines(mode: server.config.upstream.mode.rawValue, upstream, router: server.router)
        case "sidecache":
            guard let cache = server.cache else { return nil }
            lines = CacheInfo.lines(cache)
        default:
            return nil
        }
        let title = section == "commandstats" ? "Commandstats" : section.prefix(1).uppercased() + section.dropFirst()
        return (["# \(title)"] + lines).map { $0 + "\r\n" }.joined()
    }
}

/// `value` zero-padded to six digits (microseconds after a decimal point).
func zeroPadded6(_ value: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: Swift.max(0, 6 - digits.count)) + digits
}

/// Process memory figures.
enum ProcessMemory {
    /// Resident set size from `/proc/self/statm`.
    static func residentBytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0
        var resident = 0
        guard withVaList([withUnsafeMutablePointer(to: &size) { $0 }, withUnsafeMutablePointer(to: &resident) { $0 }], {
            vfscanf(file, "%ld %ld", $0)
        }) == 2 else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Redis's `bytesToHuman`.
    static func human(_ bytes: Int) -> String {
        let value = Double(bytes)
        switch bytes {
        case ..<1024: return "\(bytes)B"
        case ..<(1024 * 1024): return twoDecimals(value / 1024) + "K"
        case ..<(1024 * 1024 * 1024): return twoDecimals(value / 1024 / 1024) + "M"
        default: return twoDecimals(value / 1024 / 1024 / 1024) + "G"
        }
    }

    static func twoDecimals(_ value: Double) -> String {
        let scaled = Int((value * 100).rounded())
        return "\(scaled / 100).\(zeroPadded6(scaled % 100).suffix(2))"
    }
}
