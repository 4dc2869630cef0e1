import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// A studio may wait for its layout (an imported studio the old system had no seats for), and the
/// store keeps a layout and its seat count together either way.
struct StudioWithoutLayoutTests {
    @Test func aStudioIsEitherWithoutLayoutAndSeatsOrHasBoth() async throws {
        let store = try TestStore()
        try await store.box.writer.write { db in
            try db.execute(sql: """
                INSERT INTO cinemas (id, name, city, created_at, updated_at, hlc) VALUES ('c', 'Braga', 'Bandung', 't', 't', 'h');
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES ('s', 'c', 'Studio 1', 'rows A-A; seats 1-1', 1, 't', 't', 'h');
                DELETE FROM change_log;
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES ('s2', 'c', 'Studio 2', '', 0, 't', 't', 'h');
                """)
            #expect(try String.fetchAll(db, sql: "SELECT entity FROM change_log") == ["studios"])
            // A layout whose seats are not counted, seats without a layout, and a name taken are refused.
            for (id, name, spec, count) in [("s3", "Studio 3", "rows A-A; seats 1-1", 0), ("s4", "Studio 4", "", 1),
                                            ("s5", "Studio 1", "", 0)] {
                #expect(throws: DatabaseError.self, "\(id)") {
                    try db.execute(sql: """
                        INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                        VALUES (?, 'c', ?, ?, ?, 't', 't', 'h')
                        """, arguments: [id, name, spec, count])
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
}
