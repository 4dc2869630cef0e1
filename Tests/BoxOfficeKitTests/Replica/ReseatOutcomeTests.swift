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
