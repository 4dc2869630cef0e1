import Foundation
import GRDB
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// The booking-states rule exists three times — `BookingStatus` (Swift), the store's
/// `rules/booking_states.sql` (SQLite) and head office's (PostgreSQL) — and they agree on every
/// pair of states, both on where a booking may move and on which copy wins a merge.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct BookingStatesAgreeTests {
    static let pairs = BookingStatus.allCases.flatMap { from in BookingStatus.allCases.map { (from, $0) } }

    @Test func theMovesAndTheMergeOrderAreTheSameInSwiftSQLiteAndPostgreSQL() async throws {
        let box = try BoxOffice.inMemory()
        let url = try TestPostgres.makeDatabase()
        try HeadOffice(url: url).initialise()
        let central = try PostgresConnection(url: url)
        for (from, to) in Self.pairs {
            let sqlite = try await box.read { db in
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM booking_status_moves WHERE from_status = ? AND to_status = ?)",
                                  arguments: [from.rawValue, to.rawValue])
            }
            let postgres = try central.query("SELECT central.booking_status_may_move($1, $2)", [from.rawValue, to.rawValue]).scalar
            #expect(sqlite == from.canMove(to: to), "\(from) → \(to): the store says \(String(describing: sqlite))")
            #expect(postgres == (from.canMove(to: to) ? "t" : "f"), "\(from) → \(to): head office says \(postgres ?? "nil")")
        }
        for status in BookingStatus.allCases {
            let sqlite = try await box.read { db in
                try Int.fetchOne(db, sql: "SELECT rank FROM booking_status_order WHERE status = ?", arguments: [status.rawValue])
            }
            let postgres = try central.query("SELECT central.booking_status_rank($1)", [status.rawValue]).scalar
            #expect(sqlite == status.mergeRank, "\(status)")
            #expect(postgres == String(status.mergeRank), "\(status)")
        }
    }

    @Test func everyMoveGoesLaterInTheMergeOrderAndMoneyWinsWhereNoMoveDecides() {
        for (from, to) in Self.pairs where from.canMove(to: to) {
            #expect(from.mergeRank < to.mergeRank, "\(from) → \(to)")
        }
        #expect(BookingStatus.expired.merged(with: .paid) == .paid)
        #expect(BookingStatus.paid.merged(with: .cancelled) == .paid)
        #expect(BookingStatus.refunded.merged(with: .expired) == .refunded)
        #expect(!BookingStatus.held.canMove(to: .refunded) && !BookingStatus.pendingPayment.canMove(to: .refunded))
        #expect(!BookingStatus.paid.canMove(to: .cancelled), "a paid booking ends only by refund")
    }

    /// The store's trigger takes a local move exactly when the rule allows it, and head office's
    /// merged state (applied with the change log suppressed) exactly when it is not earlier.
    @Test func theStoreTakesExactlyTheLegalMovesAndTheMergesThatDoNotGoBack() throws {
        // The store's schema and rules, without foreign keys: a bare booking row, without its catalog.
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let store = try DatabaseQueue(configuration: configuration)
        try Migrations.migrator.migrate(store)
        try store.write { db in
            try StoreRules.apply(db, path: ":memory:", now: Date())
            try db.execute(sql: "INSERT INTO sync_state (singleton, node_id, code_prefix) VALUES (1, 'n', 'TEST')")
        }
        for (from, to) in Self.pairs where from != to {
            for suppressed in [false, true] {
                let moved: Bool = try store.write { db in
                    try db.execute(sql: """
                        DELETE FROM bookings;
                        INSERT INTO bookings (id, code, showtime_id, node_id, channel, status, total, payment_method_id,
                                              hold_expires_at, sold_at, created_at, updated_at, hlc)
                        VALUES ('b', 'B-1', 'st', 'n', 'counter', ?, 0, 'pm', '2030-01-01', '2026-01-01', '2026-01-01', '2026-01-01', '')
                        """, arguments: [from.rawValue])
                    if suppressed { try db.execute(sql: "INSERT INTO change_log_suppression (singleton) VALUES (1)") }
                    var moved = true
                    do {
                        try db.execute(sql: "UPDATE bookings SET status = ? WHERE id = 'b'", arguments: [to.rawValue])
                    } catch let error as DatabaseError where db.brokenConstraint(error) == .bookingStatusMovesForward {
                        moved = false
                    }
                    try db.execute(sql: "DELETE FROM change_log_suppression")
                    return moved
                }
                let expected = suppressed ? from.mergeRank <= to.mergeRank : from.canMove(to: to)
                #expect(moved == expected, "\(from) → \(to)\(suppressed ? " from head office" : "")")
            }
        }
    }
}
