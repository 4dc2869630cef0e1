import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

struct SalesPaymentTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }
    var sales: Sales { fixture.box.sales }

    private func held(_ seats: [String] = ["C5", "C6"]) async throws -> Booking {
        try await sales.book(showtime: fixture.upcoming, seats: seats, by: fixture.customer)
    }

    @Test func aHeldBookingIsPaidWithAnEnabledMethodTheExactTotalAndAReference() async throws {
        let booking = try await held()
        fixture.clock.advance(by: 60)
        let paid = try await sales.pay(code: booking.code.lowercased(), method: "QRIS", amount: booking.total,
                                       reference: " QR-2026-0001 ", by: fixture.cashier)
        #expect(paid.status == .paid)
        #expect(paid.paymentMethod == "qris")
        #expect(paid.paymentReference == "QR-2026-0001")
        #expect(paid.soldAt == fixture.clock.now)
        #expect(paid.holdExpiresAt == nil)
        let row = try fixture.box.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT sold_hlc, hlc FROM bookings WHERE id = ?", arguments: [booking.id])!
        }
        #expect((row["sold_hlc"] as String?) == (row["hlc"] as String))
        #expect(paid.soldHLC == row["hlc"])
        #expect(HLC(paid.soldHLC ?? "") != nil)
        let map = try await sales.seatMap(showtime: fixture.upcoming)
        #expect(map.seats.filter { $0.state == .sold }.map(\.label) == ["C5", "C6"])
    }

    @Test func theAmountMustBeExact() async throws {
        let booking = try await held()
        try await fixture.expectRejection(SaleError.wrongAmount(expected: 100_000, given: 90_000)) {
            _ = try await sales.pay(code: booking.code, method: "qris", amount: 90_000, reference: "R1", by: fixture.customer)
        }
    }

    @Test func disabledAndUnknownMethodsAreRefused() async throws {
        let booking = try await held()
        try fixture.execute("UPDATE payment_methods SET enabled = 0 WHERE code = 'gopay'")
        try await fixture.expectRejection(SaleError.paymentMethodDisabled("gopay")) {
            _ = try await sales.pay(code: booking.code, method: "gopay", amount: booking.total, reference: "G1", by: fixture.customer)
        }
        try await fixture.expectRejection(SaleError.unknownPaymentMethod("bitcoin")) {
            _ = try await sales.pay(code: booking.code, method: "bitcoin", amount: booking.total, reference: "B1", by: fixture.customer)
        }
        try await fixture.expectRejection(SaleError.paymentMethodDisabled("gopay")) {
            _ = try await sales.sell(showtime: fixture.upcoming, seats: ["A1"], method: "gopay", reference: "G1", by: fixture.cashier)
        }
    }

    @Test func anExpiredHoldCannotBePaid() async throws {
        let booking = try await held()
        fixture.clock.advance(by: 600)
        try await fixture.expectRejection(SaleError.holdExpired(booking.code)) {
            _ = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        }
        try await sales.expireStaleHolds()
        try await fixture.expectRejection(SaleError.holdExpired(booking.code)) {
            _ = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        }
    }

    @Test func aReferenceThatLooksLikeACardNumberIsRefusedAndNeverStored() async throws {
        let booking = try await held()
        for reference in ["4111111111111111", "4111 1111 1111 1111", "approval 5500-0000-0000-0004 ok", "378282246310005"] {
            try await fixture.expectRejection(SaleError.cardNumberInReference) {
                _ = try await sales.pay(code: booking.code, method: "credit_card", amount: booking.total,
                                        reference: reference, by: fixture.cashier)
            }
            try await fixture.expectRejection(SaleError.cardNumberInReference) {
                _ = try await sales.sell(showtime: fixture.upcoming, seats: ["A1"], method: "debit_card",
                                         reference: reference, by: fixture.cashier)
            }
        }
        // (Not "4111" alone: an HLC's milliseconds or an id may hold those digits by chance.)
        let everything = try #require(try fixture.value("SELECT group_concat(payload, ' ') FROM change_log") as String?)
        for reference in ["4111111111111111", "4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005"] {
            #expect(!everything.contains(reference))
        }
        #expect(!SaleError.cardNumberInReference.description.contains("4111"))
        // A long number that fails the Luhn check (a QRIS reference, say) is fine.
        #expect(!PaymentReference.looksLikeCardNumber("4111111111111112"))
        #expect(!PaymentReference.looksLikeCardNumber("123456"))
        let paid = try await sales.pay(code: booking.code, method: "qris", amount: booking.total,
                                       reference: "4111111111111112", by: fixture.cashier)
        #expect(paid.status == .paid)
    }

    @Test func aReferenceIsRequiredExceptForCash() async throws {
        let booking = try await held()
        try await fixture.expectRejection(SaleError.referenceRequired(method: "QRIS")) {
            _ = try await sales.pay(code: booking.code, method: "qris", amount: booking.total, reference: "  ", by: fixture.customer)
        }
        try await fixture.expectRejection(InputError(field: "reference", reason: "must be at most 64 characters")) {
            _ = try await sales.pay(code: booking.code, method: "qris", amount: booking.total,
                                    reference: String(repeating: "R", count: 65), by: fixture.customer)
        }
        let paid = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        #expect(paid.paymentReference == nil)
    }

    @Test func onlyTheOwnerOrStaffMayPayAndOnlyOnce() async throws {
        let booking = try await held()
        try await fixture.expectRejection(SaleError.notYourBooking(booking.code)) {
            _ = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.otherCustomer)
        }
        try await fixture.expectRejection(SaleError.bookingNotFound("NOPE-0001")) {
            _ = try await sales.pay(code: "nope-0001", method: "cash", amount: booking.total, by: fixture.customer)
        }
        _ = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        try await fixture.expectRejection(SaleError.alreadyPaid(booking.code)) {
            _ = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        }
        let other = try await held(["E1"])
        _ = try await sales.cancel(code: other.code, by: fixture.customer)
        try await fixture.expectRejection(SaleError.bookingClosed(other.code, status: .cancelled)) {
            _ = try await sales.pay(code: other.code, method: "cash", amount: other.total, by: fixture.cashier)
        }
    }

    @Test func sellBooksAndPaysInOneStep() async throws {
        let sold = try await sales.sell(showtime: fixture.upcoming, seats: ["E1", "E2"], method: "cash", by: fixture.cashier)
        #expect(sold.status == .paid)
        #expect(sold.total == Money(rupiah: 2 * SalesFixture.couplePrice))
        #expect(sold.userID == nil)
        #expect(sold.soldAt == fixture.clock.now)
        #expect(sold.soldHLC != nil)
        #expect(sold.channel == .counter)
        let logged: [String] = try await fixture.box.writer.read { db in
            try String.fetchAll(db, sql: "SELECT entity || ':' || operation FROM change_log WHERE entity IN ('bookings', 'tickets') ORDER BY seq")
        }
        #expect(logged == ["bookings:insert", "tickets:insert", "tickets:insert"])
        let registered = try await sales.sell(showtime: fixture.upcoming, seats: ["E9"],
                                              for: .account(email: SalesFixture.customerEmail), method: "debit_card",
                                              reference: "APPR-123456", by: fixture.manager)
        #expect(registered.userID == fixture.customer.userID)
        #expect(try await sales.bookings(status: .paid, by: fixture.customer).items.map(\.code) == [registered.code])
        try await fixture.expectRejection(AccountError.notAllowed("only staff may sell at the counter")) {
            _ = try await sales.sell(showtime: fixture.upcoming, seats: ["A1"], method: "cash", by: fixture.customer)
        }
        try await fixture.expectRejection(SaleError.seatTaken(["E2"])) {
            _ = try await sales.sell(showtime: fixture.upcoming, seats: ["E3", "E2"], method: "cash", by: fixture.cashier)
        }
        try await fixture.expectRejection(SaleError.referenceRequired(method: "QRIS")) {
            _ = try await sales.sell(showtime: fixture.upcoming, seats: ["E3"], method: "qris", by: fixture.cashier)
        }
    }

    @Test func theReceiptShowsEverythingACustomerNeeds() async throws {
        let sold = try await sales.sell(showtime: fixture.upcoming, seats: ["D1", "C1"], for: .walkIn(name: "Budi"),
                                        method: "qris", reference: "QR-778899", by: fixture.cashier)
        let receipt = try await sales.receipt(code: sold.code, by: fixture.cashier)
        let text = receipt.text
        for expected in ["Demo Plaza", "Studio 1", "The Long Offline", "2026-01-01 19:00 (Asia/Jakarta)", sold.code,
                         "Seat C1", "Seat D1", "Rp 50.000", "Rp 75.000", "Rp 125.000", "QRIS", "QR-778899", "Budi"] {
            #expect(text.contains(expected), "\(expected) missing from\n\(text)")
        }
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= Receipt.width })
        try await fixture.expectRejection(SaleError.notYourBooking(sold.code)) {
            _ = try await sales.receipt(code: sold.code, by: fixture.customer)
        }
    }
}
