import Synchronization

/// The latency monitor (Redis's `latency.c`): for each event class that ever took at least
/// `latency-monitor-threshold` milliseconds, the worst latency of each of the last 160
/// seconds that saw one, and the worst of all time. Sidecache samples `command` and
/// `fast-command` (a command with the `fast` flag), as Redis does after each command.
final class LatencyMonitor: Sendable {
    /// Samples kept per event (Redis's `LATENCY_TS_LEN`).
    static let seriesLength = 160

    struct Sample: Sendable, Equatable {
        /// Unix time, seconds; 0 for a slot never used.
        var time: Int64 = 0
        /// Milliseconds.
        var latency = 0
    }

    /// One event's ring of samples (Redis's `latencyTimeSeries`).
    struct TimeSeries: Sendable {
        /// The slot the next second's sample goes to.
        var index = 0
        /// Worst latency of all time, milliseconds.
        var max = 0
        var samples = [Sample](repeating: Sample(), count: LatencyMonitor.seriesLength)

        /// The latest sample.
        var last: Sample { samples[(index + LatencyMonitor.seriesLength - 1) % LatencyMonitor.seriesLength] }

        /// The used samples, oldest first.
        var chronological: [Sample] {
            (0..<LatencyMonitor.seriesLength).map { samples[(index + $0) % LatencyMonitor.seriesLength] }
                .filter { $0.time != 0 }
        }
    }

    /// Events in the order they were first seen.
    private let events = Mutex<[(name: String, series: TimeSeries)]>([])
    private let threshold = Atomic<Int>(0)

    /// The configured `latency-monitor-threshold`, milliseconds; 0: off.
    var thresholdMilliseconds: Int {
        get { threshold.load(ordering: .relaxed) }
        set { threshold.store(newValue, ordering: .relaxed) }
    }

    /// Redis's `latencyAddSampleIfNeeded`: records `milliseconds` for `event` when the monitor
    /// is on and the latency reaches the threshold.
    func addSampleIfNeeded(_ event: String, milliseconds: Int, unixTime: Int64) {
        let threshold = thresholdMilliseconds
        guard threshold > 0, milliseconds >= threshold else { return }
        addSample(event, milliseconds: milliseconds, unixTime: unixTime)
    }

    /// Redis's `latencyAddSample`: a second's sample keeps the worst latency of that second.
    func addSample(_ event: String, milliseconds: Int, unixTime: Int64) {
        events.withLock { events in
            var position = events.firstIndex { $0.name == event }
            if position == nil {
                events.append((event, TimeSeries()))
                position = events.count - 1
            }
            Self.add(milliseconds, at: unixTime, to: &events[position!].series)
        }
    }

    private static func add(_ latency: Int, at time: Int64, to series: inout TimeSeries) {
        series.max = Swift.max(series.max, latency)
        let previous = (series.index + seriesLength - 1) % seriesLength
        if series.samples[previous].time == time {
            series.samples[previous].latency = Swift.max(series.samples[previous].latency, latency)
            return
        }
        series.samples[series.index] = Sample(time: time, latency: latency)
        series.index = (series.index + 1) % seriesLength
    }

    /// Every event with its series, in the order they were first seen.
    var allEvents: [(name: String, series: TimeSeries)] { events.withLock { $0 } }

    /// The series of `event` (exact name, as Redis's dictionary lookup), if it has one.
    func series(_ event: String) -> TimeSeries? {
        events.withLock { events in events.first { $0.name == event }?.series }
    }

    /// Redis's `latencyResetEvent`: forgets the events named in `names` (ignoring case), or
    /// every event when `names` is nil; returns how many were forgotten.
    func reset(_ names: [String]?) -> Int {
        events.withLock { events in
            let before = events.count
            if let names {
                for name in names {
                    events.removeAll { $0.name.lowercased() == name.lowercased() }
                }
            } else {
                events.removeAll()
            }
            return before - events.count
        }
    }
}
