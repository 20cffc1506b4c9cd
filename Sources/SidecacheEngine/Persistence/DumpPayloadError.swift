/// Why a DUMP payload was refused. Two kinds, as RESTORE reports them; `detail` says what
/// exactly was wrong, for logs and tests, and is never sent to clients.
package struct DumpPayloadError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Kind: Hashable, Sendable {
        /// The footer is missing, the RDB version is newer than we read, or the CRC64 differs.
        case versionOrChecksum
        /// The body is malformed, truncated, of a type we do not read, or an empty collection.
        case badDataFormat
    }

    package let kind: Kind
    package let detail: String

    package init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    static func badData(_ detail: String) -> Self { Self(.badDataFormat, detail) }

    /// The error reply redis-server 7.0 gives RESTORE for such a payload.
    package var redisMessage: String {
        switch kind {
        case .versionOrChecksum: "ERR DUMP payload version or checksum are wrong"
        case .badDataFormat: "ERR Bad data format"
        }
    }

    package var description: String { "\(redisMessage) (\(detail))" }
}
