import Foundation

/// LATENCY DOCTOR (Redis's `createLatencyReport`) and LATENCY GRAPH, for the events Sidecache
/// samples. Redis's texts, advice included, so tools that read them keep working.
extension LatencyMonitor {
    /// Redis's `latencyStats` of one event.
    struct Statistics: Equatable {
        var samples = 0
        var average = 0
        var minimum = 0
        var maximum = 0
        /// Mean absolute deviation from the average.
        var meanDeviation = 0
        /// Seconds from the oldest sample to now (at least 1).
        var period: Int64 = 0
    }

    /// Redis's `analyzeLatencyForEvent`.
    static func statistics(_ series: TimeSeries, now: Int64) -> Statistics {
        let samples = series.chronological
        guard !samples.isEmpty else { return Statistics() }
        var statistics = Statistics()
        statistics.samples = samples.count
        statistics.minimum = samples.map(\.latency).min()!
        statistics.maximum = samples.map(\.latency).max()!
        statistics.average = samples.reduce(0) { $0 + $1.latency } / samples.count
        statistics.period = Swift.max(1, now - samples.map(\.time).min()!)
        statistics.meanDeviation = samples.reduce(0) { $0 + abs(statistics.average - $1.latency) } / samples.count
        return statistics
    }

    /// The DOCTOR report. `slowlogLogSlowerThan` (microseconds) and `anonymousHugePages`
    /// (bytes of this process) feed Redis's advice.
    func report(slowlogLogSlowerThan: Int, anonymousHugePages: Int, now: Int64) -> String {
        let events = allEvents
        let threshold = thresholdMilliseconds
        if events.isEmpty && threshold == 0 {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
                + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "
                + "If we weren't in a deep space mission I'd suggest to take a look at "
                + "https://redis.io/topics/latency-monitor.\n"
        }
        var report = ""
        var advices = 0
        var slowlogEnable = false, slowlogTuning = false, slowlogInspect = false
        var scheduler = false, largeObjects = false, disableTHP = false
        for (number, event) in events.enumerated() {
            if number == 0 {
                report += "Dave, I have observed latency spikes in this Redis instance. "
                    + "You don't mind talking about it, do you Dave?\n\n"
            }
            let statistics = Self.statistics(event.series, now: now)
            let period = String(format: "%.2f", Double(statistics.period) / Double(statistics.samples))
            report += "\(number + 1). \(event.name): \(statistics.samples) latency spikes (average "
                + "\(statistics.average)ms, mean deviation \(statistics.meanDeviation)ms, period \(period) sec). "
                + "Worst all time event \(event.series.max)ms."
            if event.name.lowercased() == "command" {
                if slowlogLogSlowerThan < 0 {
                    slowlogEnable = true
                    advices += 1
                } else if slowlogLogSlowerThan / 1000 > threshold {
                    slowlogTuning = true
                    advices += 1
                }
                slowlogInspect = true
                largeObjects = true
                advices += 2
            }
            if event.name.lowercased() == "fast-command" {
                scheduler = true
                advices += 1
            }
            report += "\n"
        }
        if anonymousHugePages > 0 {
            disableTHP = true
            advices += 1
        }
        if events.isEmpty && advices == 0 {
            return report + "Dave, no latency spike was observed during the lifetime of this Redis instance, "
                + "not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, "
                + "and think things over.\n"
        }
        if advices == 0 {
            return report + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. "
                + "Please use the Redis community to get some help, providing this report in your help request.\n"
        }
        report += "\nI have a few advices for you:\n\n"
        if slowlogEnable {
            report += "- There are latency issues with potentially slow commands you are using. Try to enable "
                + "the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than "
                + "\(threshold * 1000)'. If the Slow log is disabled Redis is not able to log slow commands "
                + "execution for you.\n"
        }
        if slowlogTuning {
            report += "- Your current Slow Log configuration only logs events that are slower than your "
                + "configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than "
                + "\(threshold * 1000)'.\n"
        }
        if slowlogInspect {
            report += "- Check your Slow Log to understand what are the commands you are running which are too "
                + "slow to execute. Please check https://redis.io/commands/slowlog for more information.\n"
        }
        if scheduler {
            report += "- The system is slow to execute Redis code paths not containing system calls. This "
                + "usually means the system does not provide Redis CPU time to run for long periods. You should "
                + "try to:\n"
                + "  1) Lower the system load.\n"
                + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your "
                + "system.\n"
                + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you "
                + "are using Jemalloc. However this may create fragmentation problems.\n"
        }
        if largeObjects {
            report += "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                + "fragment those objects into multiple smaller objects.\n"
        }
        if disableTHP {
            report += "- I detected a non zero amount of anonymous huge pages used by your process. This creates "
                + "very serious latency events in different conditions, especially when Redis is persisting on "
                + "disk. To disable THP support use the command 'echo never > "
                + "/sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so "
                + "that the command will be executed again after a reboot. Note that even if you have already "
                + "disabled THP, you still need to restart the Redis process to get rid of the huge pages "
                + "already created.\n"
        }
        return report
    }

    /// Bytes of anonymous huge pages this process uses (`AnonHugePages` summed over
    /// /proc/self/smaps_rollup, as Redis's `THPGetAnonHugePagesSize`); 0 when unknown.
    static func anonymousHugePages() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8) else { return 0 }
        var kilobytes = 0
        for line in text.split(separator: "\n") where line.hasPrefix("AnonHugePages:") {
            kilobytes += Int(line.dropFirst("AnonHugePages:".count).split(separator: " ").first ?? "") ?? 0
        }
        return kilobytes * 1024
    }

    /// LATENCY GRAPH (Redis's `latencyCommandGenSparkeline`): a header, a rule, and the
    /// samples as a four-row sparkline labelled with how long ago each was taken.
    static func graph(_ event: String, _ series: TimeSeries, now: Int64) -> String {
        var sparkline = Sparkline()
        var low = 0, high = 0
        for (position, sample) in series.chronological.enumerated() {
            if position == 0 {
                low = sample.latency
                high = sample.latency
            } else {
                low = Swift.min(low, sample.latency)
                high = Swift.max(high, sample.latency)
            }
            let elapsed = now - sample.time
            let label =
                switch elapsed {
                case ..<60: "\(elapsed)s"
                case ..<3600: "\(elapsed / 60)m"
                case ..<86400: "\(elapsed / 3600)h"
                default: "\(elapsed / 86400)d"
                }
            sparkline.add(Double(sample.latency), label: label)
        }
        return "\(event) - high \(high) ms, low \(low) ms (all time high \(series.max) ms)\n"
            + String(repeating: "-", count: 80) + "\n" + sparkline.render(columns: 80, rows: 4, fill: true)
    }
}
