import SidecacheEngine
import SidecacheRESP
import Testing

@Suite("Command table")
struct CommandTableTests {
    let table = CommandTable.redis

    func lookup(_ name: String) -> CommandSpec? {
        Array(name.utf8).withUnsafeBytes { table.lookup($0) }
    }

    @Test func everyReferenceCommandIsFoundIgnoringCase() {
        #expect(table.commands.count == 240 + 8)  // Redis 7.0.15's and RedisBloom's BF.*
        for spec in table.commands {
            #expect(lookup(spec.name)?.id == spec.id)
            #expect(lookup(spec.name.uppercased())?.id == spec.id)
        }
        #expect(lookup("nosuchcommand") == nil)
        #expect(lookup("") == nil)
    }

    @Test func getHasRedisMetadata() throws {
        let get = try #require(lookup("GET"))
        #expect(get.arity == 2)
        #expect(get.flags == [.readonly, .fast])
        #expect((get.firstKey, get.lastKey, get.keyStep) == (1, 1, 1))
        #expect(get.categories.contains(ACLCategories(name: "string")!))
        #expect(get.acceptsArgumentCount(2))
        #expect(!get.acceptsArgumentCount(3))
        let set = try #require(lookup("set"))
        #expect(set.arity == -3 && set.acceptsArgumentCount(5) && !set.acceptsArgumentCount(2))
    }

    @Test func subcommandsResolveByFullName() throws {
        let client = try #require(lookup("client"))
        #expect(client.isContainer)
        let kill = try #require(table.spec(named: "CLIENT|KILL"))
        #expect(kill.name == "client|kill")
        #expect(table.spec(named: "client|setinfo")?.arity == -4)
        #expect(table.spec(named: "client|nosuch") == nil)
        #expect(table.all.allSatisfy { table.all[$0.id] === $0 })
    }

    @Test(arguments: [
        (["GET", "k"], ["k"]),
        (["MSET", "a", "1", "b", "2"], ["a", "b"]),
        (["ZUNIONSTORE", "dst", "2", "s1", "s2", "WEIGHTS", "1", "2"], ["dst", "s1", "s2"]),
        (["EVAL", "return 1", "2", "k1", "k2", "arg"], ["k1", "k2"]),
        (["XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"], ["s1", "s2"]),
        (["LMPOP", "2", "l1", "l2", "LEFT"], ["l1", "l2"]),
    ])
    func keyPositionsFollowKeySpecs(arguments: [String], expected: [String]) throws {
        let frame = RESPCommandFrame(strings: arguments)
        let spec = try #require(lookup(arguments[0]))
        let positions = try #require(spec.keyPositions(in: frame))
        #expect(positions.map { frame.string($0) } == expected)
    }
}

@Suite("Glob matching (Redis stringmatchlen)")
struct GlobMatcherTests {
    @Test(arguments: [
        ("*", "anything", true), ("h?llo", "hello", true), ("h?llo", "hllo", false),
        ("h*llo", "heeeello", true), ("h[ae]llo", "hallo", true), ("h[ae]llo", "hillo", false),
        ("h[^e]llo", "hallo", true), ("h[^e]llo", "hello", false), ("h[a-b]llo", "hbllo", true),
        ("h[b-a]llo", "hallo", true), ("h\\*llo", "h*llo", true), ("h\\*llo", "hello", false),
        ("*max*", "maxclients", true), ("a**b", "ab", true), ("[abc", "a", true), ("", "", true), ("", "a", false),
    ])
    func matchesLikeRedis(pattern: String, string: String, expected: Bool) {
        #expect(GlobMatcher.matches(pattern: pattern, string) == expected)
    }

    @Test func noCaseFoldsASCII() {
        #expect(GlobMatcher.matches(pattern: "MAX*", "maxclients", nocase: true))
        #expect(!GlobMatcher.matches(pattern: "MAX*", "maxclients"))
    }

    @Test func pathologicalPatternsFinish() {
        let pattern = String(repeating: "a*", count: 30) + "b"
        let string = String(repeating: "a", count: 60)
        #expect(!GlobMatcher.matches(pattern: pattern, string))
    }
}
