import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// A store this build must not touch is refused and left byte-identical; one whose rules differ
/// from this build's gets this build's rules; one that matches is left as it is.
struct VersionGuardTests {
    /// Makes a store, lets `edit` change it behind the kit's back, and returns its path and bytes.
    private func storeEdited(_ edit: (Database) throws -> Void) throws -> (path: String, bytes: Data) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("boxoffice-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("store.sqlite").path
        do {
            let box = try BoxOffice.open(path: path)
            try box.writer.write(edit)
            try (box.writer as? DatabasePool)?.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        }  // the pool closes here
        return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func expectRefusedUntouched(_ store: (path: String, bytes: Data), with expected: StoreError) {
        #expect(throws: expected) { _ = try BoxOffice.open(path: store.path) }
        #expect((try? Data(contentsOf: URL(fileURLWithPath: store.path))) == store.bytes)
        #expect(expected.kind == .storeUnusable)
    }

    @Test func aStoreWithANewerMigrationIsRefusedAndLeftByteIdentical() throws {
        let store = try storeEdited { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
        }
        expectRefusedUntouched(store, with: .newerSchema(path: store.path, parts: ["9999_from_the_future"]))
    }

    @Test func aStoreWhoseRulesCameFromANewerBuildIsRefusedRatherThanDowngraded() throws {
        let store = try storeEdited { db in
            try db.execute(sql: "UPDATE store_rules SET version = version + 1 WHERE name = 'booking_states'")
        }
        let version = try #require(StoreRules.rules.first { $0.name == "booking_states" }).version
        expectRefusedUntouched(store, with: .newerSchema(path: store.path, parts: ["booking_states version \(version + 1)"]))
    }

    @Test func aRuleThatChangedWithoutANewVersionIsRefused() throws {
        let store = try storeEdited { db in
            try db.execute(sql: "UPDATE store_rules SET checksum = 'edited' WHERE name = 'tickets'")
        }
        let version = try #require(StoreRules.rules.first { $0.name == "tickets" }).version
        expectRefusedUntouched(store, with: .ruleEdited(path: store.path, rule: "tickets", version: version))
    }

    @Test func aStoreOfTheEarlierLayoutIsRefusedWithReCreateIt() throws {
        let store = try storeEdited { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('0002_sync')")
        }
        let error = StoreError.madeByEarlierBuild(path: store.path)
        expectRefusedUntouched(store, with: error)
        #expect(error.description.contains("re-create it"))
    }

    @Test func olderRulesAreReplacedAndCurrentOnesLeftAlone() throws {
        // An older build's rules: without two of this build's files, with a trigger this build does not have.
        let store = try storeEdited { db in
            try db.execute(sql: "DELETE FROM store_rules WHERE name IN ('showtimes', 'tickets')")
            try db.execute(sql: "DROP TRIGGER showtimes_no_overlap_insert")
            try db.execute(sql: "CREATE TRIGGER retired_rule AFTER INSERT ON cinemas BEGIN SELECT 1; END")
        }
        let reopened = try BoxOffice.open(path: store.path)
        let (rules, triggers) = try reopened.writer.read { db in
            (try Row.fetchAll(db, sql: "SELECT name, version, checksum FROM store_rules ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"))
        }
        #expect(rules.map { $0["name"] as String } == StoreRules.rules.map(\.name))
        #expect(rules.map { $0["checksum"] as String } == StoreRules.rules.map(\.checksum))
        #expect(!triggers.contains("retired_rule"))
        #expect(triggers.contains("showtimes_no_overlap_insert") && triggers.contains("tickets_seat_of_showtime_studio"))

        // Opened again by the same build: nothing is applied again.
        let appliedAt = try reopened.writer.read { db in try String.fetchAll(db, sql: "SELECT applied_at FROM store_rules") }
        let again = try BoxOffice.open(path: store.path)
        #expect(try again.writer.read { db in try String.fetchAll(db, sql: "SELECT applied_at FROM store_rules") } == appliedAt)
    }

    @Test func aMigrationIsFollowedByTheRulesAgain() throws {
        // A later migration that rebuilds `showtimes` (as SQLite alters tables) drops its triggers.
        let store = try storeEdited { _ in }
        let pool = try DatabasePool(path: store.path)
        let (table, indexes) = try pool.read { db in
            (try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'showtimes'") ?? "",
             try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'showtimes' AND sql IS NOT NULL"))
        }
        var migrator = Migrations.migrator
        Migrations.add("9999_rebuild_showtimes", sql: """
            \(table.replacingOccurrences(of: "CREATE TABLE showtimes", with: "CREATE TABLE showtimes_new"));
            INSERT INTO showtimes_new SELECT * FROM showtimes;
            DROP TABLE showtimes;
            ALTER TABLE showtimes_new RENAME TO showtimes;
            \(indexes.map { $0 + ";" }.joined(separator: "\n"))
            """, to: &migrator)
        try BoxOffice.migrate(pool, path: store.path, now: Date(), migrator: migrator)
        let triggers = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'showtimes'")
        }
        #expect(Set(triggers).isSuperset(of: ["showtimes_no_overlap_insert", "showtimes_log_insert"]), "\(triggers)")
    }

    @Test func everyRuleFileDeclaresItsVersion() {
        #expect(!StoreRules.rules.isEmpty)
        for rule in StoreRules.rules {
            #expect(rule.version >= 1, "schemas/sqlite/rules/\(rule.name).sql has no `-- version: N` line")
        }
    }
}
