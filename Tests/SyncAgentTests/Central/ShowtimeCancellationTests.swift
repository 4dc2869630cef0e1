import Foundation
import TestSupport
import Testing
@testable import BoxOfficeKit
@testable import SyncAgent

/// Head office cancels a showtime (`central cancel-showtime`): its paid sales are kept for a refund
/// with a conflict record, its holds cancelled and its seats released everywhere; a sale a counter
/// made offline before it heard is kept for a refund when it arrives, never placed, never refused.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct ShowtimeCancellationTests {
    let fixture: CentralFixture
    let database: PostgresConnection

    init() throws {
        fixture = try CentralFixture()
        database = try PostgresConnection(url: fixture.databaseURL)
    }

    private func hold(_ booking: String, seat: String, stamp: String, seq: Int) -> [[String: Any]] {
        var changes = fixture.sale(booking: booking, seats: [seat], stamp: stamp, firstSeq: seq)
        changes[0]["payload"] = (changes[0]["payload"] as! [String: Any]).merging([
            "status": "held", "sold_hlc": NSNull(), "hold_expires_at": CentralFixture.instant(Date().addingTimeInterval(900)),
        ]) { $1 }
        return changes
    }

    private func refundConflicts() throws -> [[String?]] {
        try database.query("""
            SELECT booking_id, entity, reason FROM central.conflicts
            WHERE kind = 'refund_required' AND status = 'open' ORDER BY booking_id, entity_id
            """).values
    }

    @Test func paidSalesNeedARefundHoldsAreCancelledAndTheSeatsAreFreedEverywhere() throws {
        let counter = try fixture.counter("selling")
        let pushed = try CentralFixture.push(
            fixture.sale(booking: "paid", seats: ["A1", "A2"], stamp: "001700000000000-00000-s", firstSeq: 1)
                + hold("held", seat: "A3", stamp: "001700000000001-00000-s", seq: 4),
            as: "store-selling", over: counter.connection)
        #expect(pushed.allSatisfy { $0["status"] as? String == "accepted" }, "\(pushed)")
        let (_, cursor, _) = try CentralFixture.pull(cursor: "0", as: "store-selling", over: counter.connection)

        let cancellation = try fixture.headOffice.cancelShowtime(id: fixture.showtimeID, reason: "projector broken")
        #expect(cancellation.showtimeID == fixture.showtimeID)
        #expect(cancellation.refundRequired == 1 && cancellation.cancelledHolds == 1 && cancellation.releasedTickets == 3)
        #expect(cancellation.conflictIDs.count == 1)

        // Head office: the showtime cancelled, the paid sale kept for a refund, the hold closed, no seat held.
        #expect(try database.query("SELECT status FROM central.showtimes WHERE id = $1", [fixture.showtimeID]).scalar == "cancelled")
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'paid'").scalar == "paid")
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'held'").scalar == "cancelled")
        #expect(try fixture.activeSeats().isEmpty)
        let conflicts = try refundConflicts()
        #expect(conflicts.count == 1 && conflicts.first?[0] == "paid" && conflicts.first?[1] == "bookings")
        #expect(conflicts.first?[2]?.contains("the showtime was cancelled by head office (projector broken): refund the customer") == true)

        // The counter's next pull brings the cancelled showtime, every ticket released and the record.
        let (rows, _) = try CentralFixture.pullSettled(cursor: cursor, as: "store-selling", over: counter.connection)
        func latest(_ entity: String, _ id: String) -> [String: Any]? {
            rows.last { $0["entity"] as? String == entity && $0["entity_id"] as? String == id }?["payload"] as? [String: Any]
        }
        #expect(latest("showtimes", fixture.showtimeID)?["status"] as? String == "cancelled")
        for ticket in ["paid-A1", "paid-A2", "held-A3"] {
            #expect(latest("tickets", ticket)?["status"] as? String == "released", "\(ticket)")
        }
        #expect(latest("bookings", "held")?["status"] as? String == "cancelled")
        #expect(rows.contains { $0["entity"] as? String == "sync_conflicts" && ($0["payload"] as? [String: Any])?["booking_id"] as? String == "paid" })

        // Once is enough: a second cancellation finds nothing more to do and makes no second record.
        let again = try fixture.headOffice.cancelShowtime(id: fixture.showtimeID, reason: nil)
        #expect(again.refundRequired == 0 && again.cancelledHolds == 0 && again.releasedTickets == 0)
        #expect(try refundConflicts().count == 1)
        // Staff refund it as any sale needing a refund.
        try fixture.headOffice.refundConflict(cancellation.conflictIDs[0], by: "hq staff")
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'paid'").scalar == "refunded")

        let missing = #expect(throws: PostgresError.self) { try fixture.headOffice.cancelShowtime(id: "sh-nope", reason: nil) }
        #expect(missing?.sqlState == PostgresError.foreignKeyViolation)
    }

    @Test func aSaleMadeOfflineBeforeTheCounterHeardIsKeptForARefundNeverLost() throws {
        let counter = try fixture.counter("offline")
        // Before the cancellation reached it, the counter held A3 (pushed) and then, offline, sold A1
        // and A2 and took payment for the hold.
        let early = try CentralFixture.push(hold("later-paid", seat: "A3", stamp: "001700000000000-00000-o", seq: 1),
                                            as: "store-offline", over: counter.connection)
        #expect(early.allSatisfy { $0["status"] as? String == "accepted" }, "\(early)")
        _ = try fixture.headOffice.cancelShowtime(id: fixture.showtimeID, reason: nil)

        var paid = fixture.sale(booking: "later-paid", seats: [], stamp: "001700000000005-00000-o", firstSeq: 3)
        paid[0]["operation"] = "update"
        paid[0]["payload"] = (paid[0]["payload"] as! [String: Any]).merging(["total": 50_000]) { $1 }
        let late = fixture.sale(booking: "offline", seats: ["A1", "A2"], stamp: "001700000000002-00000-o", firstSeq: 4)
        let outcomes = try CentralFixture.push(late + paid, as: "store-offline", over: counter.connection)
        // In seq order: the payment (3), the offline sale's booking (4) and its two tickets.
        #expect(outcomes.map { $0["status"] as? String } == ["accepted", "accepted", "refund_required", "refund_required"],
                "\(outcomes)")
        #expect(outcomes.compactMap { $0["reason"] as? String }.allSatisfy { $0.contains("the showtime was cancelled by head office") })

        // Nothing lost: both sales are at head office, paid, with a record each to refund; no seat is held.
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'offline'").scalar == "paid")
        #expect(try database.query("SELECT status FROM central.bookings WHERE id = 'later-paid'").scalar == "paid")
        #expect(try fixture.activeSeats().isEmpty)
        let conflicts = try refundConflicts()
        #expect(conflicts.map { $0[0] } == ["later-paid", "offline", "offline"], "\(conflicts)")
        #expect(conflicts.allSatisfy { $0[2]?.contains("the showtime was cancelled by head office") == true })
        #expect(try database.query("SELECT count(*) FROM central.conflicts WHERE kind = 'rejected'").scalar == "0")
        // The set-wise path did not take them either (no fallback hid the decision).
        #expect(try database.query("SELECT count(*) FROM central.tickets WHERE showtime_id = $1 AND status = 'active'",
                                   [fixture.showtimeID]).scalar == "0")
    }

    @Test func anEditACounterMadeOfflineDoesNotBringACancelledShowtimeBack() throws {
        _ = try fixture.headOffice.cancelShowtime(id: fixture.showtimeID, reason: nil)
        let tomorrow = Date().addingTimeInterval(86_400)
        let edit = CentralFixture.change(50, "009900000000000-00000-hq", "showtimes", fixture.showtimeID, [
            "id": fixture.showtimeID, "cinema_id": fixture.cinemaID, "studio_id": fixture.studioID, "movie_id": "movie-1",
            "starts_at": CentralFixture.instant(tomorrow), "ends_at": CentralFixture.instant(tomorrow.addingTimeInterval(7200)),
            "status": "scheduled", "base_price": 60_000, "price_version": "v2",
        ])
        var update = edit
        update["operation"] = "update"
        let outcomes = try CentralFixture.push([update], as: "store-hq", over: fixture.hqConnection)
        #expect(outcomes.first?["status"] as? String == "accepted", "\(outcomes)")
        #expect(try database.query("SELECT status FROM central.showtimes WHERE id = $1", [fixture.showtimeID]).scalar == "cancelled")
        #expect(try database.query("""
            SELECT origin_node || ' ' || (payload->>'status') FROM central.feed WHERE entity = 'showtimes' AND entity_id = $1
            ORDER BY id DESC LIMIT 1
            """, [fixture.showtimeID]).scalar == "central cancelled", "the sender hears it stays cancelled")
    }

    @Test func aNodeCannotCancelAShowtime() throws {
        let counter = try fixture.counter("sneaky")
        let refused = #expect(throws: PostgresError.self) {
            try counter.connection.query("SELECT central.cancel_showtime($1, 'mine now')", [fixture.showtimeID])
        }
        #expect(refused?.sqlState == "42501", "\(String(describing: refused))")
        let byHQNode = #expect(throws: PostgresError.self) {
            try fixture.hqConnection.query("SELECT central.cancel_showtime($1, NULL)", [fixture.showtimeID])
        }
        #expect(byHQNode?.sqlState == "42501")
        #expect(try database.query("SELECT status FROM central.showtimes WHERE id = $1", [fixture.showtimeID]).scalar == "scheduled")
    }
}
