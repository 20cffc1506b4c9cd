import NIOCore
import SidecacheConfig
import SidecacheEngine
import SidecacheRESP
import Testing

@testable import SidecacheServer

/// The slow log, latency monitor and MONITOR formatting without a server: truncation,
/// redaction, quoting, trimming, the latency ring and the graph, against texts taken from
/// redis-server 7.0.15.
@Suite struct MonitoringUnitTests {
    static func frame(_ arguments: String...) -> RESPCommandFrame {
        RESPCommandFrame(strings: arguments)
    }

    static func spec(_ name: String) -> CommandSpec {
        CommandTable.redis.spec(named: name)!
    }

    @Test func slowLogKeepsThirtyTwoArgumentsAndSaysHowManyMore() {
        let frame = RESPCommandFrame(strings: ["RPUSH", "list"] + (1...40).map { "v\($0)" })
        let arguments = SlowLogEntry.arguments(of: frame)
        #expect(arguments.count == 32)
        #expect(arguments[30] == Array("v29".utf8))
        #expect(arguments[31] == Array("... (11 more arguments)".utf8))
        let exactly32 = RESPCommandFrame(strings: (1...32).map { "a\($0)" })
        #expect(SlowLogEntry.arguments(of: exactly32) == exactly32.arguments)
        let thirtyThree = RESPCommandFrame(strings: (1...33).map { "a\($0)" })
        #expect(SlowLogEntry.arguments(of: thirtyThree).last == Array("... (2 more arguments)".utf8))
    }

    @Test func slowLogCutsArgumentsLongerThan128Bytes() {
        let long = String(repeating: "x", count: 200)
        let arguments = SlowLogEntry.arguments(of: Self.frame("SET", String(repeating: "k", count: 128), long))
        #expect(arguments[1].count == 128)
        #expect(arguments[2] == Array((String(repeating: "x", count: 128) + "... (72 more bytes)").utf8))
    }

    @Test(arguments: [
        (["AUTH", "secret"], [1]),
        (["AUTH", "user", "secret"], [1, 2]),
        (["AUTH", "a", "b", "c"], []),
        (["HELLO", "3", "AUTH", "u", "p", "SETNAME", "n"], [3, 4]),
        (["HELLO", "2", "SETNAME", "n", "AUTH", "u", "p"], [5, 6]),
        (["HELLO", "3", "AUTH", "u", "p", "BOGUS", "AUTH", "v", "q"], [3, 4]),
        (["HELLO", "4", "AUTH", "u", "p"], []),
        (["HELLO", "x", "AUTH", "u", "p"], []),
        (["HELLO", "3", "AUTH", "u"], []),
        (["SET", "auth", "x"], []),
    ])
    func credentialsAreRedactedAsRedisDoes(arguments: [String], redacted: [Int]) {
        let frame = RESPCommandFrame(strings: arguments)
        #expect(CommandRedaction.indices(Self.spec(arguments[0].lowercased()), frame) == redacted)
    }

    @Test func monitorLinesQuoteLikeSdscatrepr() {
        let frame = RESPCommandFrame([Array("set".utf8), Array("k".utf8), [0x00, 0x07, 0x08, 0x09, 0x0D, 0x0A, 0x7F, 0xC2, 0x80]
            + Array(" sp'q\"\\".utf8)])
        let line = MonitorLine.make(
            unixMicroseconds: 1_700_000_000_012_345, database: 3, peer: "127.0.0.1:5555", frame: frame, redacted: []
        )
        #expect(String(buffer: line) == #"+1700000000.012345 [3 127.0.0.1:5555] "set" "k" "\x00\a\b\t\r\n\x7f\xc2\x80 sp'q\"\\""# + "\r\n")
        let auth = MonitorLine.make(unixMicroseconds: 5, database: 0, peer: "p", frame: Self.frame("auth", "pw"), redacted: [1])
        #expect(String(buffer: auth) == "+0.000005 [0 p] \"auth\" \"(redacted)\"\r\n")
    }

    @Test func slowLogIdsGrowAndTheOldestGo() {
        let log = SlowLog()
        log.configure(logSlowerThan: 0, maxLength: 3)
        for index in 0..<5 {
            log.add(arguments: [Array("c\(index)".utf8)], microseconds: index, peer: "p", clientName: [], unixTime: 1)
        }
        #expect(log.count == 3)
        #expect(log.newest(nil).map(\.id) == [4, 3, 2])
        #expect(log.newest(2).map(\.arguments) == [[Array("c4".utf8)], [Array("c3".utf8)]])
        #expect(log.newest(0).isEmpty)
        log.configure(logSlowerThan: -1, maxLength: 1)
        #expect(log.count == 3, "a disabled log is not trimmed, as in Redis")
        log.configure(logSlowerThan: 10, maxLength: 1)
        #expect(log.newest(nil).map(\.id) == [4])
        #expect(log.wants(10) && !log.wants(9))
        log.reset()
        log.add(arguments: [], microseconds: 10, peer: "p", clientName: [], unixTime: 1)
        #expect(log.newest(nil).map(\.id) == [5], "RESET keeps the id counter")
    }

