import NIOCore
import SidecacheDifftest
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// The running used_memory count against a recount from scratch, after every command of
/// seeded random sequences over every data type.
@Suite("Memory accounting")
struct MemoryAccountingTests {
    /// `(running, recounted)` for `harness`'s keyspace.
    static func counts(_ harness: EngineHarness) -> (running: Int, recounted: Int) {
        harness.keyspace.withState { ($0.usedMemory, $0.recountUsedMemory()) }
    }

    /// The handler name for `arguments` (`object|encoding` for a subcommand), when the engine
    /// runs it and the arity is right; the dispatcher's checks, which the harness skips.
    static func engineCommand(_ arguments: [[UInt8]]) -> String? {
        guard let first = arguments.first else { return nil }
        var name = String(decoding: first, as: UTF8.self).lowercased()
        guard var spec = CommandTable.redis.spec(named: name) else { return nil }
        if spec.isContainer {
            guard arguments.count >= 2 else { return nil }
            name += "|" + String(decoding: arguments[1], as: UTF8.self).lowercased()
            guard let sub = CommandTable.redis.spec(named: name) else { return nil }
            spec = sub
        }
        guard spec.acceptsArgumentCount(arguments.count), EngineHarness.handlers[name] != nil else { return nil }
        return name
    }

    @Test("the running count equals a recount after every command", arguments: 1...12)
    func randomSequences(seed: UInt64) throws {
        let harness = EngineHarness()
        let sequence = DifftestSequence.generate(
            runSeed: 0x5EED_0000 + seed, index: 0, length: 400, families: DifftestFamilies.all, resp3Percent: 0)
        var executed = 0
        var peak = 0
        defer {
            #expect(executed > 250)
            #expect(peak > 0)
        }
        for step in sequence.steps {
            guard case .command(let symbolic) = step.action else { continue }
            let arguments = symbolic.map { $0.resolved(nowMilliseconds: harness.clock.now) }
            guard let name = Self.engineCommand(arguments) else { continue }
            executed += 1
            harness.client.frame = RESPCommandFrame(arguments)
            harness.client.out.clear()
            harness.keyspace.withState { EngineHarness.handlers[name]!(harness.client, $0.database(harness.client.database)) }
            let (running, recounted) = Self.counts(harness)
            peak = max(peak, running)
            #expect(running == recounted, "after \(arguments.map { String(decoding: $0, as: UTF8.self) })")
            if running != recounted { return }
        }
    }

    @Test("deleting every key gives back every byte but the hash tables'")
    func deleteAll() throws {
        let harness = EngineHarness()
        #expect(Self.counts(harness).running == 0)
        for index in 0..<200 {
            try harness.run("SET", "string:\(index)", String(repeating: "v", count: index))
            try harness.run("HSET", "hash:\(index)", "field", "value")
            try harness.run("RPUSH", "list:\(index)", "a", "b", String(repeating: "c", count: index * 10))
            try harness.run("ZADD", "zset:\(index)", "1", "a", "2", String(repeating: "b", count: index))
            try harness.run("SADD", "set:\(index)", "1", "2", "x\(index)")
            try harness.run("EXPIRE", "string:\(index)", "100")
        }
        let (full, recounted) = Self.counts(harness)
        #expect(full == recounted)
        #expect(full > 200 * 5 * 64)
        try harness.run("FLUSHALL")
        #expect(Self.counts(harness) == (0, 0))
    }

    @Test("the peak holds what the data reached before it was deleted")
    func peak() throws {
        let engine = EngineHarness()
        for index in 0..<100 { try engine.write("SET", "k\(index)", String(repeating: "v", count: 100)) }
        let full = engine.keyspace.withState { $0.usedMemory }
        for index in 0..<100 { try engine.write("DEL", "k\(index)") }
        try engine.write("SET", "last", "v")
        let report = engine.keyspace.memoryReport()
        #expect(report.peakMemory >= full)
        #expect(report.usedMemory < full / 10)
    }

    @Test("APPEND, SETRANGE and SETBIT count the grown string")
    func stringsGrowInPlace() throws {
        let harness = EngineHarness()
        try harness.run("SET", "k", String(repeating: "x", count: 100))
        let before = Self.counts(harness).running
        for _ in 0..<50 { try harness.run("APPEND", "k", String(repeating: "y", count: 100)) }
        try harness.run("SETRANGE", "k", "10000", "z")
        try harness.run("SETBIT", "k", "100000", "1")
        let (after, recounted) = Self.counts(harness)
        #expect(after == recounted)
        #expect(after - before >= 12_400)
    }

    @Test("a list keeps its node total as nodes split, merge and empty")
    func listNodeTotals() throws {
        let harness = EngineHarness()
        for index in 0..<2000 { try harness.run("RPUSH", "l", String(repeating: "e", count: index % 300)) }
        try harness.run("LINSERT", "l", "BEFORE", String(repeating: "e", count: 150), "pivot")
        try harness.run("LREM", "l", "0", String(repeating: "e", count: 7))
        try harness.run("LTRIM", "l", "100", "-100")
        try harness.run("LSET", "l", "500", String(repeating: "n", count: 5000))
        let list = try #require(harness.keyspace.withState { state in
            Array("l".utf8).withUnsafeBytes { state.database(0).peek($0)?.value.list }
        })
        #expect(list.estimatedMemoryUsage == 64 + list.nodeMemoryRecount + Self.nodeArrayBytes(list))
        #expect(Self.counts(harness).running == Self.counts(harness).recounted)
    }

    static func nodeArrayBytes(_ list: ListValue) -> Int {
        list.estimatedMemoryUsage - 64 - list.nodeMemoryRecount
    }

    @Test("an entry's counted size is its malloc chunk")
    func entryChunk() throws {
        let harness = EngineHarness()
        try harness.run("SET", "key:0000001", String(repeating: "v", count: 32))
        let (accounted, actual) = try #require(harness.keyspace.withState { state in
            Array("key:0000001".utf8).withUnsafeBytes { key -> (Int, Int)? in
                guard let entry = state.database(0).peek(key) else { return nil }
                let offset = entry.withUnsafeMutablePointerToElements { Int(bitPattern: $0) }
                    - Int(bitPattern: Unmanaged.passUnretained(entry).toOpaque())
                return (entry.accountedBytes, MemoryCounter.mallocChunk(offset + 11 + 32))
            }
        })
        #expect(accounted == actual)
    }
}
