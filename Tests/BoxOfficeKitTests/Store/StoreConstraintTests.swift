import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Every named constraint of the store is recognised by its extended result code and its name,
/// never by the wording of SQLite's message.
struct StoreConstraintTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    /// Every constraint a case below broke, to prove each one of ``StoreConstraint`` has a case.
    private let seen = Seen()

    final class Seen: @unchecked Sendable {
        // @unchecked: only the test's own task touches it, one case after the other.
        var constraints: Set<StoreConstraint> = []
    }

    /// Runs `sql` (meant to break one constraint) and returns what the store helper names.
    private func broken(_ sql: String, _ arguments: StatementArguments = []) async throws -> StoreConstraint? {
        let constraint: StoreConstraint? = try await fixture.box.writer.write { db in
            do {
                try db.execute(sql: sql, arguments: arguments)
                return nil
            } catch let error as DatabaseError {
                return db.brokenConstraint(error)
            }
        }
        if let constraint { seen.constraints.insert(constraint) }
        return constraint
    }

    @Test func eachNamedConstraintIsRecognisedByName() async throws {
        let sale = try await fixture.box.sales.sell(showtime: fixture.upcoming, seats: ["A1"], method: "cash", by: fixture.cashier)
        let a1 = try fixture.seatID("A1")
        let now = "2026-01-01 00:00:00.000"
        #expect(try await broken("""
            INSERT INTO tickets (id, booking_id, showtime_id, seat_id, price, status, created_at, updated_at, hlc)
            VALUES ('t2', ?, ?, ?, 1, 'active', ?, ?, '')
            """, [sale.id, fixture.upcoming, a1, now, now]) == .oneActiveTicketPerSeat)
        #expect(try await broken("""
            INSERT INTO users (id, name, email, password_hash, role, created_at, updated_at, hlc)
            VALUES ('u2', 'Twin', ?, 'x', 'customer', ?, ?, '')
            """, [SalesFixture.customerEmail.uppercased(), now, now]) == .oneAccountPerEmail)
        #expect(try await broken("""
            INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
            VALUES ('s2', ?, 'Studio 1', 'A1', 1, ?, ?, '')
            """, [fixture.cinemaID, now, now]) == .oneStudioNamePerCinema)
        #expect(try await broken("""
            INSERT INTO bookings (id, code, showtime_id, node_id, channel, status, total, created_at, updated_at, hlc)
            VALUES ('b2', ?, ?, 'n', 'counter', 'cancelled', 0, ?, ?, '')
            """, [sale.code, fixture.upcoming, now, now]) == .oneBookingPerCode)
        #expect(try await broken("""
            INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price, created_at, updated_at, hlc)
            SELECT 'clash', cinema_id, studio_id, movie_id, starts_at, ends_at, 1, created_at, updated_at, hlc FROM showtimes WHERE id = ?
            """, [fixture.upcoming]) == .showtimesDoNotOverlap)
        #expect(try await broken("""
            INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price, created_at, updated_at, hlc)
            SELECT 'elsewhere', 'no-such-cinema', studio_id, movie_id, '2031-01-01', '2031-01-02', 1, created_at, updated_at, hlc
            FROM showtimes WHERE id = ?
            """, [fixture.upcoming]) == .showtimeStudioOfCinema)
        #expect(try await broken("""
            INSERT INTO tickets (id, booking_id, showtime_id, seat_id, price, status, created_at, updated_at, hlc)
            VALUES ('t3', ?, ?, ?, 1, 'released', ?, ?, '')
            """, [sale.id, fixture.upcoming, try fixture.seatID("A1", studio: fixture.otherStudioID), now, now])
                == .ticketSeatOfShowtimeStudio)
        #expect(try await broken("UPDATE bookings SET status = 'held' WHERE id = ?", [sale.id]) == .bookingStatusMovesForward)
        #expect(seen.constraints == Set(StoreConstraint.allCases), "every named constraint has its case")
        // Any other constraint is none of these.
        #expect(try await broken("INSERT INTO cinemas (id, name, city, created_at, updated_at, hlc) VALUES ('c', ' ', 'x', ?, ?, '')",
                                 [now, now]) == nil)
    }
}
