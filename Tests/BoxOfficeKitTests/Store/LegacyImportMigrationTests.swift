import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Migration 0005 rebuilds `studios` (a studio may wait for its layout) and 0006 re-creates the
/// change-log triggers it dropped: a store made before keeps its rows and keeps journalling.
struct LegacyImportMigrationTests {
    @Test func aStoreMadeBeforeKeepsItsStudiosAndTheirJournal() async throws {
        let store = try TestStore()
        let box = store.box
        _ = try await box.accounts.createFirstManager(name: "Manager", email: "manager@example.com", password: "manager-pass-1")
        let manager = try await box.accounts.login(email: "manager@example.com", password: "manager-pass-1").principal
        let cinema = try await box.catalog.addCinema(CinemaDraft(name: "Braga", city: "Bandung"), by: manager)
        let studio = try await box.catalog.addStudio(cinemaID: cinema.id, name: "Studio 1", layout: "rows A-B; seats 1-3", by: manager)

        // The same store as a build before the import would have left it, then opened by this build.
        try Self.migrateAStoreOfBuild0004(at: store.directory.appendingPathComponent("old.sqlite").path)

        // The store itself: its studio and seats, and a showtime's new column journalled.
        #expect(try await box.catalog.seats(studioID: studio.id).count == 6)
        let movie = try await box.catalog.addMovie(MovieDraft(title: "Dilan 1990", durationMinutes: 110), by: manager)
        let showtime = try await box.catalog.addShowtime(ShowtimeDraft(
            cinemaID: cinema.id, studioID: studio.id, movieID: movie.id, date: "2026-01-02", time: "19:30", basePrice: 50_000), by: manager)
        let payload = try await box.read { db in
            try String.fetchOne(db, sql: "SELECT payload FROM change_log WHERE entity = 'showtimes' AND entity_id = ?", arguments: [showtime.id])
        }
        #expect(payload?.contains(#""price_needed":0"#) == true)
    }

    /// Makes a store at `path` as schema 0004 left stores, with a studio and a seat, and migrates it.
    static func migrateAStoreOfBuild0004(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "0004_displaced_tickets")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO sync_state (singleton, node_id, code_prefix) VALUES (1, 'node', 'K7QX2M')")
            try db.execute(sql: """
                INSERT INTO cinemas (id, name, city, created_at, updated_at, hlc) VALUES ('c', 'Braga', 'Bandung', 't', 't', 'h');
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES ('s', 'c', 'Studio 1', 'rows A-A; seats 1-1', 1, 't', 't', 'h');
                INSERT INTO seats VALUES ('se', 's', 'A', 1, 'A1', 'regular', 0, 0, 'h');
                """)
        }
        try Migrations.migrator.migrate(queue)
        try queue.write { db in
            #expect(try String.fetchOne(db, sql: "SELECT layout_spec FROM studios WHERE id = 's'") == "rows A-A; seats 1-1")
            #expect(try String.fetchAll(db, sql: "SELECT label FROM seats WHERE studio_id = 's'") == ["A1"])
            #expect(try db.foreignKeyViolations().contains { _ in true } == false)
            try db.execute(sql: "DELETE FROM change_log")
            try db.execute(sql: """
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES ('s2', 'c', 'Studio 2', '', 0, 't', 't', 'h')
                """)
            #expect(try String.fetchAll(db, sql: "SELECT entity FROM change_log") == ["studios"])
            // A layout whose seats are not counted is refused.
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: """
                    INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                    VALUES ('s3', 'c', 'Studio 3', 'rows A-A; seats 1-1', 0, 't', 't', 'h')
                    """)
            }
        }
    }
}
