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

/// A sale head office keeps for a refund on the seat it had moved it to.
struct RefundOutcomeSeatTests {
    /// Found by the simulation (a store restored every 15 steps): head office had moved a sale to
    /// another seat, the restored store sent it again on the old one, and head office released it on
    /// its own seat for a refund. The store released it on the old seat with head office's stamp, so
    /// the feed's copy of the same stamp never moved it: the copies differed for good.
    @Test func aTicketKeptForARefundTakesTheSeatHeadOfficeReleasedItOn() async throws {
        let fixture = try SalesFixture()
        let box = fixture.box
        let sale = try await box.sales.sell(showtime: fixture.upcoming, seats: ["B4"], method: "cash", by: fixture.cashier)
        let batch = try #require(try await box.replica.nextBatch(limit: 100))
        let ticket = try #require(sale.tickets.first)
        let seatB6 = try await box.read { [upcoming = fixture.upcoming] db in
            try String.fetchOne(db, sql: """
                SELECT se.id FROM seats se JOIN showtimes sh ON sh.studio_id = se.studio_id WHERE sh.id = ? AND se.label = 'B6'
                """, arguments: [upcoming])!
        }
        let ticketSeq = try await box.read { [id = ticket.id] db in
            try Int64.fetchOne(db, sql: "SELECT min(seq) FROM change_log WHERE entity = 'tickets' AND entity_id = ?", arguments: [id])!
        }
        let outcomes = try PushOutcome.decodeList("""
            [\((batch.firstSequence...batch.lastSequence).filter { $0 != ticketSeq }.map { #"{"seq": \#($0), "status": "accepted"}"# }.joined(separator: ", ")),
             {"seq": \(ticketSeq), "status": "refund_required", "seat_id": "\(seatB6)", "seat_before": "B6",
              "hlc": "001700000000000-00000-central", "reason": "no regular seat is left: refund the customer", "conflict_id": "c-1"}]
            """)
        try await box.replica.recordPush(batch, outcomes: outcomes)
        let row = try await box.read { [id = ticket.id] db in
            try String.fetchOne(db, sql: "SELECT status || '|' || seat_id || '|' || hlc FROM tickets WHERE id = ?", arguments: [id])!
        }
        #expect(row == "released|\(seatB6)|001700000000000-00000-central", "the ticket is released where head office released it")
    }
}

/// Several local tickets waiting for one seat.
struct DisplacedTicketsTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    /// Found by the simulation: two local sales had given up one seat (each to a reseat head office
    /// decided), and when the feed freed it both took it back at once — which the store refused, so
    /// the page failed and every row after it was quarantined: the counter stopped following head
    /// office. One of them takes the seat; the other keeps waiting.
    @Test func whenSeveralTicketsWaitForOneSeatOneTakesItAndThePageApplies() async throws {
        let box = fixture.box
        let seat = try await box.read { [upcoming = fixture.upcoming] db in
            try String.fetchOne(db, sql: """
                SELECT se.id FROM seats se JOIN showtimes sh ON sh.studio_id = se.studio_id WHERE sh.id = ? AND se.label = 'B5'
                """, arguments: [upcoming])!
        }
        func reseat(_ batch: ChangeBatch, ticket seq: Int64, stamp: String) async throws {
            let outcomes = try PushOutcome.decodeList("""
                [\((batch.firstSequence...batch.lastSequence).filter { $0 != seq }.map { #"{"seq": \#($0), "status": "accepted"}"# }.joined(separator: ", ")),
                 {"seq": \(seq), "status": "reseated", "seat_id": "\(seat)", "seat_after": "B5", "hlc": "\(stamp)",
                  "reason": "the seat was already sold; moved to B5"}]
                """)
            try await box.replica.recordPush(batch, outcomes: outcomes)
        }
        // First: a hold, then a sale of B5; head office moves the hold onto B5.
        let first = try await box.sales.book(showtime: fixture.upcoming, seats: ["B4"], by: fixture.customer)
        let firstBatch = try #require(try await box.replica.nextBatch(limit: 100))
        let one = try await box.sales.sell(showtime: fixture.upcoming, seats: ["B5"], method: "cash", by: fixture.cashier)
        try await reseat(firstBatch, ticket: firstBatch.lastSequence, stamp: "001700000000000-00000-central")
        // Again: the hold is cancelled here, B5 sold once more, and another hold moved onto it.
        _ = try await box.sales.cancel(code: first.code, by: fixture.customer)
        let second = try await box.sales.book(showtime: fixture.upcoming, seats: ["B3"], by: fixture.customer)
        let two = try await box.sales.sell(showtime: fixture.upcoming, seats: ["B5"], method: "cash", by: fixture.cashier)
        let secondBatch = try #require(try await box.replica.nextBatch(after: firstBatch.lastSequence, limit: 100))
        let secondTicket = try #require(second.tickets.first)
        let seq = try await box.read { [id = secondTicket.id] db in
            try Int64.fetchOne(db, sql: "SELECT min(seq) FROM change_log WHERE entity = 'tickets' AND entity_id = ?", arguments: [id])!
        }
        try await reseat(secondBatch, ticket: seq, stamp: "001700000000001-00000-central")
        #expect(try await box.sales.booking(code: one.code, by: fixture.cashier).tickets.map(\.status) == [.released])
        #expect(try await box.sales.booking(code: two.code, by: fixture.cashier).tickets.map(\.status) == [.released])

        // Head office releases the second hold's ticket: B5 is free here, and both sales want it back.
        let payload = try await box.read { [id = secondTicket.id] db in
            try String.fetchOne(db, sql: "SELECT payload FROM change_log WHERE entity = 'tickets' AND entity_id = ? ORDER BY seq LIMIT 1",
                                arguments: [id])!
        }
        var row = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        row["seat_id"] = seat
        row["status"] = "released"
        row["hlc"] = "001700000000002-00000-central"
        let page = FeedPage(rows: [FeedRow(entity: "tickets", entityID: secondTicket.id, operation: "update", hlc: "001700000000002-00000-central",
                                           payload: String(decoding: try JSONSerialization.data(withJSONObject: row), as: UTF8.self))],
                            cursor: "1:1", lag: 0)
        let summary = try await box.replica.applyFeed(page)
        #expect(summary.quarantined == 0)
        let states = [try await box.sales.booking(code: one.code, by: fixture.cashier).tickets.map(\.status),
                      try await box.sales.booking(code: two.code, by: fixture.cashier).tickets.map(\.status)]
        #expect(states.filter { $0 == [.active] }.count == 1, "\(states)")
    }
}

