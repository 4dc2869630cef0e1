import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// A store with one cinema for sales tests, made with raw SQL (the catalog API is built elsewhere).
///
/// Cinema "Demo Plaza" (Asia/Jakarta) with "Studio 1" (rows A–E × 10 seats, an aisle after seat 5;
/// A1–A2 wheelchair, row D vip, row E couple) and "Studio 2" (row A × 4). The store's clock stands at
/// 2026-01-01 00:00 UTC (07:00 in Jakarta). Showtimes: `upcoming` in Studio 1 at 19:00 local,
/// `started` in Studio 1 ten minutes ago, `cancelled` in Studio 1 tomorrow, `otherStudio` in Studio 2 at 20:00.
struct SalesFixture {
    let store: TestStore
    var box: BoxOffice { store.box }
    var clock: TestClock { store.clock }

    let cinemaID: String
    let studioID = EntityID.make()
    let otherStudioID = EntityID.make()
    let movieID = EntityID.make()
    let upcoming = EntityID.make()
    let started = EntityID.make()
    let cancelled = EntityID.make()
    let otherStudio = EntityID.make()

    let customer: Principal
    let otherCustomer: Principal
    /// A cashier of the fixture's cinema.
    let cashier: Principal
    /// The fixture's cinema's manager (`cinema_manager` in the ownership table).
    let manager: Principal
    /// A manager of no cinema: head office (`head_office` in the ownership table).
    let headOffice: Principal
    static let customerEmail = "customer@example.com"
    static let otherCustomerEmail = "other@example.com"

    static let basePrice = 50_000
    static let vipPrice = 75_000
    static let couplePrice = 90_000

    init(configure: (inout BoxOffice.Configuration) -> Void = { _ in }) throws {
        store = try TestStore(configure: configure)
        let now = store.clock.now
        let ids = (EntityID.make(), EntityID.make(), EntityID.make(), EntityID.make(), EntityID.make())
        let cinema = EntityID.make()
        cinemaID = cinema
        customer = Principal(userID: ids.0, role: .customer)
        otherCustomer = Principal(userID: ids.1, role: .customer)
        cashier = Principal(userID: ids.2, role: .cashier, cinemaID: cinema)
        manager = Principal(userID: ids.3, role: .manager, cinemaID: cinema)
        headOffice = Principal(userID: ids.4, role: .manager)
        let (cinemaID, studioID, otherStudioID, movieID) = (cinemaID, studioID, otherStudioID, movieID)
        let (upcoming, started, cancelled, otherStudio) = (upcoming, started, cancelled, otherStudio)
        try store.box.writer.write { db in
            try db.execute(sql: """
                INSERT INTO cinemas (id, name, city, time_zone, created_at, updated_at, hlc)
                VALUES (?, 'Demo Plaza', 'Jakarta', 'Asia/Jakarta', ?, ?, '')
                """, arguments: [cinemaID, now, now])
            for (id, name, count) in [(studioID, "Studio 1", 50), (otherStudioID, "Studio 2", 4)] {
                try db.execute(sql: """
                    INSERT INTO studios (id, cinema_id, name, layout_spec, seat_count, created_at, updated_at, hlc)
                    VALUES (?, ?, ?, 'fixture', ?, ?, ?, '')
                    """, arguments: [id, cinemaID, name, count, now, now])
            }
            for (row, rowLabel) in ["A", "B", "C", "D", "E"].enumerated() {
                for number in 1...10 {
                    let kind = rowLabel == "D" ? "vip" : rowLabel == "E" ? "couple"
                        : (rowLabel == "A" && number <= 2) ? "wheelchair" : "regular"
                    try Self.insertSeat(db, studio: studioID, row: row, rowLabel: rowLabel, number: number, kind: kind)
                }
            }
            for number in 1...4 {
                try Self.insertSeat(db, studio: otherStudioID, row: 0, rowLabel: "A", number: number, kind: "regular")
            }
            try db.execute(sql: """
                INSERT INTO movies (id, title, duration_minutes, created_at, updated_at, hlc)
                VALUES (?, 'The Long Offline', 120, ?, ?, '')
                """, arguments: [movieID, now, now])
            let showtimes: [(String, String, TimeInterval, String)] = [
                (upcoming, studioID, 12 * 3600, "scheduled"),
                (started, studioID, -10 * 60, "scheduled"),
                (cancelled, studioID, 36 * 3600, "cancelled"),
                (otherStudio, otherStudioID, 13 * 3600, "scheduled"),
            ]
            for (id, studio, offset, status) in showtimes {
                let start = now.addingTimeInterval(offset)
                try db.execute(sql: """
                    INSERT INTO showtimes (id, cinema_id, studio_id, movie_id, starts_at, ends_at, base_price,
                        price_modifiers, status, created_at, updated_at, hlc)
                    VALUES (?, ?, ?, ?, ?, ?, ?, '{"vip": 25000, "couple": 40000}', ?, ?, ?, '')
                    """, arguments: [id, cinemaID, studio, movieID, start, start.addingTimeInterval(135 * 60),
                                     Self.basePrice, status, now, now])
            }
            let users: [(String, String, String, String, String?)] = [
                (ids.0, "Customer One", Self.customerEmail, "customer", nil),
                (ids.1, "Other Customer", Self.otherCustomerEmail, "customer", nil),
                (ids.2, "Cashier", "cashier@example.com", "cashier", cinemaID),
                (ids.3, "Manager", "manager@example.com", "manager", cinemaID),
                (ids.4, "Head Office", "admin@example.com", "manager", nil),
            ]
            for (id, name, email, role, cinema) in users {
                try db.execute(sql: """
                    INSERT INTO users (id, name, email, password_hash, role, cinema_id, verified_at, created_at, updated_at, hlc)
                    VALUES (?, ?, ?, 'not-a-real-hash', ?, ?, ?, ?, ?, '')
                    """, arguments: [id, name, email, role, cinema, now, now, now])
            }
        }
    }

