import Foundation
import GRDB

/// The one migrator of the local store: one migration per file of `schemas/sqlite/migrations/`, in order.
///
/// Migrations are only ever appended. A store that has applied a migration this build does not know
/// was written by a newer version, and ``BoxOffice/open(path:configuration:ifMissing:)`` refuses it untouched.
/// The store's triggers and views are not migrations: see ``StoreRules``.
enum Migrations {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        for migration in EmbeddedSchema.migrations {
            add(migration.name, sql: migration.sql, to: &migrator)
        }
        return migrator
    }()

    /// Registers one migration: in its transaction the store's rules stand aside (``StoreRules``),
    /// the migration runs, and the rules are put back.
    static func add(_ name: String, sql: String, to migrator: inout DatabaseMigrator) {
        migrator.registerMigration(name) { db in
            try StoreRules.drop(db)
            try db.execute(sql: sql)
            try StoreRules.replace(db, now: Date())
        }
    }

    /// The identifier of the newest migration this build knows.
    static var latest: String { EmbeddedSchema.migrations.last!.name }

    /// The migrations of the layout before rules had files of their own (development builds up to
    /// December 2026); a store that applied them is refused with "re-create it".
    static let earlierLayout: Set<String> = ["0001_initial", "0002_sync", "0003_booking_numbers", "0004_displaced_tickets"]
}
