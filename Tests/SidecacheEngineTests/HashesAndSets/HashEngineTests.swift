import NIOCore
import SidecacheEngine
import SidecacheRESP
import Testing

/// Hashes in the engine: the listpack's order, the conversions at the thresholds (from
/// `EncodingLimits`, as CONFIG SET leaves them), the table form under growth and shrinking,
/// HRANDFIELD's rules, HSCAN, COPY, DUMP/RESTORE and notifications.
@Suite struct HashEngineTests {
    @Test func listpackKeepsRedisOrder() {
        let engine = CollectionsEngine()
        #expect(engine.run("HSET", "h", "a", "1", "b", "2", "c", "3") == .integer(3))
        #expect(engine.run("HDEL", "h", "b") == .integer(1))
        #expect(engine.run("HSET", "h", "d", "4", "b", "5", "a", "6") == .integer(2))
        #expect(engine.texts("HGETALL", "h") == ["a", "6", "c", "3", "d", "4", "b", "5"])
        #expect(engine.texts("HKEYS", "h") == ["a", "c", "d", "b"])
        #expect(engine.texts("HVALS", "h") == ["6", "3", "4", "5"])
        #expect(engine.encoding("h") == "listpack")
        // A value changing length stays in place; the pairs after it move.
        engine.run("HSET", "h", "c", String(repeating: "x", count: 60))
        engine.run("HSET", "h", "c", "")
        #expect(engine.texts("HGETALL", "h") == ["a", "6", "c", "", "d", "4", "b", "5"])
        #expect(engine.run("HSTRLEN", "h", "c") == .integer(0))
        #expect(engine.run("HEXISTS", "h", "c") == .integer(1))
    }

