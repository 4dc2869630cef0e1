import Foundation
import GRDB

extension Sales {
    /// Cancels a booking before its showtime starts and gives its seats back.
    ///
    /// An unpaid booking becomes `cancelled`; a paid one `refunded`, with its total recorded as the
    /// refund amount. Only the booking's customer or staff may cancel it.
    ///
    /// ```swift
    /// let cancelled = try await box.sales.cancel(code: "K7QX2M-0042", by: cashier)
    /// print(cancelled.status, cancelled.refundAmount?.formatted ?? "-")   // refunded Rp 100.000
    /// ```
    ///
    /// - Parameters:
    ///   - code: The booking code.
    ///   - principal: The booking's customer, or staff.
    /// - Returns: The cancelled or refunded booking.
    /// - Throws: ``SaleError/showtimeStarted(_:)``, ``SaleError/notYourBooking(_:)``,
    ///   ``SaleError/bookingClosed(_:status:)`` (also for a hold that ran out: it is expired already),
    ///   ``SaleError/bookingNotFound(_:)``.
    public func cancel(code: String, by principal: Principal) async throws -> Booking {
        let now = box.now
        return log("booking cancelled", try await box.write { db, stamp in
            let booking = try Booking.State.fetch(db, code: code)
            try booking.checkAccess(by: principal)
            let showing = try SaleShowtime.fetch(db, id: booking.showtimeID)
            guard showing.startsAt > now else { throw SaleError.showtimeStarted(showing.id) }
            if booking.holdHasRunOut(at: now) { throw SaleError.bookingClosed(booking.code, status: .expired) }
            switch booking.status {
            case .cancelled, .refunded, .expired:
                throw SaleError.bookingClosed(booking.code, status: booking.status)
            case .held, .pendingPayment:
                try db.execute(sql: "UPDATE bookings SET status = 'cancelled', updated_at = ?, hlc = ? WHERE id = ?",
                               arguments: [now, stamp.description, booking.id])
            case .paid:
                try db.execute(sql: """
                    UPDATE bookings SET status = 'refunded', refund_amount = total, updated_at = ?, hlc = ? WHERE id = ?
                    """, arguments: [now, stamp.description, booking.id])
            }
            try Placement.releaseTickets(db, bookingID: booking.id, now: now, stamp: stamp)
            return try Booking.fetch(db, id: booking.id, now: now)
        })
    }
}
