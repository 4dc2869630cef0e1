import GRDB

/// The one migrator of the local store: one migration per file of `schemas/sqlite/`, in order.
///
/// Migrations are only ever appended. A store that has applied a migration this build does not know
/// was written by a newer version, and ``BoxOffice/open(path:configuration:)`` refuses it untouched.
enum Migrations {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        for migration in EmbeddedSchema.migrations {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }()

    /// The identifier of the newest migration this build knows.
    static var latest: String { EmbeddedSchema.migrations.last!.name }
}
