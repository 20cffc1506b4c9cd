import NIOCore
import SidecacheEngine
import SidecacheRESP

/// MEMORY STATS, DOCTOR, MALLOC-STATS, PURGE and HELP (MEMORY USAGE is an engine command):
/// Redis's reply shapes with Sidecache's figures. The allocator is glibc's malloc, which keeps
/// no statistics of its own here, so the `allocator.*` fields report the accounted data as
/// allocated and the process's resident size as resident.
enum MemoryCommand {
    static let handlers: [(String, ServerContext.Handler)] = [
        ("memory|stats", stats), ("memory|doctor", doctor), ("memory|malloc-stats", mallocStats),
        ("memory|purge", purge), ("memory|help", help),
    ]

    static func stats(_ session: ClientSession) {
        let report = session.server.keyspace.memoryReport()
        let rss = ProcessMemory.residentBytes()
        let used = report.usedMemory
        let version = session.protocolVersion
        var fields: [(String, (inout ByteBuffer) -> Void)] = []
        func integer(_ name: String, _ value: Int) { fields.append((name, { $0.writeRESPInteger(value) })) }
        func double(_ name: String, _ value: Double) { fields.append((name, { $0.writeRESPDouble(value, version) })) }
        integer("peak.allocated", report.peakMemory)
        integer("total.allocated", used)
        integer("startup.allocated", 0)
        for name in ["replication.backlog", "clients.slaves", "clients.normal", "cluster.links", "aof.buffer",
            "lua.caches", "functions.caches"]
        {
            integer(name, 0)
        }
        for database in report.databases {
            fields.append(("db.\(database.index)", { buffer in
                buffer.writeRESPMapHeader(3, version)
                buffer.writeRESPBulkString("overhead.hashtable.main")
                buffer.writeRESPInteger(database.mainTable)
                buffer.writeRESPBulkString("overhead.hashtable.expires")
                buffer.writeRESPInteger(database.expires)
                buffer.writeRESPBulkString("overhead.hashtable.slot-to-keys")
                buffer.writeRESPInteger(0)
            }))
        }
        integer("overhead.total", report.overhead)
        integer("keys.count", report.keyCount)
        integer("keys.bytes-per-key", report.keyCount > 0 ? used / report.keyCount : 0)
        integer("dataset.bytes", report.dataset)
        double("dataset.percentage", used > 0 ? Double(report.dataset) * 100 / Double(used) : 0)
        double("peak.percentage", report.peakMemory > 0 ? Double(used) * 100 / Double(report.peakMemory) : 0)
        integer("allocator.allocated", used)
        integer("allocator.active", used)
        integer("allocator.resident", rss)
        double("allocator-fragmentation.ratio", 1)
        integer("allocator-fragmentation.bytes", 0)
        double("allocator-rss.ratio", used > 0 ? Double(rss) / Double(used) : 0)
        integer("allocator-rss.bytes", rss - used)
        double("rss-overhead.ratio", 1)
        integer("rss-overhead.bytes", 0)
        double("fragmentation", used > 0 ? Double(rss) / Double(used) : 0)
        integer("fragmentation.bytes", rss - used)
        session.out.writeRESPMapHeader(fields.count, version)
        for (name, write) in fields {
            session.out.writeRESPBulkString(name)
            write(&session.out)
        }
    }

    /// MEMORY DOCTOR: what the figures say, in a few plain sentences.
    static func doctor(_ session: ClientSession) {
        let text = diagnosis(session.server.keyspace.memoryReport(), residentBytes: ProcessMemory.residentBytes())
        session.out.writeRESPVerbatimString(text.utf8, session.protocolVersion)
    }

    /// The doctor's text for `report` in a process of `residentBytes`.
    static func diagnosis(_ report: MemoryReport, residentBytes rss: Int) -> String {
        let used = report.usedMemory
        var lines = [
            "Sidecache memory report: the data takes \(ProcessMemory.human(used)) (\(report.keyCount) keys), "
                + "\(ProcessMemory.human(report.peakMemory)) at its peak; the process is \(ProcessMemory.human(rss)) resident. "
                + "used_memory counts keys, values and their bookkeeping, not client buffers or the process itself."
        ]
        var problems: [String] = []
        if report.maxMemory == 0 {
            problems.append("No maxmemory is set: the data can grow until the host runs out of memory.")
        } else if used > report.maxMemory {
            problems.append(
                report.policy == .noEviction
                    ? "The data is over maxmemory (\(ProcessMemory.human(report.maxMemory))) and the policy is noeviction: "
                        + "commands that may grow memory are refused with -OOM."
                    : "The data is over maxmemory (\(ProcessMemory.human(report.maxMemory))); the \(report.policy.rawValue) "
                        + "policy is evicting keys, or has none left that it may evict.")
        }
        if report.peakMemory > used * 3 / 2 && report.peakMemory > 10 << 20 {
            problems.append(
                "The peak was more than 150% of the current usage: memory freed since may still be held by the process.")
        }
        if used > 10 << 20 && rss > used * 3 / 2 {
            problems.append(
                "The process is more than 1.5 times the size of the data: fragmentation, freed memory not returned, "
                    + "or client buffers.")
        }
        lines.append(problems.isEmpty ? "No problems found." : "Found:")
        lines += problems.map { " * " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// MEMORY MALLOC-STATS: Redis's answer for an allocator other than jemalloc.
    static func mallocStats(_ session: ClientSession) {
        session.out.writeRESPVerbatimString("Stats not supported for the current allocator".utf8, session.protocolVersion)
    }

    /// MEMORY PURGE: nothing to purge without jemalloc; OK, as Redis answers then.
    static func purge(_ session: ClientSession) {
        session.out.writeStaticString("+OK\r\n")
    }

    static func help(_ session: ClientSession) {
        session.client.replyHelp(command: "MEMORY",
            lines: [
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).",
            ]
        )
    }
}
