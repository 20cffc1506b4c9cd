import NIOCore
import Testing

@testable import SidecacheRESP

/// Random values of every type, nested up to depth 4, from a seeded generator.
struct RESPValueGenerator {
    var rng: SeededGenerator
    let maxDepth = 4

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    private mutating func buffer(maxLength: Int, excluding excluded: Set<UInt8> = []) -> ByteBuffer {
        var bytes: [UInt8] = []
        for _ in 0..<int(0...maxLength) {
            // Mostly printable, with CR, LF and other control and high bytes mixed in.
            var byte: UInt8 = switch int(0...9) {
            case 0: [0x0D, 0x0A, 0x00, 0xFF, 0x2A, 0x24][int(0...5)]
            case 1: UInt8.random(in: 0...255, using: &rng)
            default: UInt8.random(in: 0x20...0x7E, using: &rng)
            }
            while excluded.contains(byte) { byte = UInt8.random(in: 0x20...0x7E, using: &rng) }
            bytes.append(byte)
        }
        return ByteBuffer(bytes: bytes)
    }

    private mutating func integer() -> Int64 {
        switch int(0...5) {
        case 0: [0, 1, -1, .max, .min, .max - 1, .min + 1][int(0...6)]
        case 1: Int64(int(-1000...1000))
        default: Int64(bitPattern: rng.next()) >> Int64(int(0...63))
        }
    }

    private mutating func double() -> Double {
        switch int(0...4) {
        case 0:
            return [0, -0.0, 1.1, -2.5, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 1e16, 0.1][int(0...9)]
        case 1:
            return Double(int(-100_000...100_000)) / 8
        default:
            var value = Double(bitPattern: rng.next())
            while value.isNaN { value = Double(bitPattern: rng.next()) }
            return value
        }
    }

    private mutating func digits() -> ByteBuffer {
        var text = int(0...3) == 0 ? "-" : ""
        text += String(int(1...9))
        for _ in 0..<int(0...45) { text += String(int(0...9)) }
        return ByteBuffer(string: text)
    }

    private mutating func elements(_ count: Int, depth: Int) -> [RESPValue] {
        (0..<count).map { _ in value(depth: depth + 1) }
    }

    mutating func value(depth: Int = 0) -> RESPValue {
        // Aggregates get rarer with depth and stop at the maximum depth.
        let aggregateChance = depth >= maxDepth ? 0 : 45 - depth * 10
        if int(0...99) < aggregateChance {
            switch int(0...5) {
            case 0: return int(0...9) == 0 ? .array(nil) : .array(elements(int(0...5), depth: depth))
            case 1: return .map(elements(2 * int(0...3), depth: depth))
            case 2: return .set(elements(int(0...5), depth: depth))
            case 3: return .push(elements(int(1...5), depth: depth))
            case 4: return .attribute(elements(2 * int(0...2), depth: depth), value(depth: depth + 1))
            default: return .array(elements(int(0...5), depth: depth))
            }
        }
        switch int(0...11) {
        // Simple strings and errors cannot carry CR or LF (see the dedicated test).
        case 0: return .simpleString(buffer(maxLength: 20, excluding: [0x0D, 0x0A]))
        case 1: return .simpleError(buffer(maxLength: 20, excluding: [0x0D, 0x0A]))
        case 2: return .integer(integer())
        case 3: return .bulkString(int(0...7) == 0 ? nil : buffer(maxLength: 40))
        case 4: return .null
        case 5: return .double(double())
        case 6: return .boolean(int(0...1) == 0)
        case 7: return .bigNumber(digits())
        case 8: return .blobError(buffer(maxLength: 30))
        case 9:
            let format = ByteBuffer(bytes: (0..<3).map { _ in UInt8.random(in: UInt8(ascii: "a")...UInt8(ascii: "z"), using: &rng) })
            return .verbatimString(format: format, text: buffer(maxLength: 30))
        case 10: return .integer(Int64(int(0...9)))
        default: return .bulkString(buffer(maxLength: 10))
        }
    }
}

@Suite("Randomized reply round trips")
struct ReplyRoundTripFuzzTests {
    static let valueCount = 3000

    private static func expected(_ value: RESPValue, _ version: RESPProtocolVersion) -> RESPValue {
        version == .resp3 ? normalizedForRESP3(value) : value.downgradedToRESP2
    }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func encodeThenParse(version: RESPProtocolVersion) throws {
        let seed = testSeed(default: 0xC0FF_EE00 + UInt64(version.rawValue))
        var generator = RESPValueGenerator(seed: seed)
        var stream = ByteBuffer()
        var expectedValues: [RESPValue] = []
        var kinds = Set<String>()
        for index in 0..<Self.valueCount {
            let value = generator.value()
            kinds.insert(Self.kind(value))
            let wire = encoded(value, version)
            let parsed = try parseOne(wire)
            let expected = Self.expected(value, version)
            #expect(parsed == expected, "seed \(seed), value #\(index): \(value) encoded as \(String(decoding: wire.readableBytesView, as: UTF8.self).debugDescription)")
            if parsed != expected { return }
            stream.writeImmutableBuffer(wire)
            expectedValues.append(expected)
        }
        // Every case of RESPValue was generated.
        #expect(kinds.count == 15, "seed \(seed): only \(kinds.sorted())")
        // All values back to back in one buffer, as a pipelined connection delivers them.
        let parser = RESPReplyParser()
        var parsedValues: [RESPValue] = []
        while let value = try parser.next(from: &stream) { parsedValues.append(value) }
        #expect(parsedValues == expectedValues, "seed \(seed)")
        #expect(stream.readableBytes == 0)
    }

    /// A sample of values, each cut at every byte boundary: every proper prefix yields nil and
    /// consumes nothing; appending the rest yields the value.
    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func everyPrefixWaits(version: RESPProtocolVersion) throws {
        let seed = testSeed(default: 0x5B1_7000 + UInt64(version.rawValue))
        var generator = RESPValueGenerator(seed: seed)
        let parser = RESPReplyParser()
        var checked = 0
        var index = 0
        while checked < 150 {
            let value = generator.value()
            index += 1
            let wire = encoded(value, version).bytesArray
            guard wire.count <= 600 else { continue }
            checked += 1
            let expected = Self.expected(value, version)
            for cut in 0..<wire.count {
                var buffer = ByteBuffer(bytes: wire[..<cut])
                let early = try parser.next(from: &buffer)
                #expect(early == nil, "seed \(seed), value #\(index) cut at \(cut): parsed early")
                #expect(buffer.readableBytes == cut, "seed \(seed), value #\(index) cut at \(cut): consumed")
                buffer.writeBytes(wire[cut...])
                let whole = try parser.next(from: &buffer)
                #expect(whole == expected, "seed \(seed), value #\(index) cut at \(cut)")
                #expect(buffer.readableBytes == 0)
                if early != nil || whole != expected { return }
            }
        }
    }

    private static func kind(_ value: RESPValue) -> String {
        switch value {
        case .simpleString: "simpleString"
        case .simpleError: "simpleError"
        case .integer: "integer"
        case .bulkString: "bulkString"
        case .array: "array"
        case .null: "null"
        case .double: "double"
        case .boolean: "boolean"
        case .bigNumber: "bigNumber"
        case .blobError: "blobError"
        case .verbatimString: "verbatimString"
        case .map: "map"
        case .set: "set"
        case .attribute: "attribute"
        case .push: "push"
        }
    }
}
