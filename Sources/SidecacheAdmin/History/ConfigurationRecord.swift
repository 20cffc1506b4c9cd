import Foundation
import GRDB
import SidecacheServer

/// One configuration the process ran with: a row of the history, never changed once written.
struct ConfigurationRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    /// Where a configuration came from.
    enum Source: String, Codable, Sendable {
        case startup, file, api, rollback
    }

    static let databaseTableName = "configuration_version"

    /// 1, 2, 3, … in the order applied; assigned by the database.
    var version: Int64?
    var createdAt: Date
    var source: Source
    var comment: String?
    /// The whole YAML (or JSON) document.
    var document: String
    /// SHA-256 of `document`, hex.
    var checksum: String
    /// What changed from the previous version, in a line.
    var summary: String

    enum CodingKeys: String, CodingKey {
        case version, source, comment, document, checksum, summary
        case createdAt = "created_at"
    }

    init(createdAt: Date, source: Source, comment: String?, document: String, summary: String) {
        self.createdAt = createdAt
        self.source = source
        self.comment = comment
        self.document = document
        self.checksum = SHA256.hex(Array(document.utf8))
        self.summary = summary
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        version = inserted.rowID
    }
}
