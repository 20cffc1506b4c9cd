import ArgumentParser
import Foundation
import SidecacheDifftest

/// `sidecache-difftest`: sends seeded random command sequences to redis-server and to
/// Sidecache in lockstep and reports the first divergence, minimized.
///
/// Exit status: 0 no divergence, 1 a divergence (or a server that stopped answering), 2 a
/// set-up error (bad option, a server that cannot be started, reached or reset).
@main
struct DifftestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sidecache-difftest",
        abstract: "Differential tester: the same random command sequences to redis-server and to Sidecache, replies compared.",
        discussion: """
            Without --redis it starts redis-server on a free loopback port; without --sidecache it starts the \
            sidecache binary (--sidecache-bin); both are stopped on exit and on SIGINT. Stops after --count \
            sequences or --seconds (whichever comes first; 100 sequences when neither is given), or at the first \
            divergence, which it minimizes and prints as redis-cli input. Exit status: 0 no divergence, \
            1 divergence or a server that stopped answering, 2 set-up error.
            """
    )

    @Option(help: "Reference redis-server as HOST:PORT (loopback). Default: start one.")
    var redis: String?

    @Option(help: "Sidecache as HOST:PORT (loopback). Default: start --sidecache-bin.")
    var sidecache: String?

    @Option(help: "The sidecache binary to start when --sidecache is not given.")
    var sidecacheBin = ".build/debug/sidecache"

    @Option(help: "The redis-server binary to start when --redis is not given.")
    var redisBin = "redis-server"

    @Flag(help: "Self-check: start a second redis-server as the candidate instead of Sidecache.")
    var candidateRedisServer = false

    @Option(
        parsing: .singleValue,
        help: ArgumentHelp(
            "Extra argument for the candidate redis-server (repeatable), e.g. "
                + "--candidate-redis-arg=--hash-max-listpack-entries --candidate-redis-arg=0"
        )
    )
    var candidateRedisArg: [String] = []

    @Option(help: "Number of sequences to run.")
    var count: Int?

    @Option(help: "Stop starting sequences after this many seconds.")
    var seconds: Double?

    @Option(help: "Steps per sequence.")
    var length = 30

    @Option(help: "Run seed (default: from the clock; printed either way).")
    var seed: UInt64?

    @Option(help: "Run only sequence N of the seed (to reproduce a reported divergence).")
    var sequence: Int?

    @Option(help: "Comma-separated command families. Known: \(DifftestFamilies.all.map(\.name).joined(separator: ", ")).")
    var families = DifftestFamilies.defaultNames.joined(separator: ",")

    @Option(help: "Share of sequences run under RESP3 (HELLO 3), in percent.")
    var resp3Percent = 25

    @Option(help: "Seconds to wait for any reply before declaring a server hung.")
    var timeout = 5.0

    @Option(help: "Print a progress line every N seconds (0: never).")
    var progress = 10.0

    @Flag(help: "Print the generated sequences as redis-cli input and exit, without starting or contacting any server.")
    var printSequences = false

    static func main() {
        let command: DifftestCommand
        do {
            command = try parse()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        Foundation.exit(command.execute())
    }

    /// Runs the tester and returns the exit status; stops every server it started.
    func execute() -> Int32 {
        var started: [ManagedServer] = []
        defer { started.forEach { $0.stop() } }
        SignalCleanup.install()
        do {
            let configuration = try makeConfiguration()
            if printSequences {
                printGenerated(configuration)
                return 0
            }
            let reference: DifftestEndpoint
            if let redis {
                reference = try DifftestEndpoint(name: "redis", address: redis)
            } else {
                let server = try ManagedServer.startRedis(name: "redis", executable: redisBin)
                SignalCleanup.register(server.processIdentifier)
                started.append(server)
                reference = server.endpoint()
            }
            let candidate: DifftestEndpoint
            if let sidecache {
                candidate = try DifftestEndpoint(name: "sidecache", address: sidecache)
            } else if candidateRedisServer {
                let server = try ManagedServer.startRedis(name: "candidate-redis", executable: redisBin, extraArguments: candidateRedisArg)
                SignalCleanup.register(server.processIdentifier)
                started.append(server)
                candidate = server.endpoint()
            } else {
                let server = try ManagedServer.startSidecache(binary: sidecacheBin)
                SignalCleanup.register(server.processIdentifier)
                started.append(server)
                candidate = server.endpoint()
            }
            let bound = [configuration.count.map { "\($0) sequences" }, configuration.seconds.map { "\($0) s of sequences" }]
                .compactMap { $0 }.joined(separator: " or ")
            print(
                "sidecache-difftest: \(reference) vs \(candidate); seed \(configuration.seed); "
                    + "families \(configuration.families.map(\.name).joined(separator: ",")); "
                    + "\(bound.isEmpty ? "\(DifftestConfiguration.defaultCount) sequences" : bound) of \(configuration.length) steps"
            )
            let runner = DifftestRunner(configuration: configuration, reference: reference, candidate: candidate) { line in
                print("sidecache-difftest: \(line)")
            }
            let report = try runner.run()
            print(report.summary)
            return report.divergence == nil ? 0 : 1
        } catch {
            FileHandle.standardError.write(Data("sidecache-difftest: \(error)\n".utf8))
            if case .endpoint = error { return 1 }
            return 2
        }
    }

    /// The sequences `configuration` would run, as redis-cli input.
    private func printGenerated(_ configuration: DifftestConfiguration) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for offset in 0..<(configuration.count ?? DifftestConfiguration.defaultCount) {
            let sequence = DifftestSequence.generate(
                runSeed: configuration.seed, index: configuration.firstSequence + offset, length: configuration.length,
                families: configuration.families, resp3Percent: configuration.resp3Percent
            )
            print("# seed \(sequence.runSeed), sequence \(sequence.index)")
            if sequence.resp3 { print("HELLO 3") }
            for step in sequence.steps { step.cliLines(nowMilliseconds: now).forEach { print($0) } }
        }
    }

    private func makeConfiguration() throws(DifftestError) -> DifftestConfiguration {
        guard count.map({ $0 > 0 }) ?? true else { throw .setup("--count must be at least 1") }
        guard seconds.map({ $0 > 0 }) ?? true else { throw .setup("--seconds must be positive") }
        guard length > 0 else { throw .setup("--length must be at least 1") }
        guard (0...100).contains(resp3Percent) else { throw .setup("--resp3-percent must be between 0 and 100") }
        guard timeout > 0 else { throw .setup("--timeout must be positive") }
        let names = families.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return DifftestConfiguration(
            seed: seed ?? UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000_000,
            count: sequence == nil ? count : 1,
            seconds: sequence == nil ? seconds : nil,
            length: length,
            families: try DifftestFamilies.named(names),
            resp3Percent: resp3Percent,
            firstSequence: sequence ?? 0,
            replyTimeout: .milliseconds(Int64(timeout * 1000)),
            progressInterval: progress > 0 ? .milliseconds(Int64(progress * 1000)) : nil
        )
    }
}
