import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SalesCancellationTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }
    var sales: Sales { fixture.box.sales }

    @Test func theOwnerCancelsAHoldAndTheSeatsAreFreeAgain() async throws {
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["B1", "B2"], by: fixture.customer)
        let cancelled = try await sales.cancel(code: booking.code, by: fixture.customer)
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.refundAmount == nil)
        #expect(cancelled.tickets.allSatisfy { $0.status == .released })
        #expect(try await sales.seatMap(showtime: fixture.upcoming).seats.allSatisfy { $0.state == .free })
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["B1", "B2"], by: fixture.otherCustomer)
    }

    @Test func aCashierCancelsAPaidBookingAsARefund() async throws {
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["D1"], by: fixture.customer)
        _ = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        let refunded = try await sales.cancel(code: booking.code, by: fixture.cashier)
        #expect(refunded.status == .refunded)
        #expect(refunded.refundAmount == Money(rupiah: SalesFixture.vipPrice))
        #expect(try fixture.counts().activeTickets == 0)
        try await fixture.expectRejection(SaleError.bookingClosed(booking.code, status: .refunded)) {
            _ = try await sales.cancel(code: booking.code, by: fixture.cashier)
        }
    }

    @Test func someoneElsesBookingCannotBeCancelled() async throws {
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["B1"], by: fixture.customer)
        try await fixture.expectRejection(SaleError.notYourBooking(booking.code)) {
            _ = try await sales.cancel(code: booking.code, by: fixture.otherCustomer)
        }
        #expect(SaleError.notYourBooking("X").kind == .unauthorized)
    }

    @Test func nothingIsCancelledOnceTheShowtimeStarted() async throws {
        let booking = try await sales.sell(showtime: fixture.upcoming, seats: ["B1"], method: "cash", by: fixture.cashier)
        fixture.clock.advance(by: 12 * 3600)
        try await fixture.expectRejection(SaleError.showtimeStarted(fixture.upcoming)) {
            _ = try await sales.cancel(code: booking.code, by: fixture.manager)
        }
    }

    @Test func statesOnlyMoveForward() async throws {
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["B1"], by: fixture.customer)
        _ = try await sales.cancel(code: booking.code, by: fixture.customer)
        try await fixture.expectRejection(SaleError.bookingClosed(booking.code, status: .cancelled)) {
            _ = try await sales.cancel(code: booking.code, by: fixture.customer)
        }
        let stale = try await sales.book(showtime: fixture.upcoming, seats: ["B2"], by: fixture.customer)
        fixture.clock.advance(by: 600)
        try await fixture.expectRejection(SaleError.bookingClosed(stale.code, status: .expired)) {
            _ = try await sales.cancel(code: stale.code, by: fixture.customer)
        }
        #expect(throws: DatabaseError.self) {
            try fixture.execute("UPDATE bookings SET status = 'held' WHERE id = ?", [booking.id])
        }
    }
}