    private static func insertSeat(_ db: Database, studio: String, row: Int, rowLabel: String, number: Int, kind: String) throws {
        try db.execute(sql: """
            INSERT INTO seats (id, studio_id, row_label, number, label, kind, grid_row, grid_column, hlc)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, '')
            """, arguments: [EntityID.make(), studio, rowLabel, number, "\(rowLabel)\(number)", kind, row,
                             number - 1 + (number > 5 ? 1 : 0)])
    }

    /// The id of the seat with `label` in Studio 1 (or `studio`).
    func seatID(_ label: String, studio: String? = nil) throws -> String {
        try box.writer.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM seats WHERE studio_id = ? AND label = ?",
                                arguments: [studio ?? studioID, label])!
        }
    }

    /// How many bookings, tickets and change-log rows the store holds.
    struct Counts: Equatable {
        var bookings: Int
        var tickets: Int
        var changeLog: Int
        var activeTickets: Int
    }

    func counts() throws -> Counts {
        try box.writer.read { db in
            Counts(
                bookings: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bookings")!,
                tickets: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets")!,
                changeLog: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change_log")!,
                activeTickets: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE status = 'active'")!)
        }
    }

    /// Runs `body`, expects it to throw exactly `expected`, and expects the store to be unchanged.
    func expectRejection<E: Error & Equatable>(
        _ expected: E, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async throws {
        let before = try counts()
        let snapshot = try bookingSnapshot()
        do {
            try await body()
            Issue.record("expected \(expected), but it succeeded", sourceLocation: sourceLocation)
        } catch let error as E {
            #expect(error == expected, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
        }
        #expect(try counts() == before, "the store changed", sourceLocation: sourceLocation)
        #expect(try bookingSnapshot() == snapshot, "a booking or ticket changed", sourceLocation: sourceLocation)
    }

    /// Every booking's and ticket's row as text, to prove nothing changed.
    func bookingSnapshot() throws -> [String] {
        try box.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT json_object('id', id, 'status', status, 'hlc', hlc, 'ref', payment_reference) FROM bookings
                UNION ALL SELECT json_object('id', id, 'status', status, 'hlc', hlc) FROM tickets
                UNION ALL SELECT last_hlc FROM sync_state
                ORDER BY 1
                """)
        }
    }

    /// Runs raw SQL on the store, for setting up a case.
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try box.writer.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    /// A single value read with raw SQL.
    func value<T: DatabaseValueConvertible>(_ sql: String, _ arguments: StatementArguments = []) throws -> T? {
        try box.writer.read { db in try T.fetchOne(db, sql: sql, arguments: arguments) }
    }
}
