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
            let showing = try Showtime.forSale(db, id: booking.showtimeID)
            guard showing.startsAt > now else { throw SaleError.showtimeStarted(showing.id) }
            // Money taken is returned; a booking never paid is simply closed.
            let closed: BookingStatus = booking.status(at: now) == .paid ? .refunded : .cancelled
            try booking.checkMove(to: closed, at: now)
            try db.execute(sql: """
                UPDATE bookings SET status = ?, refund_amount = CASE WHEN ? THEN total END, updated_at = ?, hlc = ?
                WHERE id = ?
                """, arguments: [closed.rawValue, closed == .refunded, now, stamp.description, booking.id])
            try Placement.releaseTickets(db, bookingID: booking.id, now: now, stamp: stamp)
            return try Booking.fetch(db, id: booking.id, now: now)
        })
    }
}
