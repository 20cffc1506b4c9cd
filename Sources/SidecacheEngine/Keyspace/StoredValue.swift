/// The value of a key, as Redis keeps a `robj`: its type and encoding together.
///
/// Strings have Redis's three encodings. `integer` holds a string that reads back as the
/// same decimal digits (`OBJECT ENCODING` → `int`); `embedded` keeps short values inside the
/// key's own allocation, after the key bytes (`embstr`, at most 44 bytes as in Redis);
/// `raw` holds any other string in its own array, which APPEND and SETRANGE grow in place.
/// The other data types join this enum with their own issue.
package enum StoredValue: Sendable {
    case integer(Int64)
    case embedded(UInt32)
    case raw([UInt8])

    /// Redis's largest `embstr`: an object header and an sds header in one 64-byte allocation.
    package static let embeddedLimit = 44

    /// The type name TYPE answers.
    package var typeName: StaticString {
        switch self {
        case .integer, .embedded, .raw: "string"
        }
    }

    /// The encoding name OBJECT ENCODING answers.
    package var encodingName: StaticString {
        switch self {
        case .integer: "int"
        case .embedded: "embstr"
        case .raw: "raw"
        }
    }

    package var isString: Bool {
        switch self {
        case .integer, .embedded, .raw: true
        }
    }
}
