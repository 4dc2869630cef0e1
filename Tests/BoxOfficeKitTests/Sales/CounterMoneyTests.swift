import Foundation
import GRDB
import Testing
@testable import BoxOfficeKit

/// Issue 15, item 1: cash and the card terminal are counter-only; a customer's own payment is
/// only submitted until staff confirm it; a customer's cancellation of a paid booking leaves a
/// refund due that staff settle — never a refund the customer prints.
struct CounterMoneyTests {
    let fixture: SalesFixture
    init() throws { fixture = try SalesFixture() }
    var sales: Sales { fixture.box.sales }

    private func held(_ seats: [String] = ["C5", "C6"], by principal: Principal? = nil) async throws -> Booking {
        try await sales.book(showtime: fixture.upcoming, seats: seats, by: principal ?? fixture.customer)
    }

    @Test func aCustomerCannotPayByCashOrCard() async throws {
        let booking = try await held()
        for method in ["cash", "debit_card", "credit_card"] {
            try await fixture.expectRejection(AccountError.notAllowed(CounterAction.payAtCounter.refusal)) {
                _ = try await sales.pay(code: booking.code, method: method, amount: booking.total,
                                        reference: method == "cash" ? nil : "APPR-1", by: fixture.customer)
            }
        }
    }

    @Test func aCustomersOwnPaymentIsSubmittedKeepsItsSeatsAndIsPaidOnlyWhenStaffConfirm() async throws {
        let booking = try await held()
        let submitted = try await sales.pay(code: booking.code, method: "qris", amount: booking.total,
                                            reference: "QR-MADE-UP", by: fixture.customer)
        #expect(submitted.status == .pendingPayment)
        #expect(submitted.soldAt == nil && submitted.holdExpiresAt == booking.holdExpiresAt)
        #expect(try await sales.seatMap(showtime: fixture.upcoming).seats.filter { $0.state == .held }.map(\.label) == ["C5", "C6"])
        // Submitting again says so; the customer cannot confirm it themselves.
        try await fixture.expectRejection(SaleError.paymentAlreadySubmitted(booking.code)) {
            _ = try await sales.pay(code: booking.code, method: "gopay", amount: booking.total, reference: "G-1", by: fixture.customer)
        }
        try await fixture.expectRejection(AccountError.notAllowed(CounterAction.confirmPayment.refusal)) {
            _ = try await sales.confirmPayment(code: booking.code, by: fixture.customer)
        }
        // The receipt says where the money is: not valid yet.
        let receipt = try await sales.receipt(code: booking.code, by: fixture.customer)
        #expect(receipt.text.contains("PAYMENT SUBMITTED, NOT YET CONFIRMED"))
        #expect(!receipt.text.contains("Paid at"))
        let paid = try await sales.confirmPayment(code: booking.code, by: fixture.cashier)
        #expect(paid.status == .paid && paid.soldAt == fixture.clock.now && paid.holdExpiresAt == nil)
        #expect(try await sales.seatMap(showtime: fixture.upcoming).seats.filter { $0.state == .sold }.map(\.label) == ["C5", "C6"])
        try await fixture.expectRejection(SaleError.nothingToConfirm(booking.code, status: .paid)) {
            _ = try await sales.confirmPayment(code: booking.code, by: fixture.cashier)
        }
    }

    @Test func aSubmittedPaymentNobodyConfirmsExpiresWithItsHold() async throws {
        let booking = try await held()
        _ = try await sales.pay(code: booking.code, method: "qris", amount: booking.total, reference: "QR-1", by: fixture.customer)
        fixture.clock.advance(by: 601)
        try await fixture.expectRejection(SaleError.nothingToConfirm(booking.code, status: .expired)) {
            _ = try await sales.confirmPayment(code: booking.code, by: fixture.cashier)
        }
        #expect(try await sales.seatMap(showtime: fixture.upcoming).seats.filter { $0.state != .free }.isEmpty)
    }

    @Test func staffPaymentsArePaidAtOnce() async throws {
        let booking = try await held()
        let paid = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        #expect(paid.status == .paid)
    }

    @Test func aCustomersCancellationOfAPaidBookingLeavesARefundDueThatStaffSettle() async throws {
        let booking = try await held()
        _ = try await sales.pay(code: booking.code, method: "qris", amount: booking.total, reference: "QR-2", by: fixture.customer)
        _ = try await sales.confirmPayment(code: booking.code, by: fixture.cashier)
        let cancelled = try await sales.cancel(code: booking.code, by: fixture.customer)
        #expect(cancelled.status == .refundDue)
        #expect(cancelled.refundAmount == booking.total)
        #expect(try await sales.seatMap(showtime: fixture.upcoming).seats.filter { $0.state != .free }.isEmpty)
        let receipt = try await sales.receipt(code: booking.code, by: fixture.customer)
        #expect(receipt.text.contains("REFUND DUE") && !receipt.text.contains("REFUNDED"))
        try await fixture.expectRejection(AccountError.notAllowed(CounterAction.refund.refusal)) {
            _ = try await sales.settleRefund(code: booking.code, by: fixture.customer)
        }
        let refunded = try await sales.settleRefund(code: booking.code, by: fixture.cashier)
        #expect(refunded.status == .refunded && refunded.refundAmount == booking.total)
        try await fixture.expectRejection(SaleError.noRefundDue(booking.code, status: .refunded)) {
            _ = try await sales.settleRefund(code: booking.code, by: fixture.cashier)
        }
        // Each step went to the change log, for head office.
        let states: [String] = try await fixture.box.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT json_extract(payload, '$.status') FROM change_log WHERE entity = 'bookings' AND entity_id = ? ORDER BY seq
                """, arguments: [booking.id])
        }
        #expect(states == ["held", "pending_payment", "paid", "refund_due", "refunded"])
    }

    @Test func staffCancellingAPaidBookingRefundItThereAndThen() async throws {
        let booking = try await held()
        _ = try await sales.pay(code: booking.code, method: "cash", amount: booking.total, by: fixture.cashier)
        let refunded = try await sales.cancel(code: booking.code, by: fixture.cashier)
        #expect(refunded.status == .refunded)
    }

    @Test func anUnconfirmedPaymentCancelledIsNoRefund() async throws {
        let booking = try await held()
        _ = try await sales.pay(code: booking.code, method: "qris", amount: booking.total, reference: "QR-3", by: fixture.customer)
        let cancelled = try await sales.cancel(code: booking.code, by: fixture.customer)
        #expect(cancelled.status == .cancelled && cancelled.refundAmount == nil)
    }
}
