import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Migration 0002 rebuilds `studios` (a studio may wait for its layout), which drops the table's
/// change-log triggers: a store made before keeps its rows, gets its rules again and keeps journalling.
struct LegacyImportMigrationTests {
    @Test func aStoreMadeBeforeKeepsItsStudiosAndTheirJournal() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("store.sqlite").path
        try Self.makeStoreOfSchema0001(at: path)

        let box = try BoxOffice.open(path: path)
        try box.writer.write { db in
            #expect(try String.fetchOne(db, sql: "SELECT layout_spec FROM studios WHERE id = 's'") == "rows A-A; seats 1-1")
            #expect(try String.fetchAll(db, sql: "SELECT label FROM seats WHERE studio_id = 's'") == ["A1"])
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'studios_log_%'
                """) == 3)
            try db.execute(sql: "DELETE FROM change_log")
            try db.execute(sql: """
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES ('s2', 'c', 'Studio 2', '', 0, 't', 't', 'h')
                """)
            #expect(try String.fetchAll(db, sql: "SELECT entity FROM change_log") == ["studios"])
            // A layout whose seats are not counted is refused; two studios of one name still are.
            for (id, name, spec) in [("s3", "Studio 3", "rows A-A; seats 1-1"), ("s4", "Studio 1", "")] {
                #expect(throws: DatabaseError.self) {
                    try db.execute(sql: """
                        INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                        VALUES (?, 'c', ?, ?, 0, 't', 't', 'h')
                        """, arguments: [id, name, spec])
                }
            }
            try db.execute(sql: """
                INSERT INTO movies (id, title, duration_minutes, created_at, updated_at, hlc) VALUES ('m', 'Dilan 1990', 110, 't', 't', 'h');
                INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price, created_at, updated_at, hlc)
                VALUES ('st', 'c', 's', 'm', '2026-01-02 12:30:00.000', '2026-01-02 14:35:00.000', 50000, 't', 't', 'h');
                """)
            let payload = try String.fetchOne(db, sql: "SELECT payload FROM change_log WHERE entity = 'showtimes'")
            #expect(payload?.contains(#""price_needed":0"#) == true)
        }
    }

    /// Makes a store at `path` as schema 0001 and its rules left stores, with a studio and a seat.
    static func makeStoreOfSchema0001(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "0001_store")
        try queue.write { db in
            try StoreRules.apply(db, path: path, now: Date())
            try db.execute(sql: """
                INSERT INTO cinemas (id, name, city, created_at, updated_at, hlc) VALUES ('c', 'Braga', 'Bandung', 't', 't', 'h');
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES ('s', 'c', 'Studio 1', 'rows A-A; seats 1-1', 1, 't', 't', 'h');
                INSERT INTO seats VALUES ('se', 's', 'A', 1, 'A1', 'regular', 0, 0, 'h');
                """)
        }
    }
}
