import NIOCore
import SidecacheRESP
import Testing

/// Every hash command with its options and error paths, sent to a real redis-server 7.0.15
/// and to Sidecache. Deterministic replies (listpack hashes answer in Redis's order) are
/// compared byte for byte in RESP2 and RESP3 with the INFO counters (`RawDifferential`);
/// replies in a hash table's order are compared sorted, and random ones by shape
/// (`DifferentialTests.compare`).
///
/// Both servers are given `hash-max-listpack-entries 128` first: redis-server's built-in
/// default is 512, Sidecache's (and redis.conf's) 128.
@Suite(.serialized, .enabled(if: RedisServerProcess.isAvailable, "needs /usr/bin/redis-server"))
struct HashCommandsDifferentialTests {
    typealias Case = DifferentialTests.Case

    static let long = String(repeating: "L", count: 65)

    @Test func writesAndReads() async throws {
        let cases: [RawCase] = [
            RawCase("FLUSHALL"),
            RawCase("CONFIG", "SET", "hash-max-listpack-entries", "128"),
            RawCase("HSET", "h", "a", "1", "b", "2", "c", "3", "a", "4"),
            RawCase("HSET", "h", "x"),
            RawCase("HSET", "h", "x", "1", "y"),
            RawCase("HSET", "h"),
            RawCase("HMSET", "h", "d", "4"),
            RawCase("HMSET", "h", "d", "4", "e"),
            RawCase("HSETNX", "h", "a", "9"),
            RawCase("HSETNX", "h", "z", "26"),
            RawCase("HSETNX", "h", "z"),
            RawCase("HGETALL", "h"),
            RawCase("HKEYS", "h"),
            RawCase("HVALS", "h"),
            RawCase("HGETALL", "missing"),
            RawCase("HKEYS", "missing"),
            RawCase("HVALS", "missing"),
            RawCase("HGET", "h", "a"),
            RawCase("HGET", "h", "nope"),
            RawCase("HGET", "missing", "a"),
            RawCase("HGET", "h"),
            RawCase("HMGET", "h", "a", "nope", "z", "a"),
            RawCase("HMGET", "missing", "a", "b"),
            RawCase("HMGET", "h"),
            RawCase("HLEN", "h"),
            RawCase("HLEN", "missing"),
            RawCase("HSTRLEN", "h", "z"),
            RawCase("HSTRLEN", "h", "nope"),
            RawCase("HSTRLEN", "missing", "a"),
            RawCase("HEXISTS", "h", "z"),
            RawCase("HEXISTS", "h", "nope"),
            RawCase("HEXISTS", "missing", "a"),
            RawCase("HDEL", "h", "b", "nope", "b"),
            RawCase("HDEL", "missing", "a"),
            RawCase("HDEL", "h"),
            RawCase("HGETALL", "h"),
            RawCase("HSET", "h", "b", "again"),
            RawCase("HGETALL", "h"),
            RawCase("HSET", "bin", "", "", "\r\n", "\0x\u{7f}"),
            RawCase("HGETALL", "bin"),
            RawCase("HDEL", "bin", "", "\r\n"),
            RawCase("EXISTS", "bin"),
            RawCase("HSET", "ints", "n", "-70000", "m", "9223372036854775807", "z", "007"),
            RawCase("HGETALL", "ints"),
            RawCase("HSTRLEN", "ints", "n"),
            RawCase("OBJECT", "ENCODING", "h"),
            RawCase("SET", "str", "v"),
            RawCase("HSET", "str", "f", "v"),
            RawCase("HSETNX", "str", "f", "v"),
            RawCase("HMSET", "str", "f", "v"),
            RawCase("HGET", "str", "f"),
            RawCase("HMGET", "str", "f"),
            RawCase("HGETALL", "str"),
            RawCase("HKEYS", "str"),
            RawCase("HVALS", "str"),
            RawCase("HLEN", "str"),
            RawCase("HSTRLEN", "str", "f"),
            RawCase("HEXISTS", "str", "f"),
            RawCase("HDEL", "str", "f"),
            RawCase("TYPE", "h"),
        ]
        try await RawDifferential.compare(cases, label: "hash writes and reads")
    }

