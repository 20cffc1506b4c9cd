import Foundation
import SidecacheConfig
import SidecacheDifftest
import Testing

private let redisCLIPath = "/usr/bin/redis-cli"

/// `redis-cli --hotkeys`, `--bigkeys` and `--memkeys` against Sidecache: they scan with SCAN
/// and ask OBJECT FREQ (under an LFU policy), TYPE, STRLEN/LLEN/HLEN/... and MEMORY USAGE.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: redisCLIPath), "needs redis-cli"))
struct RedisCLIIntrospectionTests {
    /// redis-cli's output and errors for `arguments` (after `-p port`).
    static func redisCLI(port: Int, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: redisCLIPath)
        process.arguments = ["-p", "\(port)"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitForExit()
        return String(decoding: output, as: UTF8.self)
    }

    static func fill(_ client: TestClient) async throws {
        for index in 0..<100 { _ = try await client.command("SET", "key:\(index)", "value:\(index)") }
        _ = try await client.command("SET", "big:string", String(repeating: "s", count: 20_000))
        _ = try await client.command("RPUSH", "big:list", "a", "b", "c", "d", "e", "f", "g")
        _ = try await client.command("HSET", "big:hash", "f1", "v1", "f2", String(repeating: "h", count: 30_000))
        _ = try await client.command("ZADD", "big:zset", "1", "a", "2", "b")
        _ = try await client.command("SADD", "big:set", "x", "y", "z")
    }

    @Test("--hotkeys lists the most read key under allkeys-lfu")
    func hotKeys() async throws {
        try await withTestServer({ $0.memory.maxmemoryPolicy = .allkeysLFU }) { sidecache in
            let client = try await TestClient.connect(port: sidecache.port)
            try await Self.fill(client)
            for _ in 0..<500 { _ = try await client.command("GET", "key:42") }
            for _ in 0..<100 { _ = try await client.command("GET", "key:7") }
            await client.close()
            let output = try Self.redisCLI(port: sidecache.port, ["--hotkeys"])
            let summary = try #require(output.components(separatedBy: "-------- summary -------").last)
            let hot = summary.split(separator: "\n").filter { $0.hasPrefix("hot key found") }
            // Hottest first.
            #expect(hot.first?.hasSuffix("keyname: \"key:42\"") == true, "\(output)")
            #expect(hot.dropFirst().first?.hasSuffix("keyname: \"key:7\"") == true, "\(output)")
        }
    }

    @Test("--hotkeys without an LFU policy stops with the OBJECT FREQ error")
    func hotKeysNeedLFU() async throws {
        try await withTestServer { sidecache in
            let client = try await TestClient.connect(port: sidecache.port)
            _ = try await client.command("SET", "k", "v")
            await client.close()
            let output = try Self.redisCLI(port: sidecache.port, ["--hotkeys"])
            #expect(output.contains("An LFU maxmemory policy is not selected"), "\(output)")
        }
    }

    @Test("--bigkeys and --memkeys name the biggest key of each type")
    func bigKeysAndMemKeys() async throws {
        try await withTestServer { sidecache in
            let client = try await TestClient.connect(port: sidecache.port)
            try await Self.fill(client)
            await client.close()
            let big = try Self.redisCLI(port: sidecache.port, ["--bigkeys"])
            #expect(big.contains("Sampled 105 keys in the keyspace!"), "\(big)")
            for line in ["Biggest string found '\"big:string\"' has 20000 bytes", "Biggest   list found '\"big:list\"' has 7 items",
                "Biggest   hash found '\"big:hash\"' has 2 fields", "Biggest    set found '\"big:set\"' has 3 members",
                "Biggest   zset found '\"big:zset\"' has 2 members"]
            {
                #expect(big.contains(line), "no \(line) in \(big)")
            }
            let memory = try Self.redisCLI(port: sidecache.port, ["--memkeys"])
            for type in ["string", "hash"] {
                #expect(memory.contains("found '\"big:\(type)\"' has"), "\(memory)")
            }
        }
    }
}
