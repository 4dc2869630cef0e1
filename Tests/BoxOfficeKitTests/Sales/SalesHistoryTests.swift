import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SalesHistoryTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }
    var sales: Sales { fixture.box.sales }

    @Test func aCustomersBookingsComeNewestFirstPageByPage() async throws {
        var codes: [String] = []
        for seat in ["A1", "A2", "A3", "A4", "A5"] {
            codes.append(try await sales.book(showtime: fixture.upcoming, seats: [seat], by: fixture.customer).code)
            fixture.clock.advance(by: 1)
        }
        _ = try await sales.book(showtime: fixture.upcoming, seats: ["B1"], by: fixture.otherCustomer)
        let first = try await sales.bookings(page: PageRequest(page: 1, limit: 2), by: fixture.customer)
        #expect(first.total == 5)
        #expect(first.items.map(\.code) == [codes[4], codes[3]])
        #expect(first.hasMore)
        let last = try await sales.bookings(page: PageRequest(page: 3, limit: 2), by: fixture.customer)
        #expect(last.items.map(\.code) == [codes[0]])
        #expect(!last.hasMore)
        let item = try #require(last.items.first)
        #expect(item.seats == ["A1"])
        #expect(item.status == .held)
        #expect(item.total == Money(rupiah: SalesFixture.basePrice))
        #expect(item.showtime.movieTitle == "The Long Offline")
        #expect(item.showtime.cinemaName == "Demo Plaza")
        #expect(item.showtime.studioName == "Studio 1")
        #expect(item.showtime.localStart.description == "2026-01-01 19:00")
        #expect(item.showtime.startsAt == Date(timeIntervalSince1970: 1_767_225_600 + 12 * 3600))
    }

    @Test func bookingsAreFilteredByStatusWithRunOutHoldsAsExpired() async throws {
        let paid = try await sales.book(showtime: fixture.upcoming, seats: ["A1"], by: fixture.customer)
        _ = try await sales.pay(code: paid.code, method: "cash", amount: paid.total, by: fixture.cashier)
        let cancelled = try await sales.book(showtime: fixture.upcoming, seats: ["A2"], by: fixture.customer)
        _ = try await sales.cancel(code: cancelled.code, by: fixture.customer)
        let stale = try await sales.book(showtime: fixture.upcoming, seats: ["A3"], by: fixture.customer)
        fixture.clock.advance(by: 601)
        let fresh = try await sales.book(showtime: fixture.upcoming, seats: ["A4"], by: fixture.customer)
        func codes(_ status: BookingStatus?) async throws -> [String] {
            try await sales.bookings(status: status, by: fixture.customer).items.map(\.code)
        }
        #expect(try await codes(.paid) == [paid.code])
        #expect(try await codes(.cancelled) == [cancelled.code])
        #expect(try await codes(.expired) == [stale.code])
        #expect(try await codes(.held) == [fresh.code])
        #expect(try await codes(.refunded) == [])
        #expect(try await codes(nil).count == 4)
    }

    @Test func staffSeeAnyCustomersBookingsCustomersOnlyTheirOwn() async throws {
        let booking = try await sales.book(showtime: fixture.upcoming, seats: ["A1"], by: fixture.customer)
        let seen = try await sales.bookings(of: SalesFixture.customerEmail, by: fixture.cashier)
        #expect(seen.items.map(\.code) == [booking.code])
        let own = try await sales.bookings(of: SalesFixture.customerEmail, by: fixture.customer)
        #expect(own.items.count == 1)
        try await fixture.expectRejection(AccountError.notAllowed("only a cashier may see another customer's bookings")) {
            _ = try await sales.bookings(of: SalesFixture.customerEmail, by: fixture.otherCustomer)
        }
        try await fixture.expectRejection(AccountError.userNotFound("ghost@example.com")) {
            _ = try await sales.bookings(of: "ghost@example.com", by: fixture.manager)
        }
        try await fixture.expectRejection(InputError(field: "page", reason: "must be 1 or more")) {
            _ = try await sales.bookings(page: PageRequest(page: 0, limit: 10), by: fixture.customer)
        }
        try await fixture.expectRejection(InputError(field: "limit", reason: "must be between 1 and 200")) {
            _ = try await sales.bookings(page: PageRequest(page: 1, limit: 500), by: fixture.customer)
        }
    }
}