    @Test func increments() async throws {
        let cases: [RawCase] = [
            RawCase("FLUSHALL"),
            RawCase("HINCRBY", "h", "n", "5"),
            RawCase("HINCRBY", "h", "n", "-12"),
            RawCase("HINCRBY", "h", "n", "9223372036854775807"),
            RawCase("HINCRBY", "h", "n", "-9223372036854775808"),
            RawCase("HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808"),
            RawCase("HINCRBY", "h", "max", "1"),
            RawCase("HINCRBY", "h", "min", "-1"),
            RawCase("HINCRBY", "h", "max", "0"),
            RawCase("HINCRBY", "h", "n", "x"),
            RawCase("HINCRBY", "h", "n", "1.5"),
            RawCase("HINCRBY", "h", "n", " 1"),
            RawCase("HINCRBY", "h", "n", "9223372036854775808"),
            RawCase("HSET", "h", "text", "abc", "float", "1.5", "padded", "007", "space", " 1"),
            RawCase("HINCRBY", "h", "text", "1"),
            RawCase("HINCRBY", "h", "float", "1"),
            RawCase("HINCRBY", "h", "padded", "1"),
            RawCase("HINCRBY", "h", "space", "1"),
            RawCase("HINCRBY", "fresh", "f", "3"),
            RawCase("HINCRBYFLOAT", "h", "float", "0.1"),
            RawCase("HINCRBYFLOAT", "h", "float", "-1.6"),
            RawCase("HINCRBYFLOAT", "h", "padded", "1"),
            RawCase("HINCRBYFLOAT", "h", "n", "1e3"),
            RawCase("HINCRBYFLOAT", "h", "n", "3.0000000000000004"),
            RawCase("HINCRBYFLOAT", "h", "n", "-5.0e-1"),
            RawCase("HINCRBYFLOAT", "huge", "f", "1.7976931348623157e308"),
            RawCase("HINCRBYFLOAT", "huge", "f", "1.7976931348623157e308"),
            RawCase("OBJECT", "ENCODING", "huge"),
            RawCase("HINCRBYFLOAT", "h", "text", "1"),
            RawCase("HINCRBYFLOAT", "h", "n", "inf"),
            RawCase("HINCRBYFLOAT", "h", "n", "-inf"),
            RawCase("HINCRBYFLOAT", "h", "n", "nan"),
            RawCase("HINCRBYFLOAT", "h", "n", "abc"),
            RawCase("HINCRBYFLOAT", "h", "n", ""),
            RawCase("HINCRBYFLOAT", "h", "n", " 1"),
            RawCase("HSET", "h", "infinite", "inf"),
            RawCase("HINCRBYFLOAT", "h", "infinite", "1"),
            RawCase("HINCRBYFLOAT", "h", "space", "1"),
            RawCase("HINCRBYFLOAT", "fresh2", "f", "0"),
            RawCase("HINCRBYFLOAT", "missing", "f", "inf"),
            RawCase("EXISTS", "missing"),
            RawCase("HGETALL", "h"),
            RawCase("HGETALL", "fresh2"),
            RawCase("SET", "str", "1"),
            RawCase("HINCRBY", "str", "f", "1"),
            RawCase("HINCRBYFLOAT", "str", "f", "1"),
            RawCase("HINCRBY", "str", "f", "x"),
            RawCase("HINCRBY", "h", "n"),
        ]
        try await RawDifferential.compare(cases, label: "hash increments")
    }

