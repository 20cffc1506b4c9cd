import Benchmark

// Microbenchmarks of the per-request path, each measured over 1,000 operations (scaling
// factor kilo): RESP request parsing per command, reply encoding, and engine commands run
// through their handlers as the server runs them.
//
// Stored thresholds (`Thresholds/`) hold the allocation count, which does not depend on how
// loaded the machine is: an extra allocation per request shows as a regression of about 1,000.
// Time metrics are printed for comparison on a quiet machine (baselines), not checked.
// Names have no spaces or slashes: package-benchmark 1.38 writes threshold files with those
// replaced by "_" but looks them up unchanged, so such a benchmark would never be checked.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 1_000,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])]
    )
    registerRESPBenchmarks()
    registerEngineBenchmarks()
}
