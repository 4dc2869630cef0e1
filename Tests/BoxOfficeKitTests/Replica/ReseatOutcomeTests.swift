import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Recording head office's reseat of a ticket onto a seat that a later local sale holds.
struct ReseatOutcomeTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    /// Found by the simulation: head office's answer to a push was lost (the network dropped after
    /// its commit), the counter sold the seat head office had moved the pushed ticket to, and the
    /// resend's stored outcome released that later sale's ticket for good — its booking stayed
    /// paid, and the refund that followed left the seat taken at head office.
    @Test func aLaterLocalSaleGivesUpItsSeatToAResentReseatAndTakesItBackWhenHeadOfficeMovesOn() async throws {
        let box = fixture.box
        let first = try await box.sales.book(showtime: fixture.upcoming, seats: ["B4"], by: fixture.customer)
        let batch = try #require(try await box.replica.nextBatch(limit: 100))
        let later = try await box.sales.sell(showtime: fixture.upcoming, seats: ["B5"], method: "cash", by: fixture.cashier)
        let moved = try #require(first.tickets.first)
        let (seatB5, payload) = try await box.read { [upcoming = fixture.upcoming] db in
            (try String.fetchOne(db, sql: """
                SELECT se.id FROM seats se JOIN showtimes sh ON sh.studio_id = se.studio_id WHERE sh.id = ? AND se.label = 'B5'
                """, arguments: [upcoming])!,
             try String.fetchOne(db, sql: "SELECT payload FROM change_log WHERE entity = 'tickets' AND entity_id = ?", arguments: [moved.id])!)
        }
        let outcomes = try PushOutcome.decodeList("""
            [{"seq": \(batch.firstSequence), "status": "accepted"},
             {"seq": \(batch.lastSequence), "status": "reseated", "seat_id": "\(seatB5)", "seat_before": "B4", "seat_after": "B5",
              "hlc": "001700000000000-00000-central", "reason": "the seat was already sold; moved to B5", "conflict_id": "conflict-1"}]
            """)
        try await box.replica.recordPush(batch, outcomes: outcomes)
        // The seat is head office's decision for the first ticket; the later sale has not reached it yet.
        #expect(try await box.sales.booking(code: later.code, by: fixture.cashier).tickets.map(\.status) == [.released])

        // Head office then releases the first ticket (its hold ran out): the later sale takes its seat back.
        var row = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        row["seat_id"] = seatB5
        row["status"] = "released"
        row["hlc"] = "001700000000001-00000-central"
        let page = FeedPage(rows: [FeedRow(entity: "tickets", entityID: moved.id, operation: "update", hlc: "001700000000001-00000-central",
                                           payload: String(decoding: try JSONSerialization.data(withJSONObject: row), as: UTF8.self))],
                            cursor: "1:1", lag: 0)
        try await box.replica.applyFeed(page)
        let after = try await box.sales.booking(code: later.code, by: fixture.cashier)
        #expect(after.status == .paid)
        #expect(after.tickets.map(\.status) == [.active])
        #expect(after.seats == ["B5"])
    }
}