/// A counter watching other counters' sales: a ticket of theirs that gave its seat up here to an
/// older row keeps waiting for the seat however often head office repeats it.
struct ObservedDisplacedTicketTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    /// Rows of another counter's sale of one seat: its booking and its ticket, as head office sends them.
    private func sale(booking: String, ticket: String, seat: String, status: String, hlc: String) async throws -> [FeedRow] {
        let method = try await fixture.box.read { db in try String.fetchOne(db, sql: "SELECT id FROM payment_methods ORDER BY id LIMIT 1")! }
        let bookingRow: [String: Any] = [
            "id": booking, "code": "OTHER1-\(booking.suffix(4))", "showtime_id": fixture.upcoming, "node_id": "other-node",
            "channel": "counter", "status": "paid", "total": 50_000, "payment_method_id": method,
            "sold_at": "2026-01-01 00:00:00.000", "sold_hlc": hlc, "created_at": "2026-01-01 00:00:00.000",
            "updated_at": "2026-01-01 00:00:00.000", "hlc": hlc,
        ]
        let ticketRow: [String: Any] = [
            "id": ticket, "booking_id": booking, "showtime_id": fixture.upcoming, "seat_id": seat, "price": 50_000,
            "price_version": "", "status": status, "created_at": "2026-01-01 00:00:00.000",
            "updated_at": "2026-01-01 00:00:00.000", "hlc": hlc,
        ]
        return try [("bookings", booking, bookingRow), ("tickets", ticket, ticketRow)].map { entity, id, payload in
            FeedRow(entity: entity, entityID: id, operation: "update", hlc: hlc,
                    payload: String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self))
        }
    }

    private func status(of ticket: String) async throws -> String? {
        try await fixture.box.read { db in try String.fetchOne(db, sql: "SELECT status FROM tickets WHERE id = ?", arguments: [ticket]) }
    }

    /// Found by the simulation (seed 43, 8 counters, 10 minutes): an observing counter ended with
    /// another counter's paid sale released on its seat while head office had it active. The sale
    /// had given its seat up to an older row of a third sale; a later page repeated the sale's own
    /// row, which changed nothing, and the store forgot that the ticket waited for its seat — so
    /// when head office freed the seat, nothing took it back.
    @Test func aRepeatedRowThatChangesNothingDoesNotForgetTheWaitingTicket() async throws {
        let box = fixture.box
        let seat = try await box.read { [upcoming = fixture.upcoming] db in
            try String.fetchOne(db, sql: """
                SELECT se.id FROM seats se JOIN showtimes sh ON sh.studio_id = se.studio_id WHERE sh.id = ? AND se.label = 'B5'
                """, arguments: [upcoming])!
        }
        let accepted = "001700000000010-00000-central"
        // Head office accepted sale T of B5; then an old row of sale U, also on B5, arrives.
        _ = try await box.replica.applyFeed(FeedPage(rows: try await sale(booking: "bt", ticket: "tt", seat: seat, status: "active", hlc: accepted), cursor: "1:2", lag: 0))
        _ = try await box.replica.applyFeed(FeedPage(rows: try await sale(booking: "bu", ticket: "tu", seat: seat, status: "active",
                                                                   hlc: "001700000000011-00000-c2"), cursor: "1:4", lag: 0))
        #expect(try await status(of: "tt") == "released")
        // T's own row again, the same stamp (a page that repeats it): it changes nothing here…
        _ = try await box.replica.applyFeed(FeedPage(rows: try await sale(booking: "bt", ticket: "tt", seat: seat, status: "active", hlc: accepted), cursor: "1:6", lag: 0))
        // …and when head office releases U's ticket, T takes its seat back.
        let summary = try await box.replica.applyFeed(FeedPage(rows: try await sale(booking: "bu", ticket: "tu", seat: seat, status: "released",
                                                                             hlc: "001700000000012-00000-central"), cursor: "1:8", lag: 0))
        #expect(summary.quarantined == 0)
        #expect(try await status(of: "tu") == "released")
        #expect(try await status(of: "tt") == "active")
    }
}
