import Foundation
import GRDB

extension Sales {
    /// The printable receipt of a booking.
    ///
    /// ```swift
    /// print(try await box.sales.receipt(code: "K7QX2M-0042", by: cashier).text)
    /// ```
    ///
    /// - Parameters:
    ///   - code: The booking code.
    ///   - principal: The booking's customer, or staff.
    /// A code printed on the receipts of two sales (a restored or copied counter issued it twice,
    /// and head office gave the later sale a new code) names both instead.
    ///
    /// - Throws: ``SaleError/bookingNotFound(_:)``, ``SaleError/notYourBooking(_:)``,
    ///   ``SaleError/codePrintedTwice(_:sales:)``.
    public func receipt(code: String, by principal: Principal) async throws -> Receipt {
        let now = box.now
        return try await box.read { db in
            let state = try Booking.State.fetch(db, code: code)
            try state.checkAccess(by: principal)
            let booking = try Booking.fetch(db, id: state.id, now: now)
            let showing = try Showtime.forSale(db, id: booking.showtimeID)
            let methodName = try String.fetchOne(db, sql: """
                SELECT pm.name FROM bookings b JOIN payment_methods pm ON pm.id = b.payment_method_id WHERE b.id = ?
                """, arguments: [booking.id])
            return Receipt(
                id: booking.id, code: booking.code, status: booking.status, showtime: showing, tickets: booking.tickets,
                total: booking.total, paymentMethod: booking.paymentMethod, paymentMethodName: methodName,
                paymentReference: booking.paymentReference, soldAt: booking.soldAt,
                refundAmount: booking.refundAmount, customerName: booking.customerName)
        }
    }
}
