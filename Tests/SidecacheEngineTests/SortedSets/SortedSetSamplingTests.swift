import NIOCore
@testable import SidecacheEngine
import SidecacheRESP
import Testing

/// The replies that depend on randomness or on hash order, which the differential tests can
/// only compare by shape: ZSCAN of skip lists (a whole iteration returns every member once
/// per page it appears on, scores as `%.17g`) and ZRANDMEMBER's counting rules.
@Suite("Sorted set sampling")
struct SortedSetSamplingTests {
    static func harness(entries: Int) throws -> EngineHarness {
        let engine = EngineHarness()
        engine.keyspace.withState { $0.encodingLimits.zsetMaxListpackEntries = entries }
        var arguments = ["ZADD", "z"]
        for number in 0..<200 { arguments += [number % 7 == 0 ? "0.1" : String(number), "m\(number)"] }
        try engine.run(arguments)
        return engine
    }

    static func texts(_ value: RESPValue) -> [String] { (value.elements ?? []).compactMap(\.text) }

    @Test(arguments: [128, 1000])
    func aWholeScanReturnsEveryMemberWithItsScore(entries: Int) throws {
        let engine = try Self.harness(entries: entries)
        let encoding = engine.keyspace.withState { state in
            Array("z".utf8).withUnsafeBytes { state.database(0).lookup($0)?.value.encodingName.description }
        }
        #expect(encoding == (entries == 128 ? "skiplist" : "listpack"))
        var seen: [String: String] = [:]
        var cursor = "0"
        var calls = 0
        repeat {
            let page = try engine.run("ZSCAN", "z", cursor, "COUNT", "7")
            let parts = try #require(page.elements)
            cursor = try #require(parts[0].text)
            let pairs = Self.texts(parts[1])
            #expect(pairs.count % 2 == 0)
            for index in stride(from: 0, to: pairs.count, by: 2) { seen[pairs[index]] = pairs[index + 1] }
            calls += 1
        } while cursor != "0" && calls < 1000
        #expect(cursor == "0")
        let all = Self.texts(try engine.run("ZRANGE", "z", "0", "-1", "WITHSCORES"))
        var expected: [String: String] = [:]
        for index in stride(from: 0, to: all.count, by: 2) { expected[all[index]] = all[index + 1] }
        #expect(seen == expected)
        #expect(seen["m7"] == "0.10000000000000001")
        let matched = Self.texts(try #require(try engine.run("ZSCAN", "z", "0", "MATCH", "m1?", "COUNT", "1000").elements)[1])
        #expect(Set(stride(from: 0, to: matched.count, by: 2).map { matched[$0] }) == Set((10..<20).map { "m\($0)" }))
    }

    @Test(arguments: [128, 1000])
    func randomMembersFollowTheCountRules(entries: Int) throws {
        let engine = try Self.harness(entries: entries)
        let members = Set(Self.texts(try engine.run("ZRANGE", "z", "0", "-1")))
        for count in [1, 5, 66, 67, 150, 199] {
            let picked = Self.texts(try engine.run("ZRANDMEMBER", "z", String(count)))
            #expect(picked.count == count)
            #expect(Set(picked).count == count, "distinct members for count \(count)")
            #expect(Set(picked).isSubset(of: members))
        }
        let repeated = Self.texts(try engine.run("ZRANDMEMBER", "z", "-500"))
        #expect(repeated.count == 500)
        #expect(Set(repeated).isSubset(of: members))
        #expect(Set(repeated).count > 100)
        let withScores = Self.texts(try engine.run("ZRANDMEMBER", "z", "-3", "WITHSCORES"))
        #expect(withScores.count == 6)
        for index in stride(from: 0, to: 6, by: 2) {
            #expect(try engine.run("ZSCORE", "z", withScores[index]).text == withScores[index + 1])
        }
        #expect(members.contains(try #require(try engine.run("ZRANDMEMBER", "z").text)))
        for count in ["4611686018427387904", "-16777217", "-9223372036854775808"] {
            #expect(try engine.run("ZRANDMEMBER", "z", count) == .error("ERR value is out of range"))
        }
    }
}
