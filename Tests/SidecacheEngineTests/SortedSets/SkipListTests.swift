@testable import SidecacheEngine
import Testing

/// The skip list against a sorted array under random inserts, removals, score updates and
/// range removals: order, ranks (which exercise every span), rank lookups, both directions
/// of the level-0 links, the tail, and score-range searches.
@Suite("Skip list")
struct SkipListTests {
    static func member(_ number: Int) -> [UInt8] { Array("m\(number)".utf8) }

    /// Scores from a small pool, so that many members share one and order falls to bytes.
    static func score(_ random: inout SeededRandom) -> Double {
        [-Double.infinity, -2.5, 0, 0, 1, 1, 1, 2, 7.25, 1e300, .infinity].randomElement(using: &random)!
    }

    static func check(_ list: SkipList, _ model: SortedSetModel) {
        #expect(list.count == model.count)
        var forward: [SortedSetModel.Member] = []
        var candidate = list.first
        while let node = candidate {
            forward.append(.init(member: Array(node.member), score: node.score))
            candidate = node.forward(0)
        }
        #expect(forward == model.members)
        var backward: [SortedSetModel.Member] = []
        candidate = list.tail
        while let node = candidate {
            backward.append(.init(member: Array(node.member), score: node.score))
            candidate = node.backward
        }
        #expect(backward == model.members.reversed())
        for (index, expected) in model.members.enumerated() {
            let node = expected.member.withUnsafeBytes { list.node(for: $0) }
            #expect(node.map { list.rank(of: $0) } == index + 1)
            #expect(list.node(atRank: index + 1).map { Array($0.member) } == expected.member)
        }
        #expect(list.node(atRank: model.count + 1) == nil)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func matchesTheModelUnderRandomOperations(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let list = SkipList()
        var model = SortedSetModel()
        for step in 0..<1500 {
            let number = Int.random(in: 0..<150, using: &random)
            let member = Self.member(number)
            let existing = member.withUnsafeBytes { list.node(for: $0) }
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                let score = Self.score(&random)
                if let existing {
                    list.updateScore(existing, to: score)
                } else {
                    member.withUnsafeBytes { _ = list.insert($0, score: score) }
                }
                model.set(member, score)
            case 5..<8:
                if let existing { list.remove(existing) }
                model.remove(member)
            case 8:
                guard model.count > 0 else { break }
                let start = Int.random(in: 0..<model.count, using: &random)
                let end = min(model.count, start + Int.random(in: 1...5, using: &random))
                #expect(list.removeRange(start: start + 1, end: end) == end - start)
                model.removeSubrange(start..<end)
            default:
                let bounds = [Self.score(&random), Self.score(&random)].sorted()
                let range = ScoreRange(
                    min: bounds[0], max: bounds[1], minExclusive: random.next() % 2 == 0, maxExclusive: random.next() % 2 == 0)
                let expected = model.ranks(in: range)
                #expect(list.firstInRange(range).map { list.rank(of: $0) - 1 } == expected?.0)
                #expect(list.lastInRange(range).map { list.rank(of: $0) - 1 } == expected?.1)
            }
            if step % 50 == 0 { Self.check(list, model) }
        }
        Self.check(list, model)
    }

    @Test func levelsFollowTheQuarterProbability() {
        let list = SkipList()
        var levels = Array(repeating: 0, count: SkipListNode.maxLevel + 1)
        for number in 0..<20_000 {
            let node = Self.member(number).withUnsafeBytes { list.insert($0, score: Double(number)) }
            levels[node.level] += 1
        }
        // Expected: 3/4 at level 1, 3/16 at level 2, 3/64 at level 3.
        #expect((14_400...15_600).contains(levels[1]))
        #expect((3_350...4_150).contains(levels[2]))
        #expect((700...1_200).contains(levels[3]))
        #expect(levels[0] == 0)
    }

    @Test func memberIndexScanReturnsEveryMemberAcrossResizes() {
        let list = SkipList()
        for number in 0..<300 { _ = Self.member(number).withUnsafeBytes { list.insert($0, score: 1) } }
        var seen = Set<[UInt8]>()
        var cursor: UInt64 = 0
        var steps = 0
        repeat {
            cursor = list.scan(cursor: cursor) { seen.insert(Array($0.member)) }
            steps += 1
            // Shrink and grow the table in the middle of the iteration.
            if steps == 40 {
                for number in 300..<1000 { _ = Self.member(number).withUnsafeBytes { list.insert($0, score: 2) } }
            }
            if steps == 90 {
                for number in 300..<1000 {
                    if let node = Self.member(number).withUnsafeBytes({ list.node(for: $0) }) { list.remove(node) }
                }
            }
        } while cursor != 0
        for number in 0..<300 { #expect(seen.contains(Self.member(number))) }
    }
}
