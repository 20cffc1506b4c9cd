import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

extension StringsTests {
    /// Seeded random inputs run through the string algorithms and through a real redis-server
    /// 7.0: replies, stored values and change counts must be identical.
    @Suite("Strings against redis-server", .enabled(if: RedisOracle.isAvailable, "needs /usr/bin/redis-server"))
    struct StringsDifferentialTests {
        typealias Random = SeededGenerator

        // MARK: Helpers

        static func randomBytes(_ generator: inout Random, maxLength: Int, alphabet: [UInt8]? = nil) -> [UInt8] {
            let length = Int.random(in: 0...maxLength, using: &generator)
            return (0..<length).map { _ in
                if let alphabet { return alphabet.randomElement(using: &generator)! }
                // Runs of 0x00 and 0xFF make BITPOS's word skipping and edge cases likely.
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: return 0x00
                case 1: return 0xFF
                default: return UInt8.random(in: 0...255, using: &generator)
                }
            }
        }

        /// A value that is missing a tenth of the time.
        static func randomValue(_ generator: inout Random, maxLength: Int) -> [UInt8]? {
            Int.random(in: 0..<10, using: &generator) == 0 ? nil : randomBytes(&generator, maxLength: maxLength)
        }

        static func reply(_ result: () throws(StringCommandError) -> RESPValue) -> RESPValue {
            do {
                return try result()
            } catch {
                return .error(error.message)
            }
        }

