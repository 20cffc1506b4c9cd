import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// The HyperLogLog representation and PF* commands on the engine: encodings, sparse → dense
/// promotion, the cached cardinality, estimates, corrupt values, watchers and the change
/// counter. Byte-for-byte agreement with redis-server is in the server's differential tests.
@Suite("HyperLogLog")
struct HyperLogLogTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A sparse HLL with `body` as its opcodes and the cache marked stale.
    static func sparse(_ body: [UInt8]) -> [UInt8] {
        bytes("HYLL") + [1, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0x80] + body
    }

    static func encoding(_ engine: EngineHarness, _ key: String) throws -> String {
        try engine.run("PFDEBUG", "ENCODING", key).text ?? ""
    }

    // MARK: Representation

    @Test func anEmptyHLLIsOneXZeroOpcode() throws {
        let engine = EngineHarness()
        #expect(try engine.run("PFADD", "h") == .integer(1))
        // Creating the key is an update: the (zero) cached cardinality is marked stale.
        #expect(try engine.stringValue("h") == Self.bytes("HYLL") + [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x7F, 0xFF])
        #expect(try engine.run("PFADD", "h") == .integer(0))
        #expect(try engine.run("TYPE", "h").text == "string")
        #expect(engine.encodingName("h") == "raw")
        #expect(try engine.run("PFCOUNT", "h") == .integer(0))
    }

    /// Bytes recorded from redis-server 7.0.15 after `PFADD h a b c`, before and after PFCOUNT
    /// cached the cardinality: MurmurHash64A, the register index, the run length and the
    /// sparse opcodes all agree.
    @Test func threeElementsGiveRedisServersBytes() throws {
        let engine = EngineHarness()
        #expect(try engine.run("PFADD", "h", "a", "b", "c") == .integer(1))
        let registers: [UInt8] = [0x60, 0xF3, 0x80, 0x50, 0xB1, 0x84, 0x4B, 0xFB, 0x80, 0x42, 0x5A]
        #expect(try engine.stringValue("h") == Self.bytes("HYLL") + [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80] + registers)
        #expect(try engine.run("PFDEBUG", "DECODE", "h").text == "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603")
        #expect(try engine.run("PFCOUNT", "h") == .integer(3))
        #expect(try engine.stringValue("h") == Self.bytes("HYLL") + [1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0] + registers)
    }

    @Test func denseRegistersRoundTripWithoutDisturbingTheirNeighbours() {
        var dense = Self.bytes("HYLL") + [UInt8](repeating: 0, count: HyperLogLog.denseSize - 4)
        var expected = [Int](repeating: 0, count: HyperLogLog.registerCount)
        var generator = StringsTests.SeededGenerator(seed: 0x4711)
        for register in 0..<HyperLogLog.registerCount {
            expected[register] = Int.random(in: 0...63, using: &generator)
            HyperLogLog.Dense.write(&dense, register: register, value: expected[register])
        }
        dense.withUnsafeBytes { bytes in
            #expect((0..<HyperLogLog.registerCount).allSatisfy { HyperLogLog.Dense.get(bytes, register: $0) == expected[$0] })
            var histogram = [Int](repeating: 0, count: 64)
            HyperLogLog.Dense.addHistogram(bytes, into: &histogram)
            #expect(histogram.reduce(0, +) == HyperLogLog.registerCount)
            #expect(histogram[7] == expected.filter { $0 == 7 }.count)
        }
    }

    @Test func aSparseUpdateSplitsAndMergesOpcodes() {
        var hll = HyperLogLog.makeEmpty()
        #expect(HyperLogLog.Sparse.set(&hll, register: 1000, to: 2, maxBytes: 3000) == 1)
        #expect(Array(hll[16...]) == [0x43, 0xE7, 0x84, 0x7C, 0x16])  // XZERO:1000 VAL:2,1 XZERO:15383
        #expect(HyperLogLog.Sparse.set(&hll, register: 1001, to: 2, maxBytes: 3000) == 1)
        // VAL:2,1 VAL:2,1 XZERO:15382 became VAL:2,2 XZERO:15382.
        #expect(Array(hll[16...]) == [0x43, 0xE7, 0x85, 0x7C, 0x15])
        #expect(HyperLogLog.Sparse.set(&hll, register: 1001, to: 1, maxBytes: 3000) == 0)
        #expect(hll[15] & 0x80 != 0)
    }

    // MARK: Sparse to dense

    /// PFADD keeps the sparse form until an update would take it past `hll-sparse-max-bytes`
    /// (3000): every sparse value seen is at most 3000 bytes, and the first dense one follows a
    /// sparse one close to the limit.
    @Test func pfaddPromotesToDenseAtTheSparseLimit() throws {
        let engine = EngineHarness()
        try engine.run("PFADD", "h")
        var lastSparseLength = 0
        var element = 0
        while try Self.encoding(engine, "h") != "dense" {
            lastSparseLength = try engine.stringValue("h").count
            #expect(lastSparseLength <= HyperLogLog.defaultSparseMaxBytes)
            element += 1
            try engine.run("PFADD", "h", "element:\(element)")
        }
        #expect(lastSparseLength > HyperLogLog.defaultSparseMaxBytes - 5)
        #expect(try engine.stringValue("h").count == HyperLogLog.denseSize)
        #expect(element > 1000 && element < 3000)
    }

    @Test func aRegisterAbove32PromotesToDense() {
        var hll = HyperLogLog.makeEmpty()
        #expect(HyperLogLog.Sparse.set(&hll, register: 5, to: 32, maxBytes: 3000) == 1)
        #expect(hll[4] == HyperLogLog.sparseEncoding)
        #expect(HyperLogLog.Sparse.set(&hll, register: 9, to: 33, maxBytes: 3000) == 1)
        #expect(hll[4] == HyperLogLog.denseEncoding && hll.count == HyperLogLog.denseSize)
        hll.withUnsafeBytes { bytes in
            #expect(HyperLogLog.Dense.get(bytes, register: 5) == 32)
            #expect(HyperLogLog.Dense.get(bytes, register: 9) == 33)
        }
    }

    @Test func aSmallSparseLimitPromotesEarly() {
        var hll = HyperLogLog.makeEmpty()
        #expect(HyperLogLog.Sparse.set(&hll, register: 100, to: 1, maxBytes: 22) == 1)
        #expect(hll.count == 21 && hll[4] == HyperLogLog.sparseEncoding)  // XZERO VAL XZERO
        #expect(HyperLogLog.Sparse.set(&hll, register: 5000, to: 1, maxBytes: 22) == 1)
        #expect(hll[4] == HyperLogLog.denseEncoding)
    }

    // MARK: Estimates

    /// Sparse and dense HLLs fed the same elements give the same estimate, within the error
    /// PFSELFTEST allows (six standard errors of 1.04/√16384), up to 100,000 elements.
    @Test func sparseAndDenseAgreeAndStayWithinTheStandardError() {
        var sparse = HyperLogLog.makeEmpty()
        var dense = Self.bytes("HYLL") + [UInt8](repeating: 0, count: HyperLogLog.denseSize - 4)
        var checkpoint = 1
        for element in 1...100_000 {
            let text = Self.bytes("item-\(element)")
            text.withUnsafeBytes { bytes in
                if element <= 2_000 {
                    _ = HyperLogLog.add(bytes, to: &sparse, sparseMaxBytes: 100_000)
                }
                _ = HyperLogLog.add(bytes, to: &dense, sparseMaxBytes: 100_000)
            }
            guard element == checkpoint else { continue }
            let estimate = dense.withUnsafeBytes { HyperLogLog.count($0).cardinality }
            if element <= 2_000 {
                #expect(sparse[4] == HyperLogLog.sparseEncoding)
                #expect(sparse.withUnsafeBytes { HyperLogLog.count($0) } == (estimate, true))
            }
            let allowed = element == 10 ? 1 : Int((1.04 / 128 * 6 * Double(element)).rounded(.up))
            #expect(abs(Int(estimate) - element) <= allowed, "\(element) elements estimated as \(estimate)")
            checkpoint *= 10
        }
    }

    @Test func theEstimatorOfAnEmptyHistogramIsZero() {
        var histogram = [Int](repeating: 0, count: 64)
        histogram[0] = HyperLogLog.registerCount
        #expect(HyperLogLog.estimate(histogram) == 0)
        #expect(HyperLogLog.sigma(1) == .infinity)
        #expect(HyperLogLog.tau(0) == 0 && HyperLogLog.tau(1) == 0)
        #expect(HyperLogLog.count(registers: [UInt8](repeating: 0, count: HyperLogLog.registerCount)) == 0)
    }

    // MARK: Commands

    @Test func pfcountCachesTheCardinalityAndPfaddInvalidatesIt() throws {
        let engine = EngineHarness()
        try engine.run("PFADD", "h", "a", "b")
        #expect(try engine.stringValue("h")[15] & 0x80 != 0)
        engine.watch("h")
        #expect(try engine.runCounting("PFCOUNT", "h") == (.integer(2), 1))
        #expect(engine.isWatchBroken)
        engine.unwatch()
        #expect(Array(try engine.stringValue("h")[8..<16]) == [2, 0, 0, 0, 0, 0, 0, 0])
        engine.watch("h")
        #expect(try engine.runCounting("PFCOUNT", "h") == (.integer(2), 0))
        #expect(try engine.runCounting("PFADD", "h", "a") == (.integer(0), 0))
        #expect(!engine.isWatchBroken)
        #expect(try engine.runCounting("PFADD", "h", "c", "d", "a") == (.integer(1), 2))
        #expect(engine.isWatchBroken)
        #expect(try engine.stringValue("h")[15] & 0x80 != 0)
    }

    /// A cached cardinality is believed as it is, even one that is not the registers' estimate.
    @Test func aCopiedValueKeepsItsCachedCardinality() throws {
        let engine = EngineHarness()
        var value = Self.sparse([0x7F, 0xFF])
        value[8] = 0x39
        value[9] = 0x05
        value[15] = 0
        try engine.run(bytes: [Self.bytes("SET"), Self.bytes("h"), value])
        #expect(engine.encodingName("h") == "embstr")
        #expect(try engine.run("PFCOUNT", "h") == .integer(1337))
        #expect(engine.encodingName("h") == "raw")
    }

    @Test func pfcountOfSeveralKeysCountsTheUnionAndWritesNothing() throws {
        let engine = EngineHarness()
        try engine.run(["PFADD", "a"] + (0..<600).map { "x\($0)" })
        try engine.run(["PFADD", "b"] + (300..<900).map { "x\($0)" })
        let before = try engine.stringValue("a")
        let union = try engine.run("PFCOUNT", "a", "b", "missing")
        guard case .integer(let count) = union else {
            Issue.record("PFCOUNT replied \(union)")
            return
        }
        #expect(abs(count - 900) <= 9)
        #expect(try engine.stringValue("a") == before)
        #expect(try engine.run("PFMERGE", "u", "a", "b") == .simpleString(ByteBuffer(string: "OK")))
        #expect(try engine.run("PFCOUNT", "u") == union)
        #expect(try Self.encoding(engine, "u") == "sparse")
        try engine.run("PFDEBUG", "TODENSE", "b")
        try engine.run("PFMERGE", "v", "a", "b")
        #expect(try Self.encoding(engine, "v") == "dense")
        #expect(try engine.run("PFCOUNT", "v") == union)
    }

    @Test func pfmergeReadsTheDestinationAsASource() throws {
        let engine = EngineHarness()
        try engine.run("PFADD", "d", "a", "b", "c")
        #expect(try engine.runCounting("PFMERGE", "d").changes == 1)
        #expect(try engine.run("PFCOUNT", "d") == .integer(3))
        try engine.run("PFMERGE", "empty")
        #expect(try engine.stringValue("empty").count == 18)
    }

    @Test func valuesThatAreNotHLLsAreRefused() throws {
        let engine = EngineHarness()
        let notHLL = "WRONGTYPE Key is not a valid HyperLogLog string value."
        try engine.run("SET", "text", "hello")
        try engine.run("SET", "number", "12345")
        try engine.run(bytes: [Self.bytes("SET"), Self.bytes("dense"), Self.bytes("HYLL") + [0] + [UInt8](repeating: 0, count: 20)])
        try engine.run(bytes: [Self.bytes("SET"), Self.bytes("encoding"), Self.bytes("HYLL") + [2] + [UInt8](repeating: 0, count: 13)])
        for key in ["text", "number", "dense", "encoding"] {
            #expect(EngineHarness.errorText(try engine.run("PFADD", key, "x")) == notHLL)
            #expect(EngineHarness.errorText(try engine.run("PFCOUNT", key)) == notHLL)
            #expect(EngineHarness.errorText(try engine.run("PFCOUNT", "missing", key)) == notHLL)
            #expect(EngineHarness.errorText(try engine.run("PFMERGE", "out", key)) == notHLL)
            #expect(EngineHarness.errorText(try engine.run("PFDEBUG", "ENCODING", key)) == notHLL)
        }
        #expect(try engine.run("EXISTS", "out") == .integer(0))
        #expect(EngineHarness.errorText(try engine.run("PFDEBUG", "ENCODING", "missing")) == "ERR The specified key does not exist")
    }

    @Test func corruptSparseValuesAreDetected() throws {
        let engine = EngineHarness()
        let corrupt = "INVALIDOBJ Corrupted HLL object detected"
        // Too few registers; a VAL past the last register; no opcodes at all.
        try engine.run(bytes: [Self.bytes("SET"), Self.bytes("short"), Self.sparse([0x7F, 0xFE])])
        try engine.run(bytes: [Self.bytes("SET"), Self.bytes("long"), Self.sparse([0x7F, 0xFF, 0x80])])
        try engine.run(bytes: [Self.bytes("SET"), Self.bytes("empty"), Self.sparse([])])
        #expect(EngineHarness.errorText(try engine.run("PFCOUNT", "short")) == corrupt)
        // An update finds its register's opcode, or fails when there is none (as Redis).
        #expect(try engine.run("PFADD", "short", "a", "b", "c") == .integer(1))
        #expect(EngineHarness.errorText(try engine.run("PFADD", "empty", "x")) == corrupt)
        #expect(try engine.run("PFADD", "empty") == .integer(0))
        #expect(EngineHarness.errorText(try engine.run("PFCOUNT", "long", "short")) == corrupt)
        #expect(EngineHarness.errorText(try engine.run("PFMERGE", "out", "long")) == corrupt)
        #expect(EngineHarness.errorText(try engine.run("PFDEBUG", "TODENSE", "long")) == corrupt)
        #expect(EngineHarness.errorText(try engine.run("PFDEBUG", "GETREG", "short")) == corrupt)
    }

    @Test func pfdebugSubcommands() throws {
        let engine = EngineHarness()
        try engine.run("PFADD", "h", "a")
        #expect(try engine.run("PFDEBUG", "decode", "h").text == "Z:12711 v:2,1 Z:3672")  // as redis-server
        #expect(try engine.runCounting("PFDEBUG", "TODENSE", "h") == (.integer(1), 1))
        #expect(try engine.run("PFDEBUG", "TODENSE", "h") == .integer(0))
        #expect(EngineHarness.errorText(try engine.run("PFDEBUG", "DECODE", "h")) == "ERR HLL encoding is not sparse")
        let registers = try engine.run("PFDEBUG", "GETREG", "h").elements ?? []
        #expect(registers.count == 16384 && registers[12711] == .integer(2))
        #expect(EngineHarness.errorText(try engine.run("PFDEBUG", "nope", "h")) == "ERR Unknown PFDEBUG subcommand 'nope'")
        #expect(try engine.run("PFCOUNT", "h") == .integer(1))
    }

    @Test func otherTypesGetTheGenericWrongType() throws {
        let engine = EngineHarness()
        try engine.run("BF.ADD", "bloom", "x")
        for command in [["PFADD", "bloom"], ["PFCOUNT", "bloom"], ["PFCOUNT", "bloom", "x"], ["PFMERGE", "bloom"]] {
            #expect(EngineHarness.errorText(try engine.run(command)) == RedisError.wrongType)
        }
    }
}
