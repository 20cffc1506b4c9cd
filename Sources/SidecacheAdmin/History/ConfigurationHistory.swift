import Foundation
import GRDB

/// The configuration history: an append-only SQLite table (GRDB over the system SQLite, WAL
/// mode) in the data directory. Rows are only ever inserted; triggers refuse updates and
/// deletes, so a version, once recorded, keeps its document for good.
final class ConfigurationHistory: Sendable {
    /// The database file inside the data directory.
    static let fileName = "config-history.sqlite"

    private let pool: DatabasePool

    /// Opens (creating when missing) the history in `directory`, which is created too, and
    /// brings its schema up to date.
    init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: (directory as NSString).appendingPathComponent(Self.fileName), configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    /// The schema, one migration per change; a migration that has run is never edited.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: configuration_version") { db in
            try db.create(table: ConfigurationRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("version")
                table.column("created_at", .datetime).notNull()
                table.column("source", .text).notNull()
                table.column("comment", .text)
                table.column("document", .text).notNull()
                table.column("checksum", .text).notNull()
                table.column("summary", .text).notNull()
            }
            for operation in ["UPDATE", "DELETE"] {
                try db.execute(sql: """
                    CREATE TRIGGER configuration_version_no_\(operation.lowercased())
                    BEFORE \(operation) ON configuration_version
                    BEGIN SELECT RAISE(ABORT, 'the configuration history is append-only'); END
                    """)
            }
        }
        return migrator
    }

    /// Inserts `record`; returns it with its version.
    /// Synchronous, so that a caller holding its own serialisation (`ConfigurationManager`)
    /// never suspends between applying a configuration and recording it.
    func append(_ record: ConfigurationRecord) throws -> ConfigurationRecord {
        try pool.write { db in
            var record = record
            try record.insert(db)
            return record
        }
    }

    /// The newest version, or nil when nothing is recorded yet.
    func latest() throws -> ConfigurationRecord? {
        try pool.read { db in
            try ConfigurationRecord.order(Column("version").desc).fetchOne(db)
        }
    }

    func record(version: Int64) throws -> ConfigurationRecord? {
        try pool.read { db in try ConfigurationRecord.fetchOne(db, key: version) }
    }

    /// At most `limit` versions below `before` (all when nil), newest first.
    func page(limit: Int, before: Int64?) throws -> [ConfigurationRecord] {
        try pool.read { db in
            var request = ConfigurationRecord.order(Column("version").desc).limit(limit)
            if let before { request = request.filter(Column("version") < before) }
            return try request.fetchAll(db)
        }
    }

    /// The database's journal mode ("wal").
    func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
