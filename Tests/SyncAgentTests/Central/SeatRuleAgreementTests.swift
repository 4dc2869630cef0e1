import Foundation
import GRDB
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// The seat rule exists twice — `SeatStates` (the counter's SQLite) and head office's
/// `rules/seats.sql` (PostgreSQL) — and both say the same of every case: what a ticket's booking
/// state, its hold, a block and an allotment make of one seat, for one node.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct SeatRuleAgreementTests {
    /// One seat's situation: its ticket's booking (state, hold expiry from now, ticket status), a
    /// block, an allotment (to the asking node or another), and whether the seat is taken.
    struct Case: CustomStringConvertible, Sendable {
        var booking: (status: String, holdFromNow: TimeInterval?, ticket: String)?
        var blocked = false
        var allottedTo: String?
        var taken: Bool

        var description: String {
            [booking.map { "\($0.status) hold \($0.holdFromNow.map { "\(Int($0))s" } ?? "none") ticket \($0.ticket)" },
             blocked ? "blocked" : nil, allottedTo.map { "allotted to \($0)" }].compactMap { $0 }.joined(separator: ", ")
        }
    }

    static let cases: [Case] = [
        Case(taken: false),
        Case(booking: ("paid", nil, "active"), taken: true),
        Case(booking: ("paid", nil, "released"), taken: false),
        Case(booking: ("held", 3600, "active"), taken: true),
        Case(booking: ("held", -3600, "active"), taken: false),
        Case(booking: ("pending_payment", 3600, "active"), taken: true),
        Case(booking: ("pending_payment", -3600, "active"), taken: false),
        Case(booking: ("pending_payment", nil, "active"), taken: true),
        Case(booking: ("cancelled", nil, "active"), taken: false),
        Case(booking: ("expired", nil, "active"), taken: false),
        Case(booking: ("refunded", nil, "active"), taken: false),
        Case(booking: ("held", 3600, "released"), taken: false),
        Case(blocked: true, taken: true),
        Case(allottedTo: "this", taken: false),
        Case(allottedTo: "other", taken: true),
        Case(booking: ("paid", nil, "active"), allottedTo: "this", taken: true),
        Case(booking: ("held", -3600, "active"), allottedTo: "this", taken: false),
        Case(blocked: true, allottedTo: "this", taken: true),
    ]

    @Test func theCounterAndHeadOfficeSayTheSameOfEveryCase() async throws {
        let central = try CentralFixture()
        let other = try central.counter("other")
        let thisNode = central.hq.name
        let database = try PostgresConnection(url: central.databaseURL)
        let box = try BoxOffice.inMemory()
        let seatID = central.seatID("A1")
        let (cinemaID, studioID, showtimeID) = (central.cinemaID, central.studioID, central.showtimeID)
        try await box.writer.write { db in
            try db.execute(sql: """
                INSERT INTO cinemas (id, name, city, created_at, updated_at, hlc) VALUES (?, 'Jakarta', 'Jakarta', '2026-01-01', '2026-01-01', '');
                INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                VALUES (?, ?, 'Studio 1', 'A1', 1, '2026-01-01', '2026-01-01', '');
                INSERT INTO seats (id, studio_id, row_label, number, label, kind, grid_row, grid_column, hlc)
                VALUES (?, ?, 'A', 1, 'A1', 'regular', 0, 0, '');
                INSERT INTO movies (id, title, duration_minutes, created_at, updated_at, hlc) VALUES ('movie-1', 'Laskar Pelangi', 120, '2026-01-01', '2026-01-01', '');
                INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price, created_at, updated_at, hlc)
                VALUES (?, ?, ?, 'movie-1', '2030-01-01 12:00:00.000', '2030-01-01 14:00:00.000', 50000, '2026-01-01', '2026-01-01', '');
                """, arguments: [cinemaID, studioID, cinemaID, seatID, studioID,
                                 showtimeID, cinemaID, studioID])
        }

        for example in Self.cases {
            let now = Date()
            // The counter: this store is the asking node.
            let counterSays: Bool = try await box.writer.write { db in
                var taken = false
                try db.inSavepoint {
                    if let booking = example.booking {
                        try db.execute(sql: """
                            INSERT INTO bookings (id, code, showtime_id, node_id, channel, status, total, payment_method_id,
                                                  hold_expires_at, sold_at, created_at, updated_at, hlc)
                            VALUES ('b', 'B-1', ?, 'elsewhere', 'counter', ?, 50000, '00000000-0000-7000-8000-000000000001',
                                    ?, ?, ?, ?, '')
                            """, arguments: [showtimeID, booking.status, booking.holdFromNow.map { now.addingTimeInterval($0) },
                                             now, now, now])
                        try db.execute(sql: """
                            INSERT INTO tickets (id, booking_id, showtime_id, seat_id, price, status, created_at, updated_at, hlc)
                            VALUES ('t', 'b', ?, ?, 50000, ?, ?, ?, '')
                            """, arguments: [showtimeID, seatID, booking.ticket, now, now])
                    }
                    if example.blocked {
                        try db.execute(sql: "INSERT INTO seat_blocks (showtime_id, seat_id, hlc) VALUES (?, ?, '')",
                                       arguments: [showtimeID, seatID])
                    }
                    if let owner = example.allottedTo {
                        try db.execute(sql: "INSERT INTO seat_allotments (showtime_id, seat_id, node_id, hlc) VALUES (?, ?, ?, '')",
                                       arguments: [showtimeID, seatID, owner == "this" ? box.nodeID : "other-store"])
                    }
                    taken = try SeatStates.standing(db, showtimeID: showtimeID, seatIDs: [seatID], now: now, node: box.nodeID)
                        .contains { $0.seatID == seatID && $0.state != .free }
                    return .rollback
                }
                return taken
            }

            // Head office: the fixture's head-office node is the asking node.
            try database.execute("BEGIN")
            if let booking = example.booking {
                try database.query("""
                    INSERT INTO central.bookings (id, code, cinema_id, showtime_id, origin_node, status, hold_expires_at, hlc, payload)
                    VALUES ('b', 'B-1', $1, $2, $3, $4, now() + make_interval(secs => $5::double precision), '', '{}')
                    """, [cinemaID, showtimeID, other.registration.name, booking.status,
                          booking.holdFromNow.map { String($0) }])
                try database.query("""
                    INSERT INTO central.tickets (id, booking_id, cinema_id, showtime_id, seat_id, status, hlc, payload)
                    VALUES ('t', 'b', $1, $2, $3, $4, '', '{}')
                    """, [cinemaID, showtimeID, seatID, booking.ticket])
            }
            if example.blocked {
                try database.query("INSERT INTO central.seat_blocks (showtime_id, seat_id, cinema_id, hlc, payload) VALUES ($1, $2, $3, '', '{}')",
                                   [showtimeID, seatID, cinemaID])
            }
            if let owner = example.allottedTo {
                try database.query("INSERT INTO central.seat_allotments (showtime_id, seat_id, cinema_id, node_name, hlc) VALUES ($1, $2, $3, $4, '')",
                                   [showtimeID, seatID, cinemaID, owner == "this" ? thisNode : other.registration.name])
            }
            let headOfficeSays = try database.query("SELECT central.seat_is_taken($1, $2, $3, NULL)",
                                                    [showtimeID, seatID, thisNode]).scalar == "t"
            try database.execute("ROLLBACK")

            #expect(counterSays == example.taken, "the counter, \(example)")
            #expect(headOfficeSays == example.taken, "head office, \(example)")
        }
    }
}
