import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// A counter merging head office's copy of a booking into its own: the later state in the merge
/// order wins, and a sale that took the customer's money is never undone by another copy's expiry.
struct BookingMergeOnPullTests {
    let fixture: SalesFixture

    init() throws {
        fixture = try SalesFixture()
    }

    private func pulled(_ booking: Booking, status: String, hlc: String) throws -> FeedPage {
        let payload: [String: Any] = [
            "id": booking.id, "code": booking.code, "showtime_id": booking.showtimeID, "node_id": booking.nodeID,
            "channel": "online", "status": status, "total": booking.total.rupiah,
            "hold_expires_at": "2026-01-01 00:10:00.000", "created_at": "2026-01-01 00:00:00.000",
            "updated_at": "2026-01-01 00:11:00.000", "hlc": hlc,
        ]
        let row = FeedRow(entity: "bookings", entityID: booking.id, operation: "update", hlc: hlc,
                          payload: String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self))
        return FeedPage(rows: [row], cursor: "1:1", lag: 0)
    }

    @Test func aLocalPaidSaleIsNotUndoneByAnotherCopysExpiry() async throws {
        let box = fixture.box
        let held = try await box.sales.book(showtime: fixture.upcoming, seats: ["B4"], by: fixture.customer)
        let paid = try await box.sales.pay(code: held.code, method: "qris", amount: held.total, reference: "QR-1",
                                           by: fixture.cashier)
        #expect(paid.status == .paid)
        // Another copy (a counter that expired the hold, or head office's before the payment
        // arrived) says expired, with a newer stamp.
        let summary = try await box.replica.applyFeed(try pulled(held, status: "expired", hlc: "999999999999999-00000-central"))
        #expect(summary.skipped == 0)
        let after = try await box.sales.booking(code: held.code, by: fixture.cashier)
        #expect(after.status == .paid)
        #expect(after.tickets.allSatisfy { $0.status == .active })
    }

    @Test func aLaterStateFromHeadOfficeIsTaken() async throws {
        let box = fixture.box
        let held = try await box.sales.book(showtime: fixture.upcoming, seats: ["B5"], by: fixture.customer)
        try await box.replica.applyFeed(try pulled(held, status: "cancelled", hlc: "999999999999999-00000-central"))
        #expect(try await box.sales.booking(code: held.code, by: fixture.cashier).status == .cancelled)
    }
}