    @Test func randomFieldsAndScanOnListpacks() async throws {
        let cases: [RawCase] = [
            RawCase("FLUSHALL"),
            RawCase("HSET", "h", "a", "1", "b", "2", "c", "3"),
            RawCase("HRANDFIELD", "h", "3"),
            RawCase("HRANDFIELD", "h", "100"),
            RawCase("HRANDFIELD", "h", "3", "WITHVALUES"),
            RawCase("HRANDFIELD", "h", "4", "withvalues"),
            RawCase("HRANDFIELD", "h", "0"),
            RawCase("HRANDFIELD", "h", "0", "WITHVALUES"),
            RawCase("HRANDFIELD", "missing"),
            RawCase("HRANDFIELD", "missing", "5"),
            RawCase("HRANDFIELD", "missing", "-5", "WITHVALUES"),
            RawCase("HRANDFIELD", "h", "x"),
            RawCase("HRANDFIELD", "h", "1.5"),
            RawCase("HRANDFIELD", "h", "1", "WITHVALUE"),
            RawCase("HRANDFIELD", "h", "1", "WITHVALUES", "x"),
            RawCase("HRANDFIELD", "h", "-9223372036854775808"),
            RawCase("HRANDFIELD", "h", "9223372036854775807", "WITHVALUES"),
            RawCase("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"),
            RawCase("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"),
            RawCase("HRANDFIELD", "missing", "-4611686018427387904", "WITHVALUES"),
            RawCase("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"),
            RawCase("HSET", "one", "only", "v"),
            RawCase("HRANDFIELD", "one"),
            RawCase("HRANDFIELD", "one", "-3"),
            RawCase("HRANDFIELD", "one", "-2", "WITHVALUES"),
            RawCase("HRANDFIELD", "one", "1", "WITHVALUES"),
            RawCase("HSCAN", "h", "0"),
            RawCase("HSCAN", "h", "42"),
            RawCase("HSCAN", "h", "0", "MATCH", "[ab]"),
            RawCase("HSCAN", "h", "0", "match", "*", "count", "1"),
            RawCase("HSCAN", "h", "0", "COUNT", "0"),
            RawCase("HSCAN", "h", "0", "COUNT", "x"),
            RawCase("HSCAN", "h", "0", "COUNT"),
            RawCase("HSCAN", "h", "0", "TYPE", "hash"),
            RawCase("HSCAN", "h", "0", "FOO", "bar"),
            RawCase("HSCAN", "h", "x"),
            RawCase("HSCAN", "h", "-1"),
            RawCase("HSCAN", "missing", "0", "COUNT", "0"),
            RawCase("HSCAN", "missing", "x"),
            RawCase("SET", "str", "v"),
            RawCase("HRANDFIELD", "str"),
            RawCase("HRANDFIELD", "str", "1"),
            RawCase("HRANDFIELD", "str", "x"),
            RawCase("HSCAN", "str", "0", "COUNT", "0"),
            RawCase("HSCAN", "str", "x"),
        ]
        try await RawDifferential.compare(cases, label: "HRANDFIELD and HSCAN")
    }

    @Test func encodingsFollowConfig() async throws {
        let cases: [RawCase] = [
            RawCase("FLUSHALL"),
            RawCase("CONFIG", "SET", "hash-max-listpack-entries", "3"),
            RawCase("HSET", "h", "a", "1", "b", "2", "c", "3"),
            RawCase("OBJECT", "ENCODING", "h"),
            RawCase("HSET", "h", "c", "changed"),
            RawCase("OBJECT", "ENCODING", "h"),
            RawCase("HSET", "h", "d", "4"),
            RawCase("OBJECT", "ENCODING", "h"),
            RawCase("HDEL", "h", "d", "c"),
            RawCase("OBJECT", "ENCODING", "h"),
            RawCase("CONFIG", "SET", "hash-max-listpack-entries", "128"),
            RawCase("CONFIG", "SET", "hash-max-listpack-value", "4"),
            RawCase("HSET", "v", "a", "1234"),
            RawCase("OBJECT", "ENCODING", "v"),
            RawCase("HSET", "v", "a", "12345"),
            RawCase("OBJECT", "ENCODING", "v"),
            RawCase("HSET", "f", "abcde", "1"),
            RawCase("OBJECT", "ENCODING", "f"),
            RawCase("HINCRBY", "i", "f", "9999"),
            RawCase("OBJECT", "ENCODING", "i"),
            RawCase("HINCRBY", "i", "f", "1"),
            RawCase("OBJECT", "ENCODING", "i"),
            RawCase("HINCRBYFLOAT", "g", "f", "1.5"),
            RawCase("HINCRBYFLOAT", "g", "f", "0.25"),
            RawCase("OBJECT", "ENCODING", "g"),
            RawCase("HSETNX", "n", "f", "12345"),
            RawCase("OBJECT", "ENCODING", "n"),
            RawCase("CONFIG", "SET", "hash-max-listpack-entries", "0"),
            RawCase("CONFIG", "SET", "hash-max-listpack-value", "64"),
            RawCase("HSET", "z", "a", "1"),
            RawCase("OBJECT", "ENCODING", "z"),
            RawCase("HGETALL", "z"),
            RawCase("CONFIG", "SET", "hash-max-listpack-entries", "128"),
            RawCase("HSET", "big", "f", Self.long),
            RawCase("OBJECT", "ENCODING", "big"),
            RawCase("HGETALL", "big"),
            RawCase("HRANDFIELD", "big", "5", "WITHVALUES"),
            RawCase("HSCAN", "big", "0"),
            RawCase("HGET", "big", "f"),
            RawCase("HSTRLEN", "big", "f"),
        ]
        try await RawDifferential.compare(cases, label: "hash encodings")
    }