    @Test func entriesThresholdConvertsForGood() {
        var limits = EncodingLimits()
        limits.hashMaxListpackEntries = 4
        let engine = CollectionsEngine(limits: limits)
        engine.run("HSET", "h", "1", "a", "2", "b", "3", "c", "4", "d")
        #expect(engine.encoding("h") == "listpack")
        engine.run("HSET", "h", "4", "changed")
        #expect(engine.encoding("h") == "listpack")
        engine.run("HSETNX", "h", "5", "e")
        #expect(engine.encoding("h") == "hashtable")
        engine.run("HDEL", "h", "5", "4", "3")
        #expect(engine.encoding("h") == "hashtable")
        #expect(engine.texts("HGETALL", "h").count == 4)
        // Many pairs in one HSET convert as soon as the count passes the limit.
        engine.run("HSET", "g", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
        #expect(engine.encoding("g") == "hashtable")
        #expect(engine.run("HLEN", "g") == .integer(5))
    }

    @Test func valueThresholdConverts() {
        let engine = CollectionsEngine()
        let limit = String(repeating: "v", count: 64)
        let over = String(repeating: "v", count: 65)
        engine.run("HSET", "at", limit, limit)
        #expect(engine.encoding("at") == "listpack")
        engine.run("HSET", "value", "f", over)
        #expect(engine.encoding("value") == "hashtable")
        engine.run("HSET", "field", over, "v")
        #expect(engine.encoding("field") == "hashtable")
        engine.run("HSET", "nx", "f", "v")
        engine.run("HSETNX", "nx", "g", over)
        #expect(engine.encoding("nx") == "hashtable")
        // The check covers every argument of HSET, even a pair that only replaces a value.
        engine.run("HSET", "late", "f", "v")
        engine.run("HSET", "late", "f", "w", "g", over)
        #expect(engine.encoding("late") == "hashtable")
        #expect(engine.texts("HGETALL", "late").sorted() == ["f", "g", over, "w"].sorted())
    }

    @Test func incrementsConvertWhenTheirTextIsLong() {
        var limits = EncodingLimits()
        limits.hashMaxListpackValue = 5
        let engine = CollectionsEngine(limits: limits)
        engine.run("HINCRBY", "i", "f", "12345")
        #expect(engine.encoding("i") == "listpack")
        engine.run("HINCRBY", "i", "f", "100000")
        #expect(engine.encoding("i") == "hashtable")
        #expect(engine.run("HGET", "i", "f") == .bulk("112345"))
        engine.run("HINCRBYFLOAT", "j", "f", "10.5")
        #expect(engine.encoding("j") == "listpack")
        engine.run("HINCRBYFLOAT", "j", "f", "0.125")
        #expect(engine.encoding("j") == "hashtable")
        #expect(engine.run("HGET", "j", "f") == .bulk("10.625"))
    }

    @Test func zeroEntriesMeansAlwaysATable() {
        var limits = EncodingLimits()
        limits.hashMaxListpackEntries = 0
        let engine = CollectionsEngine(limits: limits)
        engine.run("HSET", "h", "f", "v")
        #expect(engine.encoding("h") == "hashtable")
        #expect(engine.run("HGET", "h", "f") == .bulk("v"))
    }

    @Test func tableGrowsAndShrinks() {
        var limits = EncodingLimits()
        limits.hashMaxListpackEntries = 8
        let engine = CollectionsEngine(limits: limits)
        for batch in 0..<20 {
            var arguments = ["HSET", "h"]
            for field in 0..<100 { arguments += ["f\(batch * 100 + field)", "v\(batch * 100 + field)"] }
            engine.run(arguments)
        }
        #expect(engine.run("HLEN", "h") == .integer(2000))
        for field in stride(from: 0, to: 2000, by: 7) {
            #expect(engine.run("HGET", "h", "f\(field)") == .bulk("v\(field)"))
        }
        for field in 0..<1990 { engine.run("HDEL", "h", "f\(field)") }
        #expect(engine.run("HLEN", "h") == .integer(10))
        #expect(engine.texts("HKEYS", "h").sorted() == (1990..<2000).map { "f\($0)" }.sorted())
        #expect(engine.run("HGET", "h", "f5") == .bulkString(nil))
        #expect(engine.run("HGET", "h", "f1995") == .bulk("v1995"))
        #expect(engine.encoding("h") == "hashtable")
    }

    @Test func emptyStringsAndBinaryFields() {
        let engine = CollectionsEngine()
        let binary: [UInt8] = [0, 0xFF, 0x0D, 0x0A]
        engine.run(bytes: [Array("HSET".utf8), Array("h".utf8), [], [], binary, binary])
        #expect(engine.run(bytes: [Array("HGET".utf8), Array("h".utf8), []]) == .bulk(""))
        #expect(engine.run(bytes: [Array("HGET".utf8), Array("h".utf8), binary]) == .bulk(bytes: binary))
        #expect(engine.run("HLEN", "h") == .integer(2))
    }

    @Test func deletingTheLastFieldDeletesTheKey() {
        let engine = CollectionsEngine()
        engine.run("HSET", "h", "a", "1", "b", "2")
        #expect(engine.run("HDEL", "h", "a", "x", "b", "a") == .integer(2))
        #expect(engine.events.map(\.description) == ["hdel h", "del h"])
        #expect(engine.changes == 2)
        #expect(engine.run("EXISTS", "h") == .integer(0))
        #expect(engine.run("HDEL", "h", "a") == .integer(0))
        #expect(engine.events.isEmpty && engine.changes == 0)
    }

    @Test func notificationsAndChanges() {
        let engine = CollectionsEngine()
        engine.run("HSET", "h", "a", "1", "a", "2")
        #expect(engine.events.map(\.description) == ["hset h"] && engine.changes == 2)
        engine.run("HMSET", "h", "a", "3")
        #expect(engine.events.map(\.description) == ["hset h"] && engine.changes == 1)
        engine.run("HSETNX", "h", "a", "3")
        #expect(engine.events.isEmpty && engine.changes == 0)
        engine.run("HINCRBY", "h", "n", "5")
        #expect(engine.events.map(\.description) == ["hincrby h"] && engine.changes == 1)
        engine.run("HINCRBYFLOAT", "h", "n", "0.5")
        #expect(engine.events.map(\.description) == ["hincrbyfloat h"] && engine.changes == 1)
        engine.run("HINCRBY", "h", "n", "1")
        #expect(engine.events.isEmpty && engine.changes == 0)
        engine.run("HGETALL", "h")
        engine.run("HRANDFIELD", "h", "-5", "WITHVALUES")
        #expect(engine.events.isEmpty && engine.changes == 0)
    }

    @Test func failedIncrementsLeaveNoKey() {
        let engine = CollectionsEngine()
        #expect(engine.run("HINCRBYFLOAT", "k", "f", "inf") == .error("ERR value is NaN or Infinity"))
        #expect(engine.run("HINCRBYFLOAT", "k", "f", "x") == .error("ERR value is not a valid float"))
        #expect(engine.run("HINCRBY", "k", "f", "x") == .error("ERR value is not an integer or out of range"))
        #expect(engine.run("EXISTS", "k") == .integer(0))
        engine.run("HSET", "k", "max", "9223372036854775807", "text", "abc", "big", "1e4932")
        #expect(engine.run("HINCRBY", "k", "max", "1") == .error("ERR increment or decrement would overflow"))
        #expect(engine.run("HINCRBY", "k", "text", "1") == .error("ERR hash value is not an integer"))
        #expect(engine.run("HINCRBYFLOAT", "k", "text", "1") == .error("ERR hash value is not a float"))
        #expect(engine.run("HINCRBYFLOAT", "k", "big", "1e4932") == .error("ERR increment would produce NaN or Infinity"))
        #expect(engine.texts("HGETALL", "k") == ["max", "9223372036854775807", "text", "abc", "big", "1e4932"])
    }

    @Test func randomFieldsFollowRedisRules() {
        var limits = EncodingLimits()
        limits.hashMaxListpackEntries = 16
        for fieldCount in [5, 40] {
            let engine = CollectionsEngine(limits: limits)
            var arguments = ["HSET", "h"]
            for field in 0..<fieldCount { arguments += ["f\(field)", "v\(field)"] }
            engine.run(arguments)
            let all = Set((0..<fieldCount).map { "f\($0)" })
            for count in [1, 2, 3, fieldCount / 2, fieldCount - 1] {
                let fields = engine.texts("HRANDFIELD", "h", "\(count)")
                #expect(fields.count == count && Set(fields).count == count && Set(fields).isSubset(of: all))
            }
            // At least the whole hash: every field once, in HKEYS order.
            #expect(engine.texts("HRANDFIELD", "h", "\(fieldCount + 10)") == engine.texts("HKEYS", "h"))
            #expect(engine.texts("HRANDFIELD", "h", "\(fieldCount)", "WITHVALUES") == engine.texts("HGETALL", "h"))
            let repeated = engine.texts("HRANDFIELD", "h", "-100")
            #expect(repeated.count == 100 && Set(repeated).isSubset(of: all))
            let pairs = engine.texts("HRANDFIELD", "h", "-7", "WITHVALUES")
            #expect(pairs.count == 14)
            for index in stride(from: 0, to: pairs.count, by: 2) { #expect("v" + pairs[index].dropFirst() == pairs[index + 1]) }
            engine.client.protocolVersion = .resp3
            let nested = engine.run("HRANDFIELD", "h", "3", "WITHVALUES").elements ?? []
            #expect(nested.count == 3 && nested.allSatisfy { $0.elements?.count == 2 })
            engine.client.protocolVersion = .resp2
            #expect(engine.run("HRANDFIELD", "h", "0") == .array([]))
            #expect(all.contains(engine.run("HRANDFIELD", "h").text ?? ""))
        }
    }

    @Test func scanReturnsEveryFieldOfALargeHashWhileItChanges() {
        var limits = EncodingLimits()
        limits.hashMaxListpackEntries = 4
        let engine = CollectionsEngine(limits: limits)
        var arguments = ["HSET", "h"]
        for field in 0..<300 { arguments += ["f\(field)", "v\(field)"] }
        engine.run(arguments)
        var cursor = "0"
        var seen: [String: String] = [:]
        var calls = 0
        repeat {
            let reply = engine.run("HSCAN", "h", cursor, "COUNT", "20")
            let page = engine.texts(reply.elements![1])
            for index in stride(from: 0, to: page.count, by: 2) { seen[page[index]] = page[index + 1] }
            cursor = reply.elements![0].text!
            calls += 1
            // Growth and shrinking between calls: the table resizes.
            if calls == 2 { for field in 300..<1300 { engine.run("HSET", "h", "g\(field)", "x") } }
            if calls == 5 { for field in 300..<1300 { engine.run("HDEL", "h", "g\(field)") } }
        } while cursor != "0"
        #expect(calls > 3)
        for field in 0..<300 { #expect(seen["f\(field)"] == "v\(field)") }
        // MATCH applies to the fields; a small hash answers whole with cursor 0.
        let matched = engine.run("HSCAN", "h", "0", "MATCH", "f1?", "COUNT", "1000")
        #expect(engine.texts(matched.elements![1]).count == 20)
        engine.run("HSET", "small", "a", "1", "b", "2")
        #expect(engine.texts(engine.run("HSCAN", "small", "12345", "COUNT", "1").elements![1]) == ["a", "1", "b", "2"])
        #expect(engine.run("HSCAN", "small", "0", "MATCH", "b").elements?.last == .array([.bulk("b"), .bulk("2")]))
    }

    @Test func copyDumpAndRestoreKeepContentsAndEncoding() {
        var limits = EncodingLimits()
        limits.hashMaxListpackEntries = 10
        let engine = CollectionsEngine(limits: limits)
        engine.run("HSET", "small", "b", "1", "a", "2")
        var arguments = ["HSET", "large"]
        for field in 0..<50 { arguments += ["f\(field)", "v\(field)"] }
        engine.run(arguments)
        for key in ["small", "large"] {
            #expect(engine.run("COPY", key, "\(key)-copy") == .integer(1))
            #expect(engine.encoding("\(key)-copy") == engine.encoding(key))
            engine.run("HSET", "\(key)-copy", "new", "x")
            #expect(engine.run("HEXISTS", key, "new") == .integer(0))
            let payload = engine.run("DUMP", key)
            guard case .bulkString(.some(let buffer)) = payload else {
                Issue.record("DUMP \(key): \(payload)")
                continue
            }
            engine.run(bytes: [Array("RESTORE".utf8), Array("\(key)-restored".utf8), Array("0".utf8), Array(buffer.readableBytesView)])
            #expect(engine.texts("HGETALL", "\(key)-restored") == engine.texts("HGETALL", key))
            #expect(engine.encoding("\(key)-restored") == engine.encoding(key))
        }
        // RESTORE follows the limits in force: a small payload becomes a table under a lower limit.
        let payload = engine.run("DUMP", "small")
        engine.limits.hashMaxListpackEntries = 1
        if case .bulkString(.some(let buffer)) = payload {
            engine.run(bytes: [Array("RESTORE".utf8), Array("again".utf8), Array("0".utf8), Array(buffer.readableBytesView)])
        }
        #expect(engine.encoding("again") == "hashtable")
        #expect(engine.texts("HGETALL", "again").sorted() == ["1", "2", "a", "b"])
    }

    @Test func memoryUsageGrowsWithTheContents() {
        let engine = CollectionsEngine()
        engine.run("HSET", "h", "f", "v")
        guard case .integer(let small) = engine.run("MEMORY", "USAGE", "h") else {
            Issue.record("MEMORY USAGE")
            return
        }
        for field in 0..<200 { engine.run("HSET", "h", "field\(field)", "value\(field)") }
        guard case .integer(let large) = engine.run("MEMORY", "USAGE", "h") else {
            Issue.record("MEMORY USAGE")
            return
        }
        #expect(small > 32 && large > small + 200 * 20)
    }

    @Test func wrongTypeEverywhere() {
        let engine = CollectionsEngine()
        engine.run("SET", "s", "x")
        let wrongType = RESPValue.error("WRONGTYPE Operation against a key holding the wrong kind of value")
        for command in [
            ["HSET", "s", "f", "v"], ["HSETNX", "s", "f", "v"], ["HGET", "s", "f"], ["HMGET", "s", "f"], ["HGETALL", "s"],
            ["HDEL", "s", "f"], ["HLEN", "s"], ["HSTRLEN", "s", "f"], ["HKEYS", "s"], ["HVALS", "s"], ["HEXISTS", "s", "f"],
            ["HINCRBY", "s", "f", "1"], ["HINCRBYFLOAT", "s", "f", "1"], ["HRANDFIELD", "s"], ["HRANDFIELD", "s", "2"],
            ["HSCAN", "s", "0"], ["HMSET", "s", "f", "v"],
        ] {
            #expect(engine.run(command) == wrongType, "\(command)")
        }
        #expect(engine.run("GET", "s") == .bulk("x"))
    }
}
