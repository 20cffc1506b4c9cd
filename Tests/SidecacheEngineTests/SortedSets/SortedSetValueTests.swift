@testable import SidecacheEngine
import Testing

/// Encodings and whole-value operations: the packed form turns into a skip list past
/// `zset-max-listpack-entries` members or `zset-max-listpack-value` bytes and stays one;
/// sets built whole (RESTORE, STORE) choose again; COPY, DUMP and MEMORY USAGE.
@Suite("Sorted set value")
struct SortedSetValueTests {
    static func limits(entries: Int = 4, value: Int = 8) -> EncodingLimits {
        var limits = EncodingLimits()
        limits.zsetMaxListpackEntries = entries
        limits.zsetMaxListpackValue = value
        return limits
    }

    @discardableResult
    static func add(_ set: SortedSetValue, _ member: String, _ score: Double, limits: EncodingLimits) -> SortedSetValue.AddOutcome {
        Array(member.utf8).withUnsafeBytes { set.add($0, score: score, conditions: [], limits: limits).outcome }
    }

    static func members(_ set: SortedSetValue) -> [String] {
        var result: [String] = []
        set.forEach(ranks: 0..<set.count) { member, _ in result.append(String(decoding: member, as: UTF8.self)) }
        return result
    }

    @Test func convertsPastTheEntryLimitAndStaysConverted() {
        let limits = Self.limits()
        let set = SortedSetValue()
        for (index, member) in ["d", "c", "b", "a"].enumerated() { Self.add(set, member, Double(index % 2), limits: limits) }
        #expect(set.encodingName.description == "listpack")
        #expect(Self.members(set) == ["b", "d", "a", "c"])
        Self.add(set, "e", 0, limits: limits)
        #expect(set.encodingName.description == "skiplist")
        #expect(Self.members(set) == ["b", "d", "e", "a", "c"])
        for member in ["a", "b", "c", "d"] { _ = Array(member.utf8).withUnsafeBytes { set.remove($0) } }
        #expect(set.encodingName.description == "skiplist")
        #expect(Self.members(set) == ["e"])
    }

    /// Adds, increments and removals against the model, through the conversion to a skip
    /// list (at 40 members) and in both forms.
    @Test(arguments: [21, 22] as [UInt64])
    func addsAndRemovalsMatchTheModel(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let limits = Self.limits(entries: 40, value: 64)
        let set = SortedSetValue()
        var model = SortedSetModel()
        let scores: [Double] = [-1, 0, 0.5, 1, 2, 2, 3, 1e9, -.infinity]
        for _ in 0..<3000 {
            let member = Array("member:\(Int.random(in: 0..<60, using: &random)):0001".utf8)
            let score = scores.randomElement(using: &random)!
            switch Int.random(in: 0..<5, using: &random) {
            case 0, 1:
                _ = member.withUnsafeBytes { set.add($0, score: score, conditions: [], limits: limits) }
                model.set(member, set.isPacked && score == 0 ? 0 : score)
            case 2:
                let result = member.withUnsafeBytes { set.add($0, score: score, conditions: .increment, limits: limits) }
                if result.outcome != .notANumber {
                    let current = model.index(of: member).map { model.members[$0].score } ?? 0
                    let sum = current + score
                    #expect(result.score == sum)
                    model.set(member, set.isPacked && sum == 0 ? 0 : sum)
                }
            default:
                let removed = member.withUnsafeBytes { set.remove($0) }
                #expect(removed == (model.index(of: member) != nil))
                model.remove(member)
            }
            #expect(set.count == model.count)
        }
        var contents: [SortedSetModel.Member] = []
        set.forEach(ranks: 0..<set.count) { contents.append(.init(member: Array($0), score: $1)) }
        #expect(contents == model.members)
        for (rank, expected) in model.members.enumerated() {
            #expect(expected.member.withUnsafeBytes { set.rank(of: $0) } == rank)
        }
    }