        /// Redis's dirty counter: what a change adds to.
        static func dirty(_ redis: RedisOracle) throws -> Int {
            let info = try redis.command("INFO", "persistence").text ?? ""
            let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("rdb_changes_since_last_save:") }
            return Int(line?.split(separator: ":").last ?? "") ?? -1
        }

        static func text(_ arguments: [[UInt8]]) -> String {
            arguments.map { String(decoding: $0, as: UTF8.self).debugDescription }.joined(separator: " ")
        }

        // MARK: GETBIT / SETBIT

        @Test func setBitAndGetBit() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0x5E7B17)
                for _ in 0..<150 {
                    let initial = Self.randomValue(&generator, maxLength: 6)
                    let offset = UInt64.random(in: 0...70, using: &generator)
                    let bit = Bool.random(using: &generator)
                    try redis.set("k", initial)
                    let before = try Self.dirty(redis)
                    let reply = try redis.command("SETBIT", "k", "\(offset)", bit ? "1" : "0")
                    let after = try Self.dirty(redis)
                    var value = initial ?? []
                    let result = BitOperations.setBit(&value, offset: offset, to: bit)
                    let context = "SETBIT \(initial.map { "\($0)" } ?? "missing") \(offset) \(bit)"
                    #expect(reply == .integer(result.previous ? 1 : 0), "\(context)")
                    #expect(try redis.value("k") == value, "\(context)")
                    #expect((after - before == 1) == result.modified, "\(context)")
                    let probe = UInt64.random(in: 0...80, using: &generator)
                    let getBit = try redis.command("GETBIT", "k", "\(probe)")
                    #expect(getBit == .integer(BitOperations.getBit(value, offset: probe) ? 1 : 0), "\(context) GETBIT \(probe)")
                }
            }
        }

        // MARK: BITCOUNT

        @Test func bitCount() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0xB17C0)
                for _ in 0..<300 {
                    let value = Self.randomBytes(&generator, maxLength: 12)
                    try redis.set("k", value)
                    let unit = [nil, "BYTE", "bit", "BIT"].randomElement(using: &generator)!
                    let span = Int64(unit?.lowercased() == "bit" ? 110 : 16)
                    let start = Int64.random(in: -span...span, using: &generator)
                    let end = Int64.random(in: -span...span, using: &generator)
                    var arguments = ["BITCOUNT", "k"]
                    let expected: Int64
                    if Int.random(in: 0..<8, using: &generator) == 0 {
                        expected = value.withUnsafeBytes { BitOperations.bitCount($0) }
                    } else {
                        arguments += ["\(start)", "\(end)"] + (unit.map { [$0] } ?? [])
                        let parsed = try BitOperations.parseBitCountRange(arguments.dropFirst(2).map(bytes))!
                        expected = BitOperations.bitCount(value, start: parsed.start, end: parsed.end, unit: parsed.unit)
                    }
                    let reply = try redis.command(arguments.map(bytes))
                    #expect(reply == .integer(expected), "\(value) \(arguments)")
                }
            }
        }

        // MARK: BITPOS

        @Test func bitPosition() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0xB1790)
                for _ in 0..<400 {
                    let value = Self.randomValue(&generator, maxLength: 12)
                    try redis.set("k", value)
                    let bit = Bool.random(using: &generator)
                    let unit = ["BYTE", "bit"].randomElement(using: &generator)!
                    let span = Int64(unit == "bit" ? 110 : 16)
                    let form = Int.random(in: 0..<4, using: &generator)
                    var arguments = ["BITPOS", "k", bit ? "1" : "0"]
                    if form >= 1 { arguments.append("\(Int64.random(in: -span...span, using: &generator))") }
                    if form >= 2 { arguments.append("\(Int64.random(in: -span...span, using: &generator))") }
                    if form == 3 { arguments.append(unit) }
                    let range = try BitOperations.parseBitPositionRange(arguments.dropFirst(3).map(bytes))
                    let expected = BitOperations.bitPosition(of: bit, in: value, start: range.start, end: range.end, unit: range.unit)
                    let reply = try redis.command(arguments.map(bytes))
                    #expect(reply == .integer(expected), "\(value.map { "\($0)" } ?? "missing") \(arguments)")
                }
            }
        }

        // MARK: Argument errors of BITCOUNT, BITPOS, SETBIT, GETBIT, BITOP

        @Test func argumentErrorsAndTheirOrder() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0xA465)
                let pool = ["0", "1", "2", "-1", "-5", "x", "bit", "BYTE", "foo", "", "99999999999999999999", "4294967296", "1.5"]
                let value = bytes("foobar")
                try redis.set("k", value)
                for _ in 0..<300 {
                    let count = Int.random(in: 0...4, using: &generator)
                    let words = (0..<count).map { _ in pool.randomElement(using: &generator)! }
                    let command = ["BITCOUNT", "BITPOS", "SETBIT", "GETBIT", "BITOP"].randomElement(using: &generator)!
                    let expected: RESPValue
                    switch command {
                    case "BITCOUNT":
                        expected = Self.reply { () throws(StringCommandError) in
                            guard let range = try BitOperations.parseBitCountRange(words.map(bytes)) else {
                                return .integer(BitOperations.bitCount(value, start: 0, end: -1))
                            }
                            return .integer(BitOperations.bitCount(value, start: range.start, end: range.end, unit: range.unit))
                        }
                    case "BITPOS":
                        guard !words.isEmpty else { continue }  // Arity error: the command table's job.
                        expected = Self.reply { () throws(StringCommandError) in
                            let bit = try BitOperations.parseBitPositionBit(bytes(words[0]))
                            let range = try BitOperations.parseBitPositionRange(words.dropFirst().map(bytes))
                            return .integer(
                                BitOperations.bitPosition(of: bit, in: value, start: range.start, end: range.end, unit: range.unit))
                        }
                    case "SETBIT":
                        guard words.count == 2 else { continue }
                        try redis.set("k", value)
                        expected = Self.reply { () throws(StringCommandError) in
                            let offset = try BitOperations.parseBitOffset(bytes(words[0]))
                            let bit = try BitOperations.parseSetBitValue(bytes(words[1]))
                            var copy = value
                            return .integer(BitOperations.setBit(&copy, offset: offset, to: bit).previous ? 1 : 0)
                        }
                    case "GETBIT":
                        guard words.count == 1 else { continue }
                        expected = Self.reply { () throws(StringCommandError) in
                            .integer(BitOperations.getBit(value, offset: try BitOperations.parseBitOffset(bytes(words[0]))) ? 1 : 0)
                        }
                    default:
                        let operators = ["and", "OR", "xor", "NOT", "nand", "not"]
                        let name = operators.randomElement(using: &generator)!
                        let sources = Int.random(in: 1...3, using: &generator)
                        let arguments = ["BITOP", name, "dest"] + Array(repeating: "k", count: sources)
                        let expectedOp = Self.reply { () throws(StringCommandError) in
                            let operation = try BitOperations.parseOperator(bytes(name), sourceCount: sources)
                            return .integer(Int64(BitOperations.bitOp(operation, Array(repeating: value, count: sources)).count))
                        }
                        #expect(try redis.command(arguments.map(bytes)) == expectedOp, "\(arguments)")
                        continue
                    }
                    let arguments = [command, "k"] + words
                    #expect(try redis.command(arguments.map(bytes)) == expected, "\(arguments)")
                }
            }
        }

        // MARK: BITOP

        @Test func bitOp() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0xB170)
                for _ in 0..<150 {
                    let operation = [BitOperations.Operator.and, .or, .xor, .not].randomElement(using: &generator)!
                    let count = operation == .not ? 1 : Int.random(in: 1...4, using: &generator)
                    var sources: [[UInt8]] = []
                    var keys: [String] = []
                    for index in 0..<count {
                        let value = Self.randomValue(&generator, maxLength: 40)
                        try redis.set("s\(index)", value)
                        sources.append(value ?? [])
                        keys.append("s\(index)")
                    }
                    try redis.set("dest", bytes("old"))
                    let name = "\(operation)".uppercased()
                    let reply = try redis.command((["BITOP", name, "dest"] + keys).map(bytes))
                    let expected = BitOperations.bitOp(operation, sources)
                    #expect(reply == .integer(Int64(expected.count)), "\(name) \(sources)")
                    #expect(try redis.value("dest") == (expected.isEmpty ? nil : expected), "\(name) \(sources)")
                }
            }
        }

        // MARK: BITFIELD

        static func randomBitFieldArguments(_ generator: inout Random) -> [String] {
            var arguments: [String] = []
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    arguments += ["OVERFLOW", ["WRAP", "sat", "FAIL"].randomElement(using: &generator)!]
                }
                let signed = Bool.random(using: &generator)
                let bits = Int.random(in: 1...(signed ? 64 : 63), using: &generator)
                let type = (signed ? "i" : "u") + "\(bits)"
                let offset =
                    Bool.random(using: &generator)
                    ? "\(Int.random(in: 0...90, using: &generator))" : "#\(Int.random(in: 0...4, using: &generator))"
                let limit = Int64(1) << (bits - 1)  // Edges: 2*limit-1 is i(bits) overflow, u(bits) maximum.
                let number: Int64 =
                    switch Int.random(in: 0..<6, using: &generator) {
                    case 0: [Int64.min, .max, -1, 0, 1].randomElement(using: &generator)!
                    case 1: bits >= 63 ? Int64.random(in: .min ... .max, using: &generator) : limit * 2 - 1
                    case 2: bits >= 63 ? Int64.max - Int64.random(in: 0...3, using: &generator) : -limit - 1
                    default: Int64.random(in: -300...300, using: &generator)
                    }
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: arguments += ["GET", type, offset]
                case 1: arguments += ["SET", type, offset, "\(number)"]
                default: arguments += ["incrby", type, offset, "\(number)"]
                }
            }
            // Now and then a broken argument, to compare error texts.
            if Int.random(in: 0..<10, using: &generator) == 0 {
                let index = Int.random(in: 0..<arguments.count, using: &generator)
                arguments[index] = ["u64", "i0", "#", "-1", "x", "overflow", "4294967296"].randomElement(using: &generator)!
            }
            return arguments
        }

        @Test func bitField() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0xB1F1E1D)
                for _ in 0..<300 {
                    let initial = Self.randomValue(&generator, maxLength: 10)
                    let readOnly = Int.random(in: 0..<8, using: &generator) == 0
                    let words = Self.randomBitFieldArguments(&generator)
                    try redis.set("k", initial)
                    let before = try Self.dirty(redis)
                    let reply = try redis.command([readOnly ? "BITFIELD_RO" : "BITFIELD", "k"].map(bytes) + words.map(bytes))
                    let after = try Self.dirty(redis)
                    var value = initial ?? []
                    var changes = 0
                    let expected = Self.reply { () throws(StringCommandError) in
                        let operations = try BitField.parse(words.map(bytes), readOnly: readOnly)
                        if !BitField.writes(operations) {
                            let results =
                                initial.map { v in v.withUnsafeBytes { BitField.read(operations, from: $0) } }
                                ?? BitField.read(operations, from: nil)
                            return .array(results.map { .integer($0) })
                        }
                        let outcome = BitField.execute(operations, on: &value)
                        changes = outcome.changes
                        return .array(outcome.results.map { $0.map { .integer($0) } ?? .bulkString(nil) })
                    }
                    let context = "\(initial.map { "\($0)" } ?? "missing") \(readOnly ? "RO" : "") \(words)"
                    #expect(reply == expected, "\(context)")
                    if !reply.isError {
                        // Writes create and grow the key even when nothing changed.
                        let stored: [UInt8]? = value.isEmpty && initial == nil ? nil : value
                        #expect(try redis.value("k") == stored, "\(context)")
                        #expect(after - before == changes, "\(context)")
                    }
                }
            }
        }

        // MARK: LCS

        @Test func longestCommonSubsequence() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0x1C5)
                let alphabet = Array("abcd".utf8)
                for _ in 0..<200 {
                    let a = Self.randomBytes(&generator, maxLength: 25, alphabet: alphabet)
                    let b = Self.randomBytes(&generator, maxLength: 25, alphabet: alphabet)
                    try redis.set("a", a)
                    try redis.set("b", b)
                    let options: [String] =
                        switch Int.random(in: 0..<6, using: &generator) {
                        case 0: []
                        case 1: ["LEN"]
                        case 2: ["IDX"]
                        case 3: ["IDX", "MINMATCHLEN", "\(Int.random(in: -1...4, using: &generator))"]
                        case 4: ["IDX", "WITHMATCHLEN"]
                        default: ["withmatchlen", "minmatchlen", "2", "idx"]
                        }
                    let reply = try redis.command((["LCS", "a", "b"] + options).map(bytes))
                    let expected = Self.reply { () throws(StringCommandError) in
                        let parsed = try LongestCommonSubsequence.parseOptions(options.map(bytes))
                        switch try LongestCommonSubsequence.compute(a, b, options: parsed) {
                        case .string(let text):
                            return .bulk(bytes: text)
                        case .length(let length):
                            return .integer(Int64(length))
                        case .indexes(let matches, let length):
                            let ranges: [RESPValue] = matches.map { match in
                                var items: [RESPValue] = [
                                    .array([.integer(Int64(match.first.lowerBound)), .integer(Int64(match.first.upperBound))]),
                                    .array([.integer(Int64(match.second.lowerBound)), .integer(Int64(match.second.upperBound))]),
                                ]
                                if parsed.withMatchLength { items.append(.integer(Int64(match.length))) }
                                return .array(items)
                            }
                            return .array([.bulk("matches"), .array(ranges), .bulk("len"), .integer(Int64(length))])
                        }
                    }
                    #expect(reply == expected, "LCS \(String(decoding: a, as: UTF8.self)) \(String(decoding: b, as: UTF8.self)) \(options)")
                }
            }
        }

        @Test func longestCommonSubsequenceTableLimit() throws {
            try RedisOracle.with { redis in
                _ = try redis.command("CONFIG", "SET", "proto-max-bulk-len", "1mb")
                var generator = Random(seed: 0x11)
                for _ in 0..<8 {
                    let a = [UInt8](repeating: 0x61, count: Int.random(in: 300...700, using: &generator))
                    let b = [UInt8](repeating: 0x61, count: Int.random(in: 300...700, using: &generator))
                    try redis.set("a", a)
                    try redis.set("b", b)
                    let expected = Self.reply { () throws(StringCommandError) in
                        guard
                            case .length(let n) = try LongestCommonSubsequence.compute(
                                a, b, options: .init(mode: .length), maxBulkLength: 1024 * 1024
                            )
                        else { return .null }
                        return .integer(Int64(n))
                    }
                    #expect(try redis.command("LCS", "a", "b", "LEN") == expected, "\(a.count) x \(b.count)")
                }
            }
        }

        // MARK: INCRBYFLOAT

        static func randomNumber(_ generator: inout Random) -> String {
            func digits(_ count: Int) -> String {
                String((0..<count).map { _ in Character(Unicode.Scalar(UInt8.random(in: 48...57, using: &generator))) })
            }
            let sign = ["", "-", "+"].randomElement(using: &generator)!
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: return sign + digits(Int.random(in: 1...22, using: &generator))
            case 1: return sign + digits(Int.random(in: 0...3, using: &generator)) + "e" + "\(Int.random(in: -40...40, using: &generator))"
            case 2: return sign + "1e" + "\(Int.random(in: -4960...4940, using: &generator))"
            case 3: return sign + "0x" + String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 16)
            case 4: return ["inf", "-inf", "nan", "", " 1", "1 ", "abc", "1e", ".", "0", "-0", "5."].randomElement(using: &generator)!
            default:
                return sign + digits(Int.random(in: 0...6, using: &generator)) + "." + digits(Int.random(in: 0...20, using: &generator))
            }
        }

        @Test func incrementByFloat() throws {
            try RedisOracle.with { redis in
                var generator = Random(seed: 0xF10A7)
                for _ in 0..<300 {
                    let current = Int.random(in: 0..<8, using: &generator) == 0 ? nil : Self.randomNumber(&generator)
                    let increment = Self.randomNumber(&generator)
                    try redis.set("f", current.map(bytes))
                    let reply = try redis.command("INCRBYFLOAT", "f", increment)
                    let expected = Self.reply { () throws(StringCommandError) in
                        .bulk(bytes: try RedisLongDouble.incrementByFloat(current.map(bytes), by: bytes(increment)))
                    }
                    #expect(reply == expected, "\(current.debugDescription) + \(increment.debugDescription)")
                    if case .bulkString(let stored) = expected {
                        #expect(try redis.value("f") == stored.map { Array($0.readableBytesView) })
                    }
                }
            }
        }
    }
}
