extension DumpValue {
    /// The bytes of the value's contents: a string's length, the sum of a collection's
    /// elements (fields and values; 8 per score). What `max_value_bytes` limits, whatever
    /// the serialized form compresses to.
    package var contentBytes: Int {
        switch self {
        case .string(let bytes): bytes.count
        case .list(let elements), .set(let elements): elements.reduce(0) { $0 + $1.count }
        case .hash(let fields): fields.reduce(0) { $0 + $1.field.count + $1.value.count }
        case .sortedSet(let members): members.reduce(0) { $0 + $1.member.count + 8 }
        }
    }
}
