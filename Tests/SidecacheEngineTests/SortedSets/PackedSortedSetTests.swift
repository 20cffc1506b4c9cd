@testable import SidecacheEngine
import Testing

/// The packed (front- and rear-coded) layout against a sorted array: members that are
/// prefixes and suffixes of each other, empty members, long ones, every score width.
@Suite("Packed sorted set")
struct PackedSortedSetTests {
    static let members: [[UInt8]] = {
        var pool: [[UInt8]] = [[], [0], [0, 0], Array("a".utf8), Array("ab".utf8), Array("abc".utf8), Array("abcabc".utf8)]
        for number in 0..<20 { pool.append(Array("member:\(number % 10):000123\(number)".utf8)) }
        pool.append(Array(repeating: UInt8(ascii: "x"), count: 300))
        pool.append(Array(repeating: UInt8(ascii: "x"), count: 299) + [UInt8(ascii: "y")])
        pool.append([UInt8(ascii: "y")] + Array(repeating: UInt8(ascii: "x"), count: 299))
        return pool
    }()

    static let scores: [Double] = [0, -0.0, 1, -1, 127, -128, 128, 40_000, -40_000, 3e9, 0.1, -1e-300, .infinity, -.infinity]

    static func contents(_ set: PackedSortedSet) -> [SortedSetModel.Member] {
        var result: [SortedSetModel.Member] = []
        set.forEach { _, member, score in
            result.append(.init(member: Array(member), score: score))
            return true
        }
        return result
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func matchesTheModelUnderRandomOperations(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var set = PackedSortedSet()
        defer { set.deallocate() }
        var model = SortedSetModel()
        for _ in 0..<2000 {
            let member = Self.members.randomElement(using: &random)!
            let score = Self.scores.randomElement(using: &random)!
            switch Int.random(in: 0..<4, using: &random) {
            case 0, 1:
                if let (rank, _) = member.withUnsafeBytes({ set.find($0) }) {
                    set.splice(removing: rank..<(rank + 1), inserting: nil)
                }
                member.withUnsafeBytes { bytes in
                    let position = set.insertionRank(bytes, score: score)
                    set.splice(removing: position..<position, inserting: (bytes, score))
                }
                // The packed form keeps an integral score as an integer: -0 reads back as 0.
                model.set(member, score == 0 ? 0 : score)
            case 2:
                if let (rank, _) = member.withUnsafeBytes({ set.find($0) }) {
                    set.splice(removing: rank..<(rank + 1), inserting: nil)
                }
                model.remove(member)
            default:
                guard model.count > 0 else { break }
                let start = Int.random(in: 0..<model.count, using: &random)
                let end = min(model.count, start + Int.random(in: 0...3, using: &random))
                set.splice(removing: start..<end, inserting: nil)
                model.removeSubrange(start..<end)
            }
            #expect(set.count == model.count)
            #expect(Self.contents(set) == model.members)
            #expect(Self.contents(set).allSatisfy { $0.score.sign == .plus || $0.score != 0 })
        }
    }

    @Test func builderAndCopyKeepTheMembers() {
        var builder = PackedSortedSet.Builder()
        var expected: [SortedSetModel.Member] = []
        for (index, member) in Self.members.enumerated() {
            member.withUnsafeBytes { builder.append($0, score: Double(index)) }
            expected.append(.init(member: member, score: Double(index)))
        }
        var set = builder.finish()
        var copy = set.copy()
        defer {
            set.deallocate()
            copy.deallocate()
        }
        #expect(Self.contents(set) == expected)
        #expect(Self.contents(copy) == expected)
        #expect(set.byteCount == copy.byteCount)
    }

    /// Ten members differing in one byte, as caches name them, cost 5 bytes each after the
    /// first (2 header bytes, 17 member bytes, 1 score byte).
    @Test func sharedPrefixesAndSuffixesAreStoredOnce() {
        var builder = PackedSortedSet.Builder()
        for number in 0..<10 { Array("member:\(number):00012345".utf8).withUnsafeBytes { builder.append($0, score: Double(number)) } }
        var set = builder.finish()
        defer { set.deallocate() }
        #expect(set.byteCount == 20 + 9 * 5)
    }
}
