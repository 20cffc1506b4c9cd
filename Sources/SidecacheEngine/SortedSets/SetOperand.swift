/// One input of ZUNION, ZINTER, ZDIFF and ZINTERCARD (Redis's `zsetopsrc`): a sorted set,
/// a set read as a sorted set whose scores are all 1, or a missing key (empty).
enum SetOperand {
    case missing
    case sortedSet(SortedSetValue)
    case set(SetOperandMembers)

    var count: Int {
        switch self {
        case .missing: 0
        case .sortedSet(let value): value.count
        case .set(let members): members.count
        }
    }

    /// The member's score (1 for a set member), or `nil` when absent (`zuiFind`).
    func score(of member: UnsafeRawBufferPointer) -> Double? {
        switch self {
        case .missing: nil
        case .sortedSet(let value): value.score(of: member)
        case .set(let members): members.contains(member) ? 1 : nil
        }
    }

    /// Every member with its score. (Redis walks sorted sets from the highest rank down;
    /// the order changes nothing in the results, which are sorted, and a packed set is
    /// cheaper to walk from the head.)
    func forEach(_ body: (UnsafeRawBufferPointer, Double) -> Void) {
        switch self {
        case .missing:
            break
        case .sortedSet(let value):
            value.forEach(ranks: 0..<value.count, body)
        case .set(let members):
            members.forEach { body($0, 1) }
        }
    }
}

/// A set's members for the sorted-set operations.
///
/// TODO(sets): read `SetValue` directly (its member iteration and membership test) once its
/// API lands; until then the members come through `dumpValue`, the one view every
/// collection offers, which copies them.
struct SetOperandMembers {
    private let members: [[UInt8]]
    private let lookup: Set<[UInt8]>

    init(_ value: SetValue) {
        if case .set(let members) = value.dumpValue {
            self.members = members
        } else {
            self.members = []
        }
        lookup = Set(members)
    }

    var count: Int { members.count }

    func contains(_ member: UnsafeRawBufferPointer) -> Bool { lookup.contains(Array(member)) }

    func forEach(_ body: (UnsafeRawBufferPointer) -> Void) {
        for member in members { member.withUnsafeBytes(body) }
    }
}
