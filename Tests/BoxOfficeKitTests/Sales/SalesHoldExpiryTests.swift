import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// A hold is expired only by its own node: a counter that needs the seat of another counter's hold
/// that ran out takes the seat without saying anything about that booking, which its own counter
/// may have paid meanwhile.
struct SalesHoldExpiryTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    /// Another counter's hold of `seat`, as the feed brings it, whose hold ran out ten minutes ago.
    private func pullForeignLapsedHold(on seat: String) async throws {
        let seatID = try fixture.seatID(seat)
        let stamp = "001767225000000-00000-elsewhere"
        let booking: [String: Any] = [
            "id": "foreign-hold", "code": "FOREIGN-0001", "showtime_id": fixture.upcoming, "node_id": "elsewhere",
            "channel": "online", "status": "held", "total": 50_000, "hold_expires_at": "2025-12-31 23:50:00.000",
            "created_at": "2025-12-31 23:40:00.000", "updated_at": "2025-12-31 23:40:00.000", "hlc": stamp,
        ]
        let ticket: [String: Any] = [
            "id": "foreign-ticket", "booking_id": "foreign-hold", "showtime_id": fixture.upcoming, "seat_id": seatID,
            "price": 50_000, "status": "active", "created_at": "2025-12-31 23:40:00.000",
            "updated_at": "2025-12-31 23:40:00.000", "hlc": stamp,
        ]
        let rows = try [("bookings", "foreign-hold", booking), ("tickets", "foreign-ticket", ticket)].map { entity, id, payload in
            FeedRow(entity: entity, entityID: id, operation: "insert", hlc: stamp,
                    payload: String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self))
        }
        try await fixture.box.replica.applyFeed(FeedPage(rows: rows, cursor: "1:2", lag: 0))
    }

    @Test func theSeatOfAnotherCountersLapsedHoldIsSoldWithoutExpiringThatHold() async throws {
        try await pullForeignLapsedHold(on: "A5")
        #expect(try await fixture.box.sales.seatMap(showtime: fixture.upcoming).seats.first { $0.label == "A5" }?.state == .free)
        let logged: Int = try fixture.value("SELECT count(*) FROM change_log") ?? -1

        let sale = try await fixture.box.sales.sell(showtime: fixture.upcoming, seats: ["A5"], method: "cash", by: fixture.cashier)
        #expect(sale.seats == ["A5"])
        #expect(try fixture.value("SELECT status FROM bookings WHERE id = 'foreign-hold'") == "held",
                "only its own counter (or head office) expires that hold")
        #expect(try fixture.value("SELECT status FROM tickets WHERE id = 'foreign-ticket'") == "released")
        let journalled: [String] = try await fixture.box.writer.read { db in
            try String.fetchAll(db, sql: "SELECT entity_id FROM change_log WHERE seq > ?", arguments: [logged])
        }
        #expect(!journalled.contains("foreign-hold") && !journalled.contains("foreign-ticket"),
                "nothing about another counter's booking is pushed: \(journalled)")
    }

    @Test func thisCountersOwnLapsedHoldIsExpiredAndThatIsPushed() async throws {
        let held = try await fixture.box.sales.book(showtime: fixture.upcoming, seats: ["A6"], by: fixture.customer)
        fixture.clock.advance(by: 11 * 60)
        let logged: Int = try fixture.value("SELECT count(*) FROM change_log") ?? -1
        _ = try await fixture.box.sales.sell(showtime: fixture.upcoming, seats: ["A6"], method: "cash", by: fixture.cashier)
        #expect(try fixture.value("SELECT status FROM bookings WHERE id = ?", [held.id]) == "expired")
        let journalled: [String] = try await fixture.box.writer.read { db in
            try String.fetchAll(db, sql: "SELECT entity FROM change_log WHERE seq > ? AND entity_id = ?", arguments: [logged, held.id])
        }
        #expect(journalled == ["bookings"])
    }

    @Test func theSweepExpiresOnlyThisCountersHolds() async throws {
        try await pullForeignLapsedHold(on: "A7")
        let own = try await fixture.box.sales.book(showtime: fixture.upcoming, seats: ["A8"], by: fixture.customer)
        fixture.clock.advance(by: 11 * 60)
        #expect(try await fixture.box.sales.expireStaleHolds() == 1)
        #expect(try fixture.value("SELECT status FROM bookings WHERE id = ?", [own.id]) == "expired")
        #expect(try fixture.value("SELECT status FROM bookings WHERE id = 'foreign-hold'") == "held")
    }
}
