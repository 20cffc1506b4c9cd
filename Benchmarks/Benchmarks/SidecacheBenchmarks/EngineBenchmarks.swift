import Benchmark
import SidecacheEngine
import SidecacheRESP

/// Engine commands through their handlers, with the keyspace lock, as the server runs them
/// after parsing (no sockets, no dispatch checks). Each benchmark iteration starts from a fresh
/// keyspace prepared outside the measurement, then runs 1,000 commands.
func registerEngineBenchmarks() {
    let value = String(repeating: "v", count: 32)

    engineBenchmark(
        "Engine.SET.newKeys",
        command: "set",
        frames: { count in (0..<count).map { ["SET", key($0), value] } }
    )
    engineBenchmark(
        "Engine.SET.existingKey",
        command: "set",
        prepare: [["SET", "key:0000000", value]],
        frames: { count in Array(repeating: ["SET", "key:0000000", value], count: count) }
    )
    engineBenchmark(
        "Engine.SETEX.newKeys",
        command: "set",
        frames: { count in (0..<count).map { ["SET", key($0), value, "EX", "3600"] } }
    )
    engineBenchmark(
        "Engine.GET.hit",
        command: "get",
        prepare: (0..<1_000).map { ["SET", key($0), value] },
        frames: { count in (0..<count).map { ["GET", key($0 % 1_000)] } }
    )
    engineBenchmark(
        "Engine.GET.miss",
        command: "get",
        frames: { count in (0..<count).map { ["GET", key($0)] } }
    )
    engineBenchmark(
        "Engine.INCR",
        command: "incr",
        frames: { count in Array(repeating: ["INCR", "counter:0000000"], count: count) }
    )
    engineBenchmark(
        "Engine.MSET10.newKeys",
        command: "mset",
        frames: { count in
            (0..<count).map { index in ["MSET"] + (0..<10).flatMap { [key(index * 10 + $0), value] } }
        }
    )
}

private func key(_ index: Int) -> String {
    let digits = String(index)
    return "key:" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
}

/// Runs `frames(count)` through the handler of `command` on a keyspace that has run `prepare`.
/// The frames are built before the measurement; the reply buffer is emptied after each command.
private func engineBenchmark(
    _ name: String,
    command: String,
    prepare: [[String]] = [],
    frames: @escaping @Sendable (Int) -> [[String]]
) {
    guard let handler = EngineBenchmarkSupport.command(command) else {
        fatalError("the engine does not execute \(command)")
    }
    Benchmark(name) { benchmark in
        let client = EngineBenchmarkSupport.Client(keyspace: Keyspace(databases: 16))
        for arguments in prepare {
            guard let setup = EngineBenchmarkSupport.command(arguments[0].lowercased()),
                client.run(setup, RESPCommandFrame(strings: arguments))
            else { fatalError("setup command failed: \(arguments)") }
        }
        client.clearReplies()
        let requests = frames(benchmark.scaledIterations.count).map { RESPCommandFrame(strings: $0) }
        benchmark.startMeasurement()
        for request in requests {
            client.run(handler, request)
            client.clearReplies()
        }
        benchmark.stopMeasurement()
        blackHole(client.keyspace.keyCount(database: 0))
    }
}
