import NIOCore
import SidecacheRESP
import Testing

@testable import SidecacheEngine

/// KEYS, SCAN and RANDOMKEY in the engine, with a hand-driven clock so that expired keys can
/// be left in the table for the commands to meet. What redis-server 7.0.15 does in the same
/// situations was checked by hand with `DEBUG SET-ACTIVE-EXPIRE 0`.
@Suite struct KeyCommandsIterationTests {
    @Test func keysSkipsExpiredKeysWithoutDeletingThem() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "live", "v")
        engine.run("SET", "gone", "v", "PX", "100")
        engine.run("SET", "other", "v")
        engine.advance(milliseconds: 200)
        #expect(engine.sortedTexts(engine.run("KEYS", "*")) == ["live", "other"])
        #expect(engine.sortedTexts(engine.run("KEYS", "*o*")) == ["other"])
        #expect(engine.keyCount() == 3)
        #expect(engine.statistics.expiredKeys == 0)
        #expect(engine.run("KEYS", "nothing*") == .array([]))
    }

    @Test func scanDeletesTheExpiredKeysItReturnsNothingFor() {
        let engine = KeyCommandsEngine()
        for key in ["a", "b", "c"] { engine.run("SET", key, "v") }
        for key in ["x1", "x2", "x3", "x4"] { engine.run("SET", key, "v", "PX", "100") }
        engine.advance(milliseconds: 200)
        // Fewer than COUNT keys: one call walks the whole table and ends at cursor 0.
        let reply = engine.run("SCAN", "0")
        #expect(reply.elements?.first == .bulk("0"))
        #expect(engine.sortedTexts(reply.elements![1]) == ["a", "b", "c"])
        #expect(engine.keyCount() == 3)
        #expect(engine.statistics.expiredKeys == 4)
    }

    @Test func scanFiltersByPatternBeforeLookingAtExpiry() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "a", "v")
        engine.run("SET", "b", "v", "PX", "100")
        engine.run("SET", "ab", "v", "PX", "100")
        engine.advance(milliseconds: 200)
        let reply = engine.run("SCAN", "0", "MATCH", "a*")
        #expect(engine.sortedTexts(reply.elements![1]) == ["a"])
        // "ab" matched and was expired (deleted); "b" did not match and was never looked at.
        #expect(engine.keyCount() == 2)
        #expect(engine.statistics.expiredKeys == 1)
        #expect(engine.statistics.keyspaceHits == 0 && engine.statistics.keyspaceMisses == 0)
    }

    /// The TYPE filter looks keys up as TYPE does: a hit or miss is counted, and an expired
    /// key is deleted there and reads as "none". Redis then finds nothing left to expire, so
    /// `SCAN 0 TYPE none` answers with the names of the expired keys it just deleted.
    @Test func scanTypeFilterCountsLookupsAndMatchesNoneForExpiredKeys() {
        let engine = KeyCommandsEngine()
        engine.run("SET", "live", "v")
        for key in ["e1", "e2", "e3"] { engine.run("SET", key, "v", "PX", "100") }
        engine.advance(milliseconds: 200)
        engine.keyspace.resetStatistics()
        let none = engine.run("SCAN", "0", "TYPE", "none")
        #expect(engine.sortedTexts(none.elements![1]) == ["e1", "e2", "e3"])
        #expect(engine.statistics.keyspaceHits == 1)
        #expect(engine.statistics.keyspaceMisses == 3)
        #expect(engine.statistics.expiredKeys == 3)
        #expect(engine.keyCount() == 1)
        let strings = engine.run("SCAN", "0", "TYPE", "String")
        #expect(engine.sortedTexts(strings.elements![1]) == ["live"])
        #expect(engine.run("SCAN", "0", "TYPE", "hash") == .array([.bulk("0"), .array([])]))
    }

    @Test func scanStopsAfterCountKeysWithACursorToGoOn() {
        let engine = KeyCommandsEngine()
        for index in 0..<100 { engine.run("SET", "key:\(index)", "v") }
        let reply = engine.run("SCAN", "0", "COUNT", "1")
        let keys = reply.elements![1].elements!
        #expect(reply.elements![0] != .bulk("0"))
        #expect(!keys.isEmpty && keys.count < 10, "one bucket's chain, not the table")
    }

    /// Redis's guarantee: a full iteration (cursor 0 back to 0) returns every key that was
    /// present for its whole duration, even while the table grows, shrinks and is caught in
    /// the middle of an incremental rehash between two calls.
    @Test(arguments: [1, 5, 20])
    func fullIterationReturnsEveryKeyPresentThroughoutWhileTheTableResizes(count: Int) {
        let engine = KeyCommandsEngine()
        let stable = (0..<100).map { "stable:\($0)" }
        for key in stable { engine.run("SET", key, "v") }
        var seen = Set<String>()
        var cursor = "0"
        var calls = 0
        var temporary: [String] = []
        var nextTemporary = 0
        var growing = true
        var callsWhileRehashing = 0
        var largestTable = 0
        var shrinks = 0
        repeat {
            let reply = engine.run("SCAN", cursor, "COUNT", "\(count)")
            cursor = reply.elements![0].text!
            seen.formUnion(reply.elements![1].elements!.compactMap(\.text))
            calls += 1
            // Grow to ~2100 keys 150 at a time, then delete them again 150 at a time and let
            // the table shrink (below 10% full), and over again: every resize starts an
            // incremental rehash that later calls meet half done.
            if growing {
                for _ in 0..<150 {
                    let key = "temporary:\(nextTemporary)"
                    nextTemporary += 1
                    engine.run("SET", key, "v")
                    temporary.append(key)
                }
                if temporary.count >= 2000 { growing = false }
            } else {
                for key in temporary.suffix(150) { engine.run("DEL", key) }
                temporary.removeLast(min(150, temporary.count))
                if temporary.isEmpty { growing = true }
            }
            engine.keyspace.withState { state in
                let table = state.database(0).table
                if !growing && !table.isRehashing {
                    let oldSize = table.bucketCount
                    table.shrinkIfNeeded()
                    let newSize = table.bucketCount - oldSize
                    if table.isRehashing && newSize < oldSize { shrinks += 1 }
                }
                if table.isRehashing { callsWhileRehashing += 1 }
                largestTable = max(largestTable, table.bucketCount)
            }
        } while cursor != "0" && calls < 100_000
        #expect(cursor == "0")
        let missing = stable.filter { !seen.contains($0) }
        #expect(missing.isEmpty, "missed \(missing.count) keys present throughout: \(missing.prefix(5))")
        #expect(seen.allSatisfy { $0.hasPrefix("stable:") || $0.hasPrefix("temporary:") })
        #expect(callsWhileRehashing > 0, "no SCAN call met a rehash in progress")
        #expect(largestTable >= 2048, "the table never grew")
        #expect(shrinks > 0, "the table never shrank during the iteration")
    }

    @Test func randomkeyIsNullWhenEmptyAndALiveKeyOtherwise() {
        let engine = KeyCommandsEngine()
        #expect(engine.run("RANDOMKEY") == .bulkString(nil))
        engine.client.protocolVersion = .resp3
        #expect(engine.run("RANDOMKEY") == .null)
        engine.client.protocolVersion = .resp2
        engine.run("SET", "only", "v")
        #expect(engine.run("RANDOMKEY") == .bulk("only"))
    }

    @Test func randomkeyDeletesExpiredKeysItMeets() {
        let engine = KeyCommandsEngine()
        for index in 0..<20 { engine.run("SET", "e\(index)", "v", "PX", "100") }
        engine.advance(milliseconds: 200)
        #expect(engine.run("RANDOMKEY") == .bulkString(nil))
        #expect(engine.keyCount() == 0)
        #expect(engine.statistics.expiredKeys == 20)
    }

    /// Redis (as a primary) keeps drawing until it meets a live key, deleting each expired
    /// one, so a single live key among hundreds of expired ones is still found even when
    /// every key has a TTL.
    @Test func randomkeyFindsTheLastLiveKeyAmongManyExpiredVolatileOnes() {
        let engine = KeyCommandsEngine()
        for index in 0..<400 { engine.run("SET", "e\(index)", "v", "PX", "100") }
        engine.run("SET", "live", "v", "PX", "100000")
        engine.advance(milliseconds: 200)
        #expect(engine.run("RANDOMKEY") == .bulk("live"))
        #expect(engine.run("RANDOMKEY") == .bulk("live"))
    }
}
