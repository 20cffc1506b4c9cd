/// How many calls of one command took how long: counts per latency bucket, for the admin
/// API's Prometheus histograms. Fixed buckets, so that counting a call is a few comparisons
/// and an addition, and merging two is one addition per bucket.
package struct LatencyBuckets: Sendable {
    /// Upper bounds of the buckets, in microseconds; a last bucket holds everything slower.
    package static let upperBoundsMicroseconds = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 100_000, 1_000_000]

    /// Calls per bucket (not cumulative); the last one is above every bound.
    package private(set) var counts = InlineArray<13, Int>(repeating: 0)

    package init() {}

    @inline(__always)
    mutating func record(microseconds: Int) {
        let index =
            switch microseconds {
            case ...10: 0
            case ...25: 1
            case ...50: 2
            case ...100: 3
            case ...250: 4
            case ...500: 5
            case ...1000: 6
            case ...2500: 7
            case ...5000: 8
            case ...10_000: 9
            case ...100_000: 10
            case ...1_000_000: 11
            default: 12
            }
        counts[index] += 1
    }

    mutating func add(_ other: LatencyBuckets) {
        for index in 0..<13 { counts[index] += other.counts[index] }
    }
}
