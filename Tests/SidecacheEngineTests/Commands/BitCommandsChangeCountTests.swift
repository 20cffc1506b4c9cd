import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// The change counter (`statistics.changes`, Redis's `dirty`, INFO's
/// `rdb_changes_since_last_save`) after SETBIT, BITFIELD, BITOP, INCRBYFLOAT and the read-only
/// bit commands, run through the engine's handlers and through a real redis-server 7.0: each
/// command must move both counters by the same amount. (Sidecache's INFO has no persistence
/// section yet, so this is checked in the engine rather than over the wire.)
@Suite(.enabled(if: StringsTests.RedisOracle.isAvailable, "needs /usr/bin/redis-server"))
struct BitCommandsChangeCountTests {
    typealias RedisOracle = StringsTests.RedisOracle

    /// The engine with the handlers the server registers, run directly on database 0.
    final class Engine {
        let keyspace = Keyspace(databases: 1)
        let client = EngineClient(allocator: ByteBufferAllocator())
        let handlers: [String: EngineCommand] = Dictionary(EngineCommands.all, uniquingKeysWith: { first, _ in first })

        /// Runs one command; returns its reply bytes and how much it moved the change counter.
        func run(_ arguments: [[UInt8]]) -> (reply: [UInt8], changes: Int) {
            let name = String(decoding: arguments[0], as: UTF8.self).lowercased()
            guard let handler = handlers[name] else { return (Array("-unknown \(name)".utf8), 0) }
            client.frame = RESPCommandFrame(arguments)
            client.out.clear()
            let changes = keyspace.withState { state in
                let before = state.statistics.changes
                handler(client, state.database(0))
                return state.statistics.changes - before
            }
            return (Array(client.out.readableBytesView), changes)
        }
    }

    static func dirty(_ redis: RedisOracle) throws -> Int {
        let info = try redis.command("INFO", "persistence").text ?? ""
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("rdb_changes_since_last_save:") }
        return Int(line?.split(separator: ":").last ?? "") ?? -1
    }

    /// Runs `commands` on both and expects equal counter moves; returns how many moved.
    static func compare(_ commands: [[[UInt8]]], engine: Engine, redis: RedisOracle, label: String) throws -> Int {
        var moved = 0
        for command in commands {
            let before = try dirty(redis)
            let reply = try redis.command(command)
            let expected = try dirty(redis) - before
            let actual = engine.run(command)
            let text = command.map { String(decoding: $0, as: UTF8.self).debugDescription }.joined(separator: " ")
            #expect(actual.changes == expected, "[\(label)] \(text): redis +\(expected) (\(reply)), sidecache +\(actual.changes)")
            if expected > 0 { moved += 1 }
        }
        return moved
    }

    func words(_ texts: String...) -> [[UInt8]] { texts.map { Array($0.utf8) } }

    @Test func listedCommands() throws {
        let commands: [[[UInt8]]] = [
            words("SETBIT", "k", "0", "1"), words("SETBIT", "k", "0", "1"), words("SETBIT", "k", "0", "0"),
            words("SETBIT", "k", "30", "0"), words("SETBIT", "k", "x", "0"), words("SETBIT", "k", "3", "2"),
            words("SET", "s", "foobar"), words("SETBIT", "s", "1", "1"), words("SETBIT", "s", "1", "0"),
            words("GETBIT", "k", "0"), words("BITCOUNT", "k"), words("BITPOS", "k", "1"), words("LCS", "k", "s"),
            words("BITFIELD", "b", "GET", "u8", "0"), words("BITFIELD_RO", "b", "GET", "u8", "0"),
            words("BITFIELD", "b", "SET", "u8", "0", "0"), words("BITFIELD", "b", "SET", "u8", "0", "0"),
            words("BITFIELD", "b", "SET", "u8", "0", "7", "SET", "u8", "0", "7", "INCRBY", "u8", "0", "1"),
            words("BITFIELD", "b", "SET", "u4", "0", "0", "SET", "u8", "100", "1", "SET", "u4", "0", "0"),
            words("BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"),
            words("BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u8", "300", "1000"),
            words("BITFIELD", "b", "SET", "u8", "0", "x"), words("BITFIELD_RO", "b", "SET", "u8", "0", "1"),
            words("BITOP", "AND", "d", "k", "s"), words("BITOP", "AND", "d", "k", "s"), words("BITOP", "OR", "d", "none"),
            words("BITOP", "OR", "d", "none"), words("BITOP", "NOT", "d", "k", "s"), words("BITOP", "FOO", "d", "k"),
            words("INCRBYFLOAT", "f", "1.5"), words("INCRBYFLOAT", "f", "0"), words("INCRBYFLOAT", "f", "x"),
            words("INCRBYFLOAT", "s", "1"), words("INCRBYFLOAT", "f", "inf"),
        ]
        try RedisOracle.with { redis in
            let moved = try Self.compare(commands, engine: Engine(), redis: redis, label: "listed")
            #expect(moved > 10)
        }
    }

    @Test func seededRandomCommands() throws {
        try RedisOracle.with { redis in
            var random = StringsTests.SeededGenerator(seed: 0xD1_27)
            func int(_ range: ClosedRange<Int>) -> String { String(Int.random(in: range, using: &random)) }
            let keys = ["a", "b"]
            var commands: [[[UInt8]]] = []
            for _ in 0..<300 {
                let key = keys.randomElement(using: &random)!
                let other = keys.randomElement(using: &random)!
                let type = (Bool.random(using: &random) ? "i" : "u") + int(1...9)
                switch Int.random(in: 0..<7, using: &random) {
                case 0: commands.append(words("SETBIT", key, int(0...60), int(0...1)))
                case 1:
                    commands.append(
                        words(
                            "BITFIELD", key, "OVERFLOW", ["WRAP", "SAT", "FAIL"].randomElement(using: &random)!,
                            "INCRBY", type, int(0...60), int(-20...20), "SET", type, int(0...60), int(-300...300)))
                case 2: commands.append(words("BITOP", ["AND", "OR", "XOR"].randomElement(using: &random)!, key, other, "none"))
                case 3: commands.append(words("BITOP", "NOT", key, other))
                case 4: commands.append(words("INCRBYFLOAT", key, int(-5...5) + "." + int(0...9)))
                case 5: commands.append(words("SET", key, int(0...99)))
                default: commands.append(words("DEL", key))
                }
            }
            let moved = try Self.compare(commands, engine: Engine(), redis: redis, label: "random")
            #expect(moved > 100)
        }
    }
}