    /// A hash table: replies sorted (RESP3's map by its pairs), HRANDFIELD by its rules.
    static let sortedPairs: @Sendable (RESPValue) -> RESPValue = { value in
        func pairs(_ elements: [RESPValue]) -> [RESPValue] {
            var pairs: [(field: RESPValue, value: RESPValue)] = []
            for index in stride(from: 0, to: elements.count - 1, by: 2) { pairs.append((elements[index], elements[index + 1])) }
            pairs.sort { ($0.field.text ?? "") < ($1.field.text ?? "") }
            return pairs.flatMap { [$0.field, $0.value] }
        }
        switch value {
        case .map(let elements): return .map(pairs(elements))
        case .array(.some(let elements)): return .array(pairs(elements))
        default: return value
        }
    }

    static let sortedArray: @Sendable (RESPValue) -> RESPValue = { value in
        guard case .array(.some(let elements)) = value else { return value }
        return .array(elements.sorted { ($0.text ?? "") < ($1.text ?? "") })
    }

    static func distinctFields(_ count: Int, withValues: Bool = false, resp3: Bool = false) -> @Sendable (RESPValue) -> Bool {
        { value in
            guard let elements = value.elements else { return false }
            if withValues && resp3 {
                let fields = elements.compactMap { $0.elements?.first?.text }
                return elements.count == count && Set(fields).count == count && elements.allSatisfy { $0.elements?.count == 2 }
            }
            let fields = withValues ? stride(from: 0, to: elements.count, by: 2).map { elements[$0].text ?? "" } : elements.map { $0.text ?? "" }
            return elements.count == (withValues ? 2 * count : count) && Set(fields).count == count
        }
    }

    static func tableCases(resp3: Bool) -> [Case] {
        var build = ["HSET", "big"]
        for field in 0..<300 { build += ["f\(field)", "v\(field)"] }
        return [
            Case("FLUSHALL"),
            Case("CONFIG", "SET", "hash-max-listpack-entries", "128"),
            Case(arguments: build, comparison: .exact),
            Case("OBJECT", "ENCODING", "big"),
            Case("HLEN", "big"),
            Case("HGETALL", "big", comparison: .normalized(sortedPairs)),
            Case("HKEYS", "big", comparison: .normalized(sortedArray)),
            Case("HVALS", "big", comparison: .normalized(sortedArray)),
            Case("HGET", "big", "f150"),
            Case("HMGET", "big", "f1", "nope", "f299"),
            Case("HSCAN", "big", "0", "COUNT", "1000", comparison: .normalized({ value in
                guard case .array(.some(let pair)) = value, pair.count == 2 else { return value }
                return .array([pair[0], sortedPairs(pair[1])])
            })),
            Case("HSCAN", "big", "0", "MATCH", "f1?", "COUNT", "1000", comparison: .normalized({ value in
                guard case .array(.some(let pair)) = value, pair.count == 2 else { return value }
                return .array([pair[0], sortedPairs(pair[1])])
            })),
            Case("HRANDFIELD", "big", "10", comparison: .shape(distinctFields(10))),
            Case("HRANDFIELD", "big", "250", comparison: .shape(distinctFields(250))),
            Case("HRANDFIELD", "big", "299", "WITHVALUES", comparison: .shape(distinctFields(299, withValues: true, resp3: resp3))),
            Case("HRANDFIELD", "big", "400", comparison: .normalized(sortedArray)),
            Case("HRANDFIELD", "big", "-5", comparison: .shape({ $0.elements?.count == 5 })),
            Case("HRANDFIELD", "big", comparison: .shape({ $0.text?.hasPrefix("f") == true })),
            Case("HDEL", "big", "f1", "f2", "nope"),
            Case("HLEN", "big"),
            Case("HINCRBY", "big", "f3", "1"),
            Case("HINCRBYFLOAT", "big", "counter", "2.5"),
            Case("HSTRLEN", "big", "counter"),
        ]
    }

    @Test func hashTablesRESP2() async throws {
        try await DifferentialTests.compare(Self.tableCases(resp3: false), label: "hash tables RESP2")
    }

    @Test func hashTablesRESP3() async throws {
        let hello = Case("HELLO", "3", comparison: .normalized(DifferentialTests.helloWithoutID))
        try await DifferentialTests.compare([hello] + Self.tableCases(resp3: true), label: "hash tables RESP3")
    }
}