    @Test func theMonitoringInterestIsTheSmallestThreshold() {
        var configuration = MonitoringConfiguration()
        let monitoring = ServerMonitoring(configuration)
        #expect(monitoring.isInterested(in: 10_000) && !monitoring.isInterested(in: 9_999))
        configuration.latencyMonitorThreshold = 2
        monitoring.apply(configuration)
        #expect(monitoring.isInterested(in: 2_000) && !monitoring.isInterested(in: 1_999))
        configuration.slowlogLogSlowerThan = -1
        configuration.latencyMonitorThreshold = 0
        monitoring.apply(configuration)
        #expect(!monitoring.isInterested(in: Int.max - 1))
        configuration.latencyMonitorThreshold = Int.max
        monitoring.apply(configuration)
        #expect(!monitoring.isInterested(in: Int.max - 1))
    }

    @Test func latencySamplesKeepTheWorstOfEachSecond() {
        let monitor = LatencyMonitor()
        monitor.addSampleIfNeeded("command", milliseconds: 50, unixTime: 100)
        #expect(monitor.allEvents.isEmpty, "off while the threshold is 0")
        monitor.thresholdMilliseconds = 10
        monitor.addSampleIfNeeded("command", milliseconds: 9, unixTime: 100)
        monitor.addSampleIfNeeded("command", milliseconds: 12, unixTime: 100)
        monitor.addSampleIfNeeded("command", milliseconds: 30, unixTime: 100)
        monitor.addSampleIfNeeded("command", milliseconds: 20, unixTime: 100)
        monitor.addSampleIfNeeded("command", milliseconds: 15, unixTime: 101)
        monitor.addSampleIfNeeded("fast-command", milliseconds: 11, unixTime: 101)
        let series = try! #require(monitor.series("command"))
        #expect(series.chronological == [.init(time: 100, latency: 30), .init(time: 101, latency: 15)])
        #expect(series.max == 30 && series.last == .init(time: 101, latency: 15))
        #expect(monitor.series("COMMAND") == nil)
        for second in 0..<200 { monitor.addSample("command", milliseconds: second, unixTime: 1000 + Int64(second)) }
        let ring = try! #require(monitor.series("command"))
        #expect(ring.chronological.count == 160 && ring.chronological.first?.time == 1040 && ring.max == 199)
        #expect(monitor.reset(["COMMAND", "nothing"]) == 1)
        #expect(monitor.allEvents.map(\.name) == ["fast-command"])
        #expect(monitor.reset(nil) == 1)
    }

    /// `LATENCY GRAPH command` from redis-server 7.0.15 after one 37 ms SORT, and after a
    /// second of 119 ms two seconds later.
    @Test func theGraphIsDrawnAsRedisDrawsIt() {
        let monitor = LatencyMonitor()
        monitor.addSample("command", milliseconds: 37, unixTime: 500)
        let rule = String(repeating: "-", count: 80)
        #expect(
            LatencyMonitor.graph("command", monitor.series("command")!, now: 500)
                == "command - high 37 ms, low 37 ms (all time high 37 ms)\n\(rule)\n \n \n \n_\n \n0\ns\n"
        )
        monitor.addSample("command", milliseconds: 119, unixTime: 502)
        #expect(
            LatencyMonitor.graph("command", monitor.series("command")!, now: 502)
                == "command - high 119 ms, low 37 ms (all time high 119 ms)\n\(rule)\n #\n |\n |\n_|\n  \n20\nss\n"
        )
    }

    /// `LATENCY DOCTOR` from redis-server 7.0.15 with a `fast-command` and a `command` event and a
    /// slow log threshold above the latency threshold.
    @Test func theDoctorGivesRedisAdvice() {
        let monitor = LatencyMonitor()
        #expect(monitor.report(slowlogLogSlowerThan: 10_000, anonymousHugePages: 0, now: 0).hasPrefix("I'm sorry, Dave"))
        monitor.thresholdMilliseconds = 1
        #expect(
            monitor.report(slowlogLogSlowerThan: 10_000, anonymousHugePages: 0, now: 0)
                == "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. "
                + "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n"
        )
        monitor.addSample("fast-command", milliseconds: 12, unixTime: 97)
        monitor.addSample("command", milliseconds: 37, unixTime: 98)
        monitor.addSample("command", milliseconds: 119, unixTime: 99)
        let report = monitor.report(slowlogLogSlowerThan: 99_999_999_999, anonymousHugePages: 0, now: 100)
        let expected = """
            Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?

            1. fast-command: 1 latency spikes (average 12ms, mean deviation 0ms, period 3.00 sec). Worst all time event 12ms.
            2. command: 2 latency spikes (average 78ms, mean deviation 41ms, period 1.00 sec). Worst all time event 119ms.

            I have a few advices for you:

            - Your current Slow Log configuration only logs events that are slower than your configured latency monitor \
            threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.
            - Check your Slow Log to understand what are the commands you are running which are too slow to execute. \
            Please check https://redis.io/commands/slowlog for more information.
            - The system is slow to execute Redis code paths not containing system calls. This usually means the system \
            does not provide Redis CPU time to run for long periods. You should try to:
              1) Lower the system load.
              2) Use a computer / VM just for Redis if you are running other software in the same system.
              3) Check if you have a "noisy neighbour" problem.
              4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.
              5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using \
            Jemalloc. However this may create fragmentation problems.
            - Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you \
            have very large objects that are often deleted, expired, or evicted, try to fragment those objects into \
            multiple smaller objects.

            """
        #expect(report == expected)
    }
}
