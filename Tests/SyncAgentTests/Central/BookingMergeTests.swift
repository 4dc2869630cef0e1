import Foundation
import TestSupport
import Testing
@testable import SyncAgent

/// How head office merges two copies of one booking: money wins, a hold is expired only by its own
/// node, and a refund is only ever of money taken.
@Suite(.enabled(if: TestPostgres.isAvailable, "needs the PostgreSQL server started by scripts/test.sh"))
struct BookingMergeTests {
    let fixture: CentralFixture
    let one: (registration: NodeRegistration, connection: PostgresConnection)
    let two: (registration: NodeRegistration, connection: PostgresConnection)
    let database: PostgresConnection

    init() throws {
        fixture = try CentralFixture()
        one = try fixture.counter("one")
        two = try fixture.counter("two")
        database = try PostgresConnection(url: fixture.databaseURL)
    }

    /// Node one's hold of A1 for a customer, whose hold ran out a minute ago by head office's clock.
    private func pushLapsedHold() throws {
        var hold = fixture.sale(booking: "hold", seats: ["A1"], stamp: "001601000000000-00000-one", firstSeq: 1)
        hold[0]["payload"] = (hold[0]["payload"] as? [String: Any] ?? [:]).merging([
            "status": "held", "sold_hlc": NSNull(),
            "hold_expires_at": CentralFixture.instant(Date().addingTimeInterval(-60)),
        ]) { $1 }
        let outcomes = try CentralFixture.push(hold, as: "store-one", over: one.connection)
        #expect(outcomes.map { $0["status"] as? String } == ["accepted", "accepted"])
    }

    /// Node one's payment of that hold, made at its counter before the hold ran out, pushed late.
    private func pushPayment(seq: Int) throws -> [[String: Any]] {
        var payment = CentralFixture.change(seq, "001601000000005-00000-one", "bookings", "hold", [
            "id": "hold", "showtime_id": fixture.showtimeID, "status": "paid",
            "sold_hlc": "001601000000005-00000-one", "total": 50_000, "payment_method_id": "cash",
        ])
        payment["operation"] = "update"
        return try CentralFixture.push([payment], as: "store-one", over: one.connection)
    }

    private func bookingStatus(_ id: String) throws -> String? {
        try database.query("SELECT status FROM central.bookings WHERE id = $1", [id]).scalar
    }

    @Test func aPaidSaleBeatsAnotherCounterExpiringItsHoldAndKeepsAConflictRecordForTheSeat() throws {
        try pushLapsedHold()
        // Node two tries to expire node one's hold and release its ticket (as counters once did):
        // the ownership table refuses both, and node two sells A1, free since the hold ran out.
        var expiry = CentralFixture.change(1, "001601100000000-00000-two", "bookings", "hold", [
            "id": "hold", "showtime_id": fixture.showtimeID, "status": "expired", "total": 50_000,
        ])
        expiry["operation"] = "update"
        var release = CentralFixture.change(2, "001601100000000-00000-two", "tickets", "hold-A1", [
            "id": "hold-A1", "booking_id": "hold", "showtime_id": fixture.showtimeID, "seat_id": fixture.seatID("A1"),
            "status": "released", "price": 50_000,
        ])
        release["operation"] = "update"
        let sale = fixture.sale(booking: "walk-in", seats: ["A1"], stamp: "001601100000001-00000-two", firstSeq: 3)
        let refused = try CentralFixture.push([expiry, release] + sale, as: "store-two", over: two.connection)
        #expect(refused.prefix(2).allSatisfy { ($0["reason"] as? String)?.contains("only the counter that made it") == true },
                "\(refused)")
        #expect(try bookingStatus("hold") == "held", "only node one expires node one's hold")
        #expect(try fixture.activeSeats()["walk-in-A1"] == "A1")

        // Node one's customer had paid: the sale stands, on another seat, with a conflict record.
        let outcomes = try pushPayment(seq: 3)
        #expect(outcomes.first?["status"] as? String == "accepted")
        #expect(try bookingStatus("hold") == "paid")
        let seats = try fixture.activeSeats(), conflicts = try fixture.headOffice.conflicts()
        #expect(seats["hold-A1"] == "A2", "\(seats) \(outcomes) \(conflicts)")
        let conflict = try #require(try fixture.headOffice.conflicts().first { $0.bookingID == "hold" && $0.kind != .rejected })
        #expect(conflict.kind == .reseated)
        #expect(conflict.seatBefore == "A1" && conflict.seatAfter == "A2")
        #expect(conflict.nodeName == one.registration.name)
    }

    @Test func aLapsedHoldGivesItsSeatToTheNextSaleAndAPaymentArrivingLaterIsReseated() throws {
        try pushLapsedHold()
        // Node two sells A1 without a word about node one's hold: the hold ran out, the seat is free.
        let sale = try CentralFixture.push(fixture.sale(booking: "walk-in", seats: ["A1"], stamp: "001601100000001-00000-two", firstSeq: 1),
                                           as: "store-two", over: two.connection)
        #expect(sale.map { $0["status"] as? String } == ["accepted", "accepted"])
        #expect(try fixture.activeSeats() == ["walk-in-A1": "A1"])
        #expect(try bookingStatus("hold") == "held")
        // Counters learn that the hold's ticket gave up its seat.
        #expect(try database.query("""
            SELECT payload->>'status' FROM central.feed WHERE entity = 'tickets' AND entity_id = 'hold-A1' ORDER BY id DESC LIMIT 1
            """).scalar == "released")

        _ = try pushPayment(seq: 3)
        #expect(try bookingStatus("hold") == "paid")
        #expect(try fixture.activeSeats()["hold-A1"] == "A2")
        #expect(try fixture.headOffice.conflicts().contains { $0.bookingID == "hold" && $0.kind == .reseated })
    }

    @Test func aRefundOfAnUnpaidBookingCancelsItAndAPaidOneIsRefunded() throws {
        // A held booking whose only seat is taken: refund-required; refunding it closes it unpaid.
        _ = try CentralFixture.push(fixture.sale(booking: "first", seats: ["B1", "B2", "B3", "A1", "A2", "A3"],
                                                 stamp: "001601000000000-00000-one", firstSeq: 1), as: "store-one", over: one.connection)
        var held = fixture.sale(booking: "held", seats: ["A1"], stamp: "001601100000000-00000-two", firstSeq: 1)
        held[0]["payload"] = (held[0]["payload"] as? [String: Any] ?? [:]).merging([
            "status": "held", "sold_hlc": NSNull(), "hold_expires_at": CentralFixture.instant(Date().addingTimeInterval(600)),
        ]) { $1 }
        _ = try CentralFixture.push(held, as: "store-two", over: two.connection)
        let conflict = try #require(try fixture.headOffice.conflicts().first { $0.bookingID == "held" })
        #expect(conflict.kind == .refundRequired)
        try fixture.headOffice.refundConflict(conflict.id, by: "manager@hq")
        #expect(try bookingStatus("held") == "cancelled")
        #expect(try database.query("SELECT payload->>'refund_amount' FROM central.bookings WHERE id = 'held'").scalar == nil)
        let resolved = try #require(try fixture.headOffice.conflicts(includeResolved: true).first { $0.id == conflict.id })
        #expect(resolved.resolution == "cancelled by manager@hq: nothing was paid (was: \(conflict.reason))")
        #expect(resolved.reason.isEmpty, "no stale reason")
    }
}
