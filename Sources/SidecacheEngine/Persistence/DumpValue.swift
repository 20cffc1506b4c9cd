/// A value as DUMP/RESTORE carry it, independent of how the keyspace stores it.
///
/// Collections are never empty in a valid payload (Redis refuses to restore an empty key).
/// Members of a set, fields of a hash and members of a sorted set are unique.
package enum DumpValue: Hashable, Sendable {
    case string([UInt8])
    /// Elements head to tail.
    case list([[UInt8]])
    /// Members in no particular order.
    case set([[UInt8]])
    /// Field-value pairs; the order is kept in the small (listpack) encoding.
    case hash([HashField])
    /// Members with their scores; decoding yields them ascending by score, then by member.
    case sortedSet([ScoredMember])

    package struct HashField: Hashable, Sendable {
        package var field: [UInt8]
        package var value: [UInt8]

        package init(field: [UInt8], value: [UInt8]) {
            self.field = field
            self.value = value
        }
    }

    package struct ScoredMember: Hashable, Sendable {
        package var member: [UInt8]
        /// Never NaN.
        package var score: Double

        package init(member: [UInt8], score: Double) {
            self.member = member
            self.score = score
        }

        /// Redis's sorted-set order: by score, then by member bytes (`memcmp`, shorter first).
        package static func precedes(_ a: Self, _ b: Self) -> Bool {
            if a.score != b.score { return a.score < b.score }
            return a.member.lexicographicallyPrecedes(b.member)
        }
    }
}