    @Test func convertsForAMemberOverTheValueLimit() {
        let limits = Self.limits()
        let set = SortedSetValue()
        Self.add(set, "12345678", 1, limits: limits)
        #expect(set.encodingName.description == "listpack")
        // Updating an existing member never converts.
        #expect(Self.add(set, "12345678", 2, limits: limits) == .updated)
        Self.add(set, "123456789", 1, limits: limits)
        #expect(set.encodingName.description == "skiplist")
        #expect(Self.members(set) == ["123456789", "12345678"])
    }

    @Test func conditionsAndIncrementsFollowZsetAdd() {
        let limits = Self.limits()
        for packed in [true, false] {
            let set = SortedSetValue(packed: packed)
            func add(_ score: Double, _ conditions: SortedSetValue.AddConditions) -> (SortedSetValue.AddOutcome, Double) {
                let result = Array("m".utf8).withUnsafeBytes { set.add($0, score: score, conditions: conditions, limits: limits) }
                return (result.outcome, result.score)
            }
            #expect(add(5, .onlyExisting) == (.skipped, 5))
            #expect(add(5, .onlyNew) == (.added, 5))
            #expect(add(6, .onlyNew) == (.skipped, 5))
            #expect(add(4, .onlyGreater) == (.skipped, 5))
            #expect(add(7, .onlyGreater) == (.updated, 7))
            #expect(add(7, []) == (.unchanged, 7))
            #expect(add(1, [.increment, .onlyLess]) == (.skipped, 7))
            #expect(add(-1, [.increment, .onlyLess]) == (.updated, 6))
            #expect(add(.infinity, .increment) == (.updated, .infinity))
            #expect(add(-.infinity, .increment).0 == .notANumber)
            #expect(set.score(of: UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
            #expect(Array("m".utf8).withUnsafeBytes { set.score(of: $0) } == .infinity)
        }
    }

    /// Redis stores an integral listpack score as an integer, so -0 reads back as 0 there,
    /// while a skip list keeps the sign.
    @Test func negativeZeroIsZeroOnlyWhenPacked() {
        let limits = Self.limits()
        for packed in [true, false] {
            let set = SortedSetValue(packed: packed)
            Self.add(set, "m", -0.0, limits: limits)
            let score = Array("m".utf8).withUnsafeBytes { set.score(of: $0) }!
            #expect(score == 0)
            #expect(score.sign == (packed ? .plus : .minus))
        }
    }

    @Test func restoringChoosesTheEncodingFromTheLimits() {
        let small = (0..<4).map { DumpValue.ScoredMember(member: Array("m\($0)".utf8), score: Double($0)) }
        #expect(SortedSetValue(restoring: small, limits: Self.limits()).encodingName.description == "listpack")
        let many = small + [DumpValue.ScoredMember(member: Array("m9".utf8), score: 9)]
        #expect(SortedSetValue(restoring: many, limits: Self.limits()).encodingName.description == "skiplist")
        let long = [DumpValue.ScoredMember(member: Array("123456789".utf8), score: 1)]
        #expect(SortedSetValue(restoring: long, limits: Self.limits()).encodingName.description == "skiplist")
        for members in [small, many, long] {
            #expect(SortedSetValue(restoring: members, limits: Self.limits()).dumpValue == .sortedSet(members))
        }
    }

    @Test func copiesAreIndependentAndKeepTheEncoding() {
        let limits = Self.limits()
        for size in [3, 10] {
            let set = SortedSetValue()
            for number in 0..<size { Self.add(set, "m\(number)", Double(size - number), limits: limits) }
            let copy = set.copy()
            #expect(copy.encodingName.description == set.encodingName.description)
            #expect(copy.dumpValue == set.dumpValue)
            Self.add(copy, "new", 0, limits: limits)
            #expect(copy.count == set.count + 1)
            #expect(set.estimatedMemoryUsage > 0)
        }
    }

    @Test func memoryUsageGrowsWithTheMembers() {
        let limits = Self.limits(entries: 128, value: 64)
        let set = SortedSetValue()
        let empty = set.estimatedMemoryUsage
        for number in 0..<100 { Self.add(set, "member:\(number)", Double(number), limits: limits) }
        let packed = set.estimatedMemoryUsage
        set.convertToSkipList()
        #expect(empty < packed)
        #expect(packed < set.estimatedMemoryUsage)
    }
}
