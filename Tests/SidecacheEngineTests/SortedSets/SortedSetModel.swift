@testable import SidecacheEngine

/// The obvious sorted set the real structures are checked against: a sorted array.
struct SortedSetModel {
    struct Member: Equatable {
        var member: [UInt8]
        var score: Double
    }

    private(set) var members: [Member] = []

    var count: Int { members.count }

    func index(of member: [UInt8]) -> Int? { members.firstIndex { $0.member == member } }

    /// Inserts or replaces `member`'s score.
    mutating func set(_ member: [UInt8], _ score: Double) {
        if let index = index(of: member) { members.remove(at: index) }
        let position = members.firstIndex { Self.precedes((member, score), ($0.member, $0.score)) } ?? members.count
        members.insert(Member(member: member, score: score), at: position)
    }

    mutating func remove(_ member: [UInt8]) {
        if let index = index(of: member) { members.remove(at: index) }
    }

    mutating func removeSubrange(_ ranks: Range<Int>) { members.removeSubrange(ranks) }

    static func precedes(_ a: ([UInt8], Double), _ b: ([UInt8], Double)) -> Bool {
        a.1 < b.1 || (a.1 == b.1 && a.0.lexicographicallyPrecedes(b.0))
    }

    /// First and last index whose score is in `range`.
    func ranks(in range: ScoreRange) -> (Int, Int)? {
        guard let first = members.firstIndex(where: { range.contains($0.score) }),
            let last = members.lastIndex(where: { range.contains($0.score) })
        else { return nil }
        return (first, last)
    }
}

/// A seeded generator (SplitMix64), so that a failing run can be repeated.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
