/// The value of a key, as Redis keeps a `robj`: its type and encoding together.
///
/// Strings have Redis's three encodings. `integer` holds a string that reads back as the
/// same decimal digits (`OBJECT ENCODING` → `int`); `embedded` keeps short values inside the
/// key's own allocation, after the key bytes (`embstr`, at most 44 bytes as in Redis);
/// `raw` holds any other string in its own array, which APPEND and SETRANGE grow in place.
/// HyperLogLogs are strings, as in Redis.
///
/// The collection types are classes (`CollectionValue`): commands change them in place
/// through the reference the entry holds, and the enum stays one pointer and a tag.
package enum StoredValue: Sendable {
    case integer(Int64)
    case embedded(UInt32)
    case raw([UInt8])
    case list(ListValue)
    case hash(HashValue)
    case set(SetValue)
    case sortedSet(SortedSetValue)
    /// A RedisBloom scalable Bloom filter (`BF.*`).
    case bloom(BloomFilterValue)

    /// Redis's largest `embstr`: an object header and an sds header in one 64-byte allocation.
    package static let embeddedLimit = 44

    /// The type name TYPE answers.
    package var typeName: StaticString {
        switch self {
        case .integer, .embedded, .raw: "string"
        case .list: "list"
        case .hash: "hash"
        case .set: "set"
        case .sortedSet: "zset"
        case .bloom: "MBbloom--"
        }
    }

    /// The encoding name OBJECT ENCODING answers.
    package var encodingName: StaticString {
        switch self {
        case .integer: "int"
        case .embedded: "embstr"
        case .raw: "raw"
        case .list(let value): value.encodingName
        case .hash(let value): value.encodingName
        case .set(let value): value.encodingName
        case .sortedSet(let value): value.encodingName
        case .bloom(let value): value.encodingName
        }
    }

    package var isString: Bool {
        switch self {
        case .integer, .embedded, .raw: true
        default: false
        }
    }

    /// The collection behind a non-string value.
    package var collection: (any CollectionValue)? {
        switch self {
        case .integer, .embedded, .raw: nil
        case .list(let value): value
        case .hash(let value): value
        case .set(let value): value
        case .sortedSet(let value): value
        case .bloom(let value): value
        }
    }

    // Typed views, for `Database.lookupRead(_:as:for:)` and friends.
    package var list: ListValue? { if case .list(let value) = self { value } else { nil } }
    package var hash: HashValue? { if case .hash(let value) = self { value } else { nil } }
    package var set: SetValue? { if case .set(let value) = self { value } else { nil } }
    package var sortedSet: SortedSetValue? { if case .sortedSet(let value) = self { value } else { nil } }
    package var bloom: BloomFilterValue? { if case .bloom(let value) = self { value } else { nil } }
}

/// What every non-string value offers the key-level commands (OBJECT, MEMORY USAGE, COPY,
/// DUMP). Values are mutable classes guarded by the keyspace lock.
package protocol CollectionValue: AnyObject, Sendable {
    /// OBJECT ENCODING's answer (`listpack`, `quicklist`, `intset`, `hashtable`, `skiplist`).
    var encodingName: StaticString { get }
    /// An estimate of the bytes the value holds in our layout (MEMORY USAGE), without the
    /// key's entry.
    var estimatedMemoryUsage: Int { get }
    /// The value as DUMP serializes it; `nil` for a type Redis cannot serialize without a module.
    var dumpValue: DumpValue? { get }
    /// An independent copy (COPY).
    func copy() -> Self
}
