import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// The BF.* commands on the engine: options, every error RedisBloom answers, replies,
/// watchers and the change counter.
@Suite("Bloom filter commands")
struct BloomCommandsTests {
    typealias Errors = BloomCommands.Errors

    static func error(_ engine: EngineHarness, _ arguments: String...) throws -> String? {
        EngineHarness.errorText(try engine.run(arguments))
    }

    static func integers(_ reply: RESPValue) -> [Int64] {
        (reply.elements ?? [reply]).compactMap { if case .integer(let value) = $0 { value } else { nil } }
    }

    @Test func addCreatesADefaultFilter() throws {
        let engine = EngineHarness()
        #expect(try engine.run("BF.ADD", "b", "x") == .integer(1))
        #expect(try engine.run("BF.ADD", "b", "x") == .integer(0))
        #expect(Self.integers(try engine.run("BF.MADD", "b", "x", "y", "z")) == [0, 1, 1])
        #expect(try engine.run("BF.EXISTS", "b", "y") == .integer(1))
        #expect(try engine.run("BF.EXISTS", "b", "w") == .integer(0))
        #expect(Self.integers(try engine.run("BF.MEXISTS", "b", "x", "w", "z")) == [1, 0, 1])
        #expect(try engine.run("BF.CARD", "b") == .integer(3))
        let info = try engine.run("BF.INFO", "b").elements ?? []
        #expect(info.map { $0.text ?? "nil" } == [
            "Capacity", "100", "Size", "240", "Number of filters", "1", "Number of items inserted", "3", "Expansion rate", "2",
        ])
        #expect(try engine.run("TYPE", "b").text == "MBbloom--")
        #expect(engine.encodingName("b") == "raw")
    }

    @Test func missingKeys() throws {
        let engine = EngineHarness()
        #expect(try engine.run("BF.EXISTS", "none", "x") == .integer(0))
        #expect(Self.integers(try engine.run("BF.MEXISTS", "none", "x", "y")) == [0, 0])
        #expect(try engine.run("BF.CARD", "none") == .integer(0))
        #expect(try Self.error(engine, "BF.INFO", "none") == Errors.notFound)
        #expect(try Self.error(engine, "BF.INSERT", "none", "NOCREATE", "ITEMS", "x") == Errors.notFound)
        #expect(try engine.run("EXISTS", "none") == .integer(0))
    }

    @Test func infoFields() throws {
        let engine = EngineHarness()
        try engine.run("BF.RESERVE", "r", "0.001", "100")
        try engine.run("BF.RESERVE", "n", "0.01", "10", "NONSCALING")
        #expect(try engine.run("BF.INFO", "r", "capacity") == .array([.integer(100)]))
        #expect(try engine.run("BF.INFO", "r", "SIZE") == .array([.integer(296)]))
        #expect(try engine.run("BF.INFO", "r", "Filters") == .array([.integer(1)]))
        #expect(try engine.run("BF.INFO", "r", "items") == .array([.integer(0)]))
        #expect(try engine.run("BF.INFO", "r", "expansion") == .array([.integer(2)]))
        #expect(try engine.run("BF.INFO", "n", "expansion") == .array([.bulkString(nil)]))
        #expect(try Self.error(engine, "BF.INFO", "r", "bogus") == Errors.invalidInfo)
        #expect(try Self.error(engine, "BF.INFO", "r", "capacity", "size") == "ERR wrong number of arguments for 'bf.info' command")
    }

    @Test func reserveOptionsAndErrors() throws {
        let engine = EngineHarness()
        #expect(try engine.run("BF.RESERVE", "e", "0.01", "10", "EXPANSION", "3").text == "OK")
        #expect(try engine.run("BF.INFO", "e", "EXPANSION") == .array([.integer(3)]))
        #expect(try engine.run("BF.RESERVE", "x", "0.01", "10", "ignored").text == "OK")
        // RedisBloom looks for its words among every argument, the key included.
        #expect(try engine.run("BF.RESERVE", "nonscaling", "0.01", "10").text == "OK")
        #expect(try engine.run("BF.INFO", "nonscaling", "EXPANSION") == .array([.bulkString(nil)]))
        let cases: [([String], String)] = [
            (["q", "0.1", "10", "a", "b", "c", "d"], "ERR wrong number of arguments for 'bf.reserve' command"),
            (["q", "abc", "10"], Errors.badErrorRate),
            (["q", "nan", "10"], Errors.badErrorRate),
            (["q", " 0.1", "10"], Errors.badErrorRate),
            (["q", "1e-400", "10"], Errors.badErrorRate),
            (["q", "0", "10"], Errors.errorRateRange),
            (["q", "1", "10"], Errors.errorRateRange),
            (["q", "-0.5", "10"], Errors.errorRateRange),
            (["q", "0.1", "x"], Errors.badCapacity),
            (["q", "0.1", "1.5"], Errors.badCapacity),
            (["q", "0.1", "0"], Errors.capacityRange),
            (["q", "0.1", "-3"], Errors.capacityRange),
            (["q", "0.1", "10", "EXPANSION"], Errors.noExpansion),
            (["q", "0.1", "10", "NONSCALING", "EXPANSION", "2"], Errors.nonScalingExpansion),
            (["q", "0.1", "10", "EXPANSION", "x"], Errors.badExpansion),
            (["q", "0.1", "10", "EXPANSION", "0"], Errors.expansionRange),
            (["q", "0.01", "1000000000000"], Errors.cannotCreate),
            (["e", "0.1", "10"], Errors.itemExists),
        ]
        for (arguments, expected) in cases {
            #expect(EngineHarness.errorText(try engine.run(["BF.RESERVE"] + arguments)) == expected, "\(arguments)")
        }
        try engine.run("SET", "s", "v")
        #expect(try Self.error(engine, "BF.RESERVE", "s", "0.1", "10") == RedisError.wrongType)
        #expect(try engine.run("EXISTS", "q") == .integer(0))
    }

    @Test func aFullNonScalingFilterAnswersAnErrorInPlaceOfTheItem() throws {
        let engine = EngineHarness()
        try engine.run("BF.RESERVE", "n", "0.01", "3", "NONSCALING")
        let reply = try engine.run("BF.MADD", "n", "a", "b", "a", "c", "d", "e")
        #expect(reply.elements?.count == 5)
        #expect(Self.integers(reply) == [1, 1, 0, 1])
        #expect(reply.elements?.last.map(EngineHarness.errorText) == Errors.full)
        #expect(try Self.error(engine, "BF.ADD", "n", "f") == Errors.full)
        #expect(try engine.run("BF.ADD", "n", "a") == .integer(0))
        #expect(try engine.run("BF.CARD", "n") == .integer(3))
    }

    @Test func insertOptions() throws {
        let engine = EngineHarness()
        #expect(Self.integers(try engine.run("BF.INSERT", "i", "ERROR", "0.001", "CAPACITY", "50000", "EXPANSION", "4", "ITEMS", "foo")) == [1])
        #expect(try engine.run("BF.INFO", "i", "SIZE") == .array([.integer(98_976)]))
        #expect(try engine.run("BF.INFO", "i", "EXPANSION") == .array([.integer(4)]))
        #expect(Self.integers(try engine.run("BF.INSERT", "i", "ERROR", "0.1", "ITEMS", "foo", "bar", "baz")) == [0, 1, 1])
        #expect(try engine.run("BF.INFO", "i", "CAPACITY") == .array([.integer(50_000)]))
        // Options go by their first letters, as in RedisBloom.
        #expect(Self.integers(try engine.run("BF.INSERT", "j", "cap", "10", "nonscaling", "e", "3", "i", "x")) == [1])
        #expect(try engine.run("BF.INFO", "j", "EXPANSION") == .array([.bulkString(nil)]))
        #expect(try engine.run("BF.INFO", "j", "CAPACITY") == .array([.integer(10)]))
        #expect(Self.integers(try engine.run("BF.INSERT", "j", "NOCREATE", "ITEMS", "y")) == [1])
    }

    @Test func insertErrors() throws {
        let engine = EngineHarness()
        let arity = "ERR wrong number of arguments for 'bf.insert' command"
        let cases: [([String], String)] = [
            (["k", "ITEMS"], arity),
            (["k", "NOCREATE", "ITEMS"], arity),
            (["k", "NOCREATE", "CAPACITY"], arity),
            (["k", "CAPACITY", "10"], arity),
            (["k", "ERROR"], arity),
            (["k", "EXPANSION"], arity),
            (["k", "DONTEXIST", "NOCREATE"], Errors.unknownArgument),
            (["k", "", "ITEMS", "x"], Errors.unknownArgument),
            (["k", "CAPACITY", "0.3", "ITEMS", "x"], Errors.insertBadCapacity),
            (["k", "ERROR", "big", "ITEMS", "x"], Errors.insertBadErrorRate),
            (["k", "EXPANSION", "big", "ITEMS", "x"], Errors.insertBadExpansion),
            (["k", "EXPANSION", "0", "ITEMS", "x"], Errors.badArgument),
            (["k", "CAPACITY", "0", "ITEMS", "x"], Errors.badArgument),
            (["k", "ERROR", "1", "ITEMS", "x"], Errors.badArgument),
            (["k", "ERROR", "0", "ITEMS", "x"], Errors.badArgument),
            (["k", "CAPACITY", "1000000000000", "ITEMS", "x"], Errors.cannotCreate),
        ]
        for (arguments, expected) in cases {
            #expect(EngineHarness.errorText(try engine.run(["BF.INSERT"] + arguments)) == expected, "\(arguments)")
        }
        #expect(try engine.run("EXISTS", "k") == .integer(0))
    }

    @Test func otherTypes() throws {
        let engine = EngineHarness()
        try engine.run("SET", "s", "v")
        #expect(try Self.error(engine, "BF.ADD", "s", "x") == RedisError.wrongType)
        #expect(try Self.error(engine, "BF.MADD", "s", "x") == RedisError.wrongType)
        #expect(try Self.error(engine, "BF.INSERT", "s", "ITEMS", "x") == RedisError.wrongType)
        #expect(try Self.error(engine, "BF.INFO", "s") == RedisError.wrongType)
        #expect(try Self.error(engine, "BF.CARD", "s") == RedisError.wrongType)
        #expect(try engine.run("BF.EXISTS", "s", "x") == .integer(0))
        try engine.run("BF.ADD", "b", "x")
        #expect(try Self.error(engine, "GET", "b") == RedisError.wrongType)
        #expect(EngineHarness.errorText(try engine.run("DUMP", "b"))?.hasPrefix("ERR") == true)
        #expect(try engine.run("COPY", "b", "c") == .integer(1))
        try engine.run("BF.ADD", "c", "only-in-c")
        #expect(try engine.run("BF.EXISTS", "b", "only-in-c") == .integer(0))
        #expect(try engine.run("BF.CARD", "c") == .integer(2))
    }

    /// A module command signals its key to watchers whenever it opened it for writing, even
    /// when it then failed, and counts a change when it replicates (after adding, whatever
    /// was added; after creating).
    @Test func watchersAndTheChangeCounter() throws {
        let engine = EngineHarness()
        engine.watch("b")
        #expect(try engine.runCounting("BF.EXISTS", "b", "x").changes == 0)
        #expect(!engine.isWatchBroken)
        #expect(try engine.runCounting("BF.ADD", "b", "x").changes == 1)
        #expect(engine.isWatchBroken)
        engine.unwatch()
        engine.watch("b")
        #expect(try engine.runCounting("BF.ADD", "b", "x").changes == 1)
        #expect(engine.isWatchBroken)
        engine.unwatch()
        engine.watch("b")
        #expect(try engine.runCounting("BF.RESERVE", "b", "0.1", "10").changes == 0)
        #expect(engine.isWatchBroken)
        engine.unwatch()
        engine.watch("b")
        #expect(try engine.runCounting("BF.INFO", "b").changes == 0)
        #expect(try engine.runCounting("BF.RESERVE", "b", "x", "10").changes == 0)
        #expect(!engine.isWatchBroken)
        #expect(try engine.runCounting("BF.RESERVE", "new", "0.1", "10").changes == 1)
    }
}
