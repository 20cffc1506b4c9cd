import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

/// Sets in the engine: the three encodings and their conversions (intset with its width
/// upgrades, Redis 7.2's listpack, the table), SPOP and SRANDMEMBER's rules, the algebra
/// commands and their STORE forms, SMOVE, SSCAN, COPY, DUMP/RESTORE and notifications.
@Suite struct SetEngineTests {
    @Test func intsetIsAscendingAndUpgradesItsWidth() {
        let engine = CollectionsEngine()
        engine.run("SADD", "s", "5", "-3", "100")
        #expect(engine.encoding("s") == "intset")
        engine.run("SADD", "s", "70000")
        engine.run("SADD", "s", "-9223372036854775808", "9223372036854775807", "0")
        engine.run("SADD", "s", "-40000")
        #expect(
            engine.texts("SMEMBERS", "s")
                == ["-9223372036854775808", "-40000", "-3", "0", "5", "100", "70000", "9223372036854775807"]
        )
        #expect(engine.run("SREM", "s", "9223372036854775807", "-9223372036854775808", "x", "99999999999") == .integer(2))
        #expect(engine.texts("SMEMBERS", "s") == ["-40000", "-3", "0", "5", "100", "70000"])
        #expect(engine.run("SISMEMBER", "s", "70000") == .integer(1))
        #expect(engine.run("SISMEMBER", "s", "070000") == .integer(0))
        #expect(engine.encoding("s") == "intset")
    }

    @Test func nonCanonicalIntegersAreStrings() {
        let engine = CollectionsEngine()
        engine.run("SADD", "s", "007", "+1", "-0", " 1", "1 ", "1.0")
        #expect(engine.encoding("s") == "listpack")
        #expect(engine.run("SADD", "s", "7", "1", "0") == .integer(3))
        #expect(engine.run("SCARD", "s") == .integer(9))
        #expect(engine.run("SISMEMBER", "s", "007") == .integer(1) && engine.run("SISMEMBER", "s", "8") == .integer(0))
    }

    @Test func intsetBecomesAListpackThenATable() {
        var limits = EncodingLimits()
        limits.setMaxListpackEntries = 6
        limits.setMaxListpackValue = 8
        let engine = CollectionsEngine(limits: limits)
        engine.run("SADD", "s", "3", "1", "2")
        engine.run("SADD", "s", "x")
        #expect(engine.encoding("s") == "listpack")
        // The intset's members first (ascending), then the new ones in insertion order.
        #expect(engine.texts("SMEMBERS", "s") == ["1", "2", "3", "x"])
        engine.run("SADD", "s", "b", "a")
        #expect(engine.texts("SMEMBERS", "s") == ["1", "2", "3", "x", "b", "a"])
        engine.run("SREM", "s", "2")
        #expect(engine.texts("SMEMBERS", "s") == ["1", "3", "x", "b", "a"])
        engine.run("SADD", "s", "c", "d")
        #expect(engine.encoding("s") == "hashtable")
        #expect(engine.sortedTexts("SMEMBERS", "s") == ["1", "3", "a", "b", "c", "d", "x"])
        // A member longer than set-max-listpack-value goes straight to a table.
        engine.run("SADD", "long", "1")
        engine.run("SADD", "long", "123456789")
        #expect(engine.encoding("long") == "intset")
        engine.run("SADD", "long", "abcdefghi")
        #expect(engine.encoding("long") == "hashtable")
        engine.run("SADD", "lp", "a")
        engine.run("SADD", "lp", "123456789")
        #expect(engine.encoding("lp") == "hashtable")
        // An intset whose widest member is too long for a listpack becomes a table.
        engine.run("SADD", "wide", "-1234567890")
        engine.run("SADD", "wide", "x")
        #expect(engine.encoding("wide") == "hashtable")
    }

    @Test func intsetPastItsLimitBecomesATable() {
        var limits = EncodingLimits()
        limits.setMaxIntsetEntries = 5
        let engine = CollectionsEngine(limits: limits)
        engine.run("SADD", "s", "1", "2", "3", "4", "5")
        #expect(engine.encoding("s") == "intset")
        engine.run("SADD", "s", "6")
        #expect(engine.encoding("s") == "hashtable")
        #expect(engine.sortedTexts("SMEMBERS", "s") == ["1", "2", "3", "4", "5", "6"])
        // A new key picks its encoding from the number of members it receives (Redis 7.2).
        engine.run("SADD", "many", "1", "2", "3", "4", "5", "6", "7")
        #expect(engine.encoding("many") == "listpack")
        engine.limits.setMaxListpackEntries = 3
        engine.run("SADD", "more", "1", "2", "3", "4", "5", "6", "7")
        #expect(engine.encoding("more") == "hashtable")
        engine.limits.setMaxListpackEntries = 0
        engine.run("SADD", "text", "a")
        #expect(engine.encoding("text") == "hashtable")
    }

    @Test func tableGrowsAndShrinks() {
        let engine = CollectionsEngine()
        for batch in 0..<10 { engine.run(["SADD", "s"] + (0..<300).map { "m\(batch * 300 + $0)" }) }
        #expect(engine.run("SCARD", "s") == .integer(3000))
        #expect(engine.encoding("s") == "hashtable")
        for member in 0..<2995 { engine.run("SREM", "s", "m\(member)") }
        #expect(engine.sortedTexts("SMEMBERS", "s") == (2995..<3000).map { "m\($0)" })
        #expect(engine.run("SISMEMBER", "s", "m2996") == .integer(1) && engine.run("SISMEMBER", "s", "m1") == .integer(0))
    }

    @Test func popAndRandomMembersFollowRedisRules() {
        for members in [(0..<10).map(String.init), (0..<40).map { "m\($0)" }, (0..<300).map { "m\($0)" }] {
            let engine = CollectionsEngine()
            engine.run(["SADD", "s"] + members)
            let all = Set(members)
            for count in [1, 2, 5, members.count / 3, members.count / 2, members.count - 1] {
                let drawn = engine.texts("SRANDMEMBER", "s", "\(count)")
                #expect(drawn.count == count && Set(drawn).count == count && Set(drawn).isSubset(of: all))
            }
            #expect(engine.texts("SRANDMEMBER", "s", "\(members.count + 5)") == engine.texts("SMEMBERS", "s"))
            let repeated = engine.texts("SRANDMEMBER", "s", "-50")
            #expect(repeated.count == 50 && Set(repeated).isSubset(of: all))
            #expect(engine.run("SRANDMEMBER", "s", "0") == .array([]))
            #expect(all.contains(engine.run("SRANDMEMBER", "s").text ?? ""))

            // SPOP with a count: few (CASE 2) and nearly all (CASE 3); then the rest.
            var left = all
            for count in [2, members.count - 4] {
                let popped = engine.texts("SPOP", "s", "\(count)")
                #expect(popped.count == count && Set(popped).count == count && Set(popped).isSubset(of: left))
                #expect(engine.events.map(\.description) == ["spop s"] && engine.changes == count)
                left.subtract(popped)
                #expect(Set(engine.texts("SMEMBERS", "s")) == left)
            }
            let single = engine.run("SPOP", "s").text ?? ""
            #expect(left.remove(single) != nil)
            let rest = engine.texts("SPOP", "s", "10")
            #expect(Set(rest) == left)
            #expect(engine.events.map(\.description) == ["spop s", "del s"] && engine.changes == left.count)
            #expect(engine.run("EXISTS", "s") == .integer(0))
            #expect(engine.run("SPOP", "s") == .bulkString(nil))
        }
    }

    @Test func popOfTheLastMemberDeletesTheKey() {
        let engine = CollectionsEngine()
        engine.run("SADD", "s", "x")
        #expect(engine.run("SPOP", "s") == .bulk("x"))
        #expect(engine.events.map(\.description) == ["spop s", "del s"] && engine.changes == 1)
        #expect(engine.run("EXISTS", "s") == .integer(0))
    }

    @Test func algebraAndStores() {
        let engine = CollectionsEngine()
        engine.run("SADD", "a", "1", "2", "3", "4")
        engine.run("SADD", "b", "3", "4", "5")
        engine.run("SADD", "c", "x", "4", "3")
        #expect(engine.texts("SINTER", "a", "b") == ["3", "4"])
        #expect(engine.sortedTexts("SINTER", "a", "b", "c") == ["3", "4"])
        #expect(engine.texts("SINTER", "a", "a") == ["1", "2", "3", "4"])
        #expect(engine.texts("SINTER", "a", "missing") == [])
        #expect(engine.texts("SUNION", "a", "b", "missing") == ["1", "2", "3", "4", "5"])
        #expect(engine.texts("SDIFF", "a", "b") == ["1", "2"])
        #expect(engine.texts("SDIFF", "a", "a") == [])
        #expect(engine.texts("SDIFF", "missing", "a") == [])
        #expect(engine.run("SINTERCARD", "2", "a", "b") == .integer(2))
        #expect(engine.run("SINTERCARD", "1", "a", "LIMIT", "3") == .integer(3))
        #expect(engine.run("SINTERCARD", "1", "a", "LIMIT", "0") == .integer(4))

        engine.run("SET", "dest", "old", "EX", "100")
        #expect(engine.run("SUNIONSTORE", "dest", "a", "c") == .integer(5))
        #expect(engine.events.map(\.description) == ["sunionstore dest"] && engine.changes == 1)
        #expect(engine.run("TTL", "dest") == .integer(-1))
        #expect(engine.encoding("dest") == "listpack")
        #expect(engine.run("SINTERSTORE", "dest", "a", "b") == .integer(2))
        #expect(engine.texts("SMEMBERS", "dest") == ["3", "4"] && engine.encoding("dest") == "intset")
        #expect(engine.run("SDIFFSTORE", "dest", "dest", "b") == .integer(0))
        #expect(engine.events.map(\.description) == ["del dest"] && engine.changes == 1)
        #expect(engine.run("SDIFFSTORE", "dest", "a", "a") == .integer(0))
        #expect(engine.events.isEmpty && engine.changes == 0)
        engine.run("SADD", "dest", "z")
        #expect(engine.run("SINTERSTORE", "dest", "a", "missing") == .integer(0))
        #expect(engine.events.map(\.description) == ["del dest"] && engine.changes == 1)
        #expect(engine.run("EXISTS", "dest") == .integer(0))
        engine.run("SET", "str", "x")
        #expect(engine.run("SUNION", "a", "str").isError)
        #expect(engine.run("SINTER", "missing", "str").isError)
    }

    @Test func moveBetweenSets() {
        let engine = CollectionsEngine()
        engine.run("SADD", "src", "1", "x")
        #expect(engine.run("SMOVE", "src", "dst", "1") == .integer(1))
        #expect(engine.events.map(\.description) == ["srem src", "sadd dst"] && engine.changes == 2)
        #expect(engine.encoding("dst") == "intset")
        #expect(engine.run("SMOVE", "src", "dst", "1") == .integer(0))
        engine.run("SADD", "dst", "x")
        #expect(engine.run("SMOVE", "src", "dst", "x") == .integer(1))
        #expect(engine.events.map(\.description) == ["srem src", "del src"] && engine.changes == 1)
        #expect(engine.run("EXISTS", "src") == .integer(0))
        #expect(engine.run("SMOVE", "dst", "dst", "x") == .integer(1))
        #expect(engine.run("SMOVE", "dst", "dst", "nope") == .integer(0))
        #expect(engine.events.isEmpty && engine.changes == 0)
        engine.run("SET", "str", "v")
        #expect(engine.run("SMOVE", "dst", "str", "x").isError)
        #expect(engine.run("SMOVE", "str", "dst", "x").isError)
        #expect(engine.run("SMOVE", "missing", "str", "x") == .integer(0))
        #expect(engine.run("SISMEMBER", "dst", "x") == .integer(1))
    }

    @Test func scanReturnsEveryMemberOfALargeSet() {
        let engine = CollectionsEngine()
        engine.run(["SADD", "s"] + (0..<500).map { "m\($0)" })
        var cursor = "0"
        var seen = Set<String>()
        repeat {
            let reply = engine.run("SSCAN", "s", cursor, "COUNT", "15")
            seen.formUnion(engine.texts(reply.elements![1]))
            cursor = reply.elements![0].text!
        } while cursor != "0"
        #expect(seen == Set((0..<500).map { "m\($0)" }))
        engine.run("SADD", "ints", "3", "1", "2", "10")
        #expect(engine.texts(engine.run("SSCAN", "ints", "7", "MATCH", "1*").elements![1]) == ["1", "10"])
    }

    @Test func copyDumpAndRestoreKeepContentsAndEncoding() {
        let engine = CollectionsEngine()
        engine.run("SADD", "ints", "3", "-70000", "1")
        engine.run("SADD", "small", "b", "a", "1")
        engine.run(["SADD", "large"] + (0..<200).map { "m\($0)" })
        for key in ["ints", "small", "large"] {
            #expect(engine.run("COPY", key, "\(key)-copy") == .integer(1))
            #expect(engine.encoding("\(key)-copy") == engine.encoding(key))
            engine.run("SADD", "\(key)-copy", "new")
            #expect(engine.run("SISMEMBER", key, "new") == .integer(0))
            guard case .bulkString(.some(let buffer)) = engine.run("DUMP", key) else {
                Issue.record("DUMP \(key)")
                continue
            }
            engine.run(bytes: [Array("RESTORE".utf8), Array("\(key)-restored".utf8), Array("0".utf8), Array(buffer.readableBytesView)])
            #expect(engine.sortedTexts("SMEMBERS", "\(key)-restored") == engine.sortedTexts("SMEMBERS", key))
            #expect(engine.encoding("\(key)-restored") == engine.encoding(key))
        }
    }

    @Test func notificationsAndChanges() {
        let engine = CollectionsEngine()
        engine.run("SADD", "s", "a", "b", "a")
        #expect(engine.events.map(\.description) == ["sadd s"] && engine.changes == 2)
        engine.run("SADD", "s", "a")
        #expect(engine.events.isEmpty && engine.changes == 0)
        engine.run("SREM", "s", "a", "zz")
        #expect(engine.events.map(\.description) == ["srem s"] && engine.changes == 1)
        engine.run("SREM", "s", "b", "a")
        #expect(engine.events.map(\.description) == ["srem s", "del s"] && engine.changes == 1)
        engine.run("SMEMBERS", "s")
        engine.run("SRANDMEMBER", "s", "-3")
        #expect(engine.events.isEmpty && engine.changes == 0)
    }
}
