import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Applying head office's feed on a counter, page by page, as the sync agent does.
struct FeedApplyTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    /// A feed page with rows `(entity, id, hlc, payload)`.
    private func page(_ rows: [(String, String, String, [String: Any])], cursor: String) throws -> FeedPage {
        let rows = try rows.map { row in
            FeedRow(entity: row.0, entityID: row.1, operation: "insert", hlc: row.2,
                    payload: String(decoding: try JSONSerialization.data(withJSONObject: row.3), as: UTF8.self))
        }
        return FeedPage(rows: rows, cursor: cursor, lag: 0)
    }

    @Test func aTicketPushedOffItsSeatByAnOlderRowTakesItBackWhenTheCorrectionArrives() async throws {
        let box = fixture.box
        let local = try await box.sales.sell(showtime: fixture.upcoming, seats: ["A1"], method: "cash", by: fixture.cashier)
        // Head office has accepted the local sale.
        try fixture.execute("UPDATE sync_state SET last_pushed_seq = (SELECT max(seq) FROM change_log)")
        let a1 = try fixture.seatID("A1"), a2 = try fixture.seatID("A2")
        let stamp = "009000000000000-00000-elsewhere"
        let booking: [String: Any] = [
            "id": "remote-booking", "code": "REMOTE-0001", "showtime_id": fixture.upcoming, "node_id": "elsewhere",
            "channel": "counter", "status": "paid", "total": 50_000, "payment_method_id": "00000000-0000-7000-8000-000000000001",
            "sold_at": "2026-01-01 00:00:00.000", "created_at": "2026-01-01 00:00:00.000", "updated_at": "2026-01-01 00:00:00.000",
            "hlc": stamp,
        ]
        func ticket(_ seat: String, _ hlc: String) -> [String: Any] {
            ["id": "remote-ticket", "booking_id": "remote-booking", "showtime_id": fixture.upcoming, "seat_id": seat,
             "price": 50_000, "status": "active", "created_at": "2026-01-01 00:00:00.000",
             "updated_at": "2026-01-01 00:00:00.000", "hlc": hlc]
        }
        let seatOf: @Sendable (String) async throws -> (String, String)? = { id in
            try await box.read { db in
                try Row.fetchOne(db, sql: "SELECT seat_id, status FROM tickets WHERE id = ?", arguments: [id])
                    .map { ($0["seat_id"], $0["status"]) }
            }
        }
        let localTicket = try #require(try await box.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM tickets WHERE booking_id = ?", arguments: [local.id])
        })

        // An old row says the remote ticket sits on A1 (head office has since moved it; that row
        // comes a page later): the local ticket steps aside…
        try await box.replica.applyFeed(try page([("bookings", "remote-booking", stamp, booking),
                                                  ("tickets", "remote-ticket", stamp, ticket(a1, stamp))], cursor: "1:2"))
        #expect(try await seatOf(localTicket)! == (a1, "released"))
        #expect(try await seatOf("remote-ticket")! == (a1, "active"))

        // …and takes A1 back when the correction moves the remote ticket to A2.
        try await box.replica.applyFeed(try page([("tickets", "remote-ticket", "009000000000001-00000-central",
                                                   ticket(a2, "009000000000001-00000-central"))], cursor: "2:3"))
        #expect(try await seatOf(localTicket)! == (a1, "active"))
        #expect(try await seatOf("remote-ticket")! == (a2, "active"))
        #expect(try await box.replica.state().pendingChanges == 0, "nothing applied from the feed is pushed back")
    }

    /// A row whose parent this store lacks waits and is counted; a row older than the local copy is
    /// simply not taken, and is not counted. The waiting row is tried again with every page, and
    /// applies once its parent arrives: never skipped for good.
    @Test func rowsWithoutTheirParentWaitForItAndOldRowsAreNotTaken() async throws {
        let box = fixture.box
        let local = try await box.sales.sell(showtime: fixture.upcoming, seats: ["A1"], method: "cash", by: fixture.cashier)
        let (ticketID, seatID, stamp) = try #require(try await box.read { db in
            try Row.fetchOne(db, sql: "SELECT id, seat_id, hlc FROM tickets WHERE booking_id = ?", arguments: [local.id])
                .map { ($0["id"] as String, $0["seat_id"] as String, $0["hlc"] as String) }
        })
        let a2 = try fixture.seatID("A2")
        func ticketRow(_ id: String, booking: String, seat: String, hlc: String) -> (String, String, String, [String: Any]) {
            ("tickets", id, hlc, ["id": id, "booking_id": booking, "showtime_id": fixture.upcoming, "seat_id": seat,
                                  "price": 1, "status": "active", "created_at": "2026-01-01 00:00:00.000",
                                  "updated_at": "2026-01-01 00:00:00.000", "hlc": hlc])
        }
        let older = "000000000000001-00000-elsewhere"
        let summary = try await box.replica.applyFeed(try page([
            ticketRow("orphan", booking: "no-such-booking", seat: a2, hlc: older),
            ticketRow(ticketID, booking: local.id, seat: seatID, hlc: older),
        ], cursor: "3:4"))
        #expect(summary.received == 2)
        #expect(summary.skipped == 1, "only the ticket without its booking")
        let storedStamp = try await box.read { db in
            try String.fetchOne(db, sql: "SELECT hlc FROM tickets WHERE id = ?", arguments: [ticketID])
        }
        #expect(storedStamp == stamp, "the older row did not replace the local one")
        #expect(try await box.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM tickets WHERE id = 'orphan')") } == false)

        let clean = try await box.replica.applyFeed(try page([
            ticketRow(ticketID, booking: local.id, seat: seatID, hlc: "999999999999999-00000-central"),
        ], cursor: "4:5"))
        #expect(clean.skipped == 1, "the orphan still waits for its booking")
        #expect(try await box.replica.state().feedCursor == "4:5")

        // Its booking arrives: the ticket that waited applies with it.
        let booking: [String: Any] = [
            "id": "no-such-booking", "code": "REMOTE-0002", "showtime_id": fixture.upcoming, "node_id": "elsewhere",
            "channel": "counter", "status": "held", "total": 1, "hold_expires_at": "2099-01-01 00:00:00.000",
            "created_at": "2026-01-01 00:00:00.000", "updated_at": "2026-01-01 00:00:00.000", "hlc": older,
        ]
        let arrived = try await box.replica.applyFeed(try page([("bookings", "no-such-booking", older, booking)], cursor: "5:6"))
        #expect(arrived.skipped == 0)
        #expect(try await box.read { db in
            try String.fetchOne(db, sql: "SELECT booking_id FROM tickets WHERE id = 'orphan'")
        } == "no-such-booking")
        #expect(try await box.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_deferred_feed") } == 0)
    }

    /// A waiting row is replaced by a later row of its entity, and a delete of the entity ends its
    /// wait: an old row never comes back after its entity moved on.
    @Test func aWaitingRowGivesWayToALaterRowOfItsEntity() async throws {
        let box = fixture.box
        let a2 = try fixture.seatID("A2")
        func orphan(_ hlc: String) -> (String, String, String, [String: Any]) {
            ("tickets", "orphan", hlc, ["id": "orphan", "booking_id": "late-booking", "showtime_id": fixture.upcoming, "seat_id": a2,
                                        "price": 1, "status": "active", "created_at": "2026-01-01 00:00:00.000",
                                        "updated_at": "2026-01-01 00:00:00.000", "hlc": hlc])
        }
        try await box.replica.applyFeed(try page([orphan("000000000000001-00000-elsewhere")], cursor: "1:1"))
        try await box.replica.applyFeed(try page([orphan("000000000000002-00000-elsewhere")], cursor: "1:2"))
        #expect(try await box.read { db in
            try String.fetchAll(db, sql: "SELECT hlc || '/' || attempts FROM sync_deferred_feed")
        } == ["000000000000002-00000-elsewhere/1"], "the later row waits in its place")
        try await box.replica.applyFeed(FeedPage(rows: [FeedRow(entity: "tickets", entityID: "orphan", operation: "delete",
                                                                hlc: "000000000000003-00000-elsewhere", payload: "{}")],
                                                 cursor: "1:3", lag: 0))
        #expect(try await box.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_deferred_feed") } == 0)
    }
}
