import Foundation
import GRDB

extension Sales {
    /// Cancels a booking before its showtime starts and gives its seats back.
    ///
    /// An unpaid booking (held, or with a payment only submitted) becomes `cancelled`. A paid one
    /// cancelled by staff becomes `refunded`: they return the money there and then. A paid one
    /// cancelled by its customer becomes `refund_due` (``CounterAction/requestRefund``): the seats
    /// are free, and the refund is something staff carry out (``settleRefund(code:by:)``), not a
    /// line the customer prints. Either records the total as the refund amount.
    ///
    /// ```swift
    /// let cancelled = try await box.sales.cancel(code: "K7QX2M-0042", by: cashier)
    /// print(cancelled.status, cancelled.refundAmount?.formatted ?? "-")   // refunded Rp 100.000
    /// ```
    ///
    /// - Parameters:
    ///   - code: The booking code.
    ///   - principal: The booking's customer, or staff.
    /// - Returns: The cancelled, refund-due or refunded booking.
    /// - Throws: ``SaleError/showtimeStarted(_:)``, ``SaleError/notYourBooking(_:)``,
    ///   ``SaleError/bookingClosed(_:status:)`` (also for a hold that ran out: it is expired already),
    ///   ``SaleError/bookingNotFound(_:)``.
    public func cancel(code: String, by principal: Principal) async throws -> Booking {
        let now = box.now
        return log("booking cancelled", try await box.write { db, stamp in
            let booking = try Booking.State.fetch(db, code: code)
            try booking.checkChange(by: principal)
            let showing = try Showtime.forSale(db, id: booking.showtimeID)
            guard showing.startsAt > now else { throw SaleError.showtimeStarted(showing.id) }
            let owns = booking.userID == principal.userID
            // Money taken is returned by staff; a booking never paid is simply closed.
            let closed: BookingStatus
            if booking.status(at: now) == .paid {
                if principal.may(.refund, owns: owns) {
                    closed = .refunded
                } else {
                    try principal.require(.requestRefund, owns: owns)
                    closed = .refundDue
                }
            } else {
                closed = .cancelled
            }
            try booking.checkMove(to: closed, at: now)
            try db.execute(sql: """
                UPDATE bookings SET status = ?, refund_amount = CASE WHEN ? THEN total END, updated_at = ?, hlc = ?
                WHERE id = ?
                """, arguments: [closed.rawValue, closed != .cancelled, now, stamp.description, booking.id])
            try Placement.releaseTickets(db, bookingID: booking.id, now: now, stamp: stamp)
            return try Booking.fetch(db, id: booking.id, now: now)
        })
    }

    /// Settles a refund due: staff returned a customer's money for a booking its customer
    /// cancelled after paying, so it becomes `refunded`. It may be settled after the showtime.
    ///
    /// ```swift
    /// let refunded = try await box.sales.settleRefund(code: "K7QX2M-0042", by: cashier)
    /// ```
    ///
    /// - Parameters:
    ///   - code: The booking code.
    ///   - principal: Staff (``CounterAction/refund``).
    /// - Returns: The refunded booking.
    /// - Throws: ``AccountError/notAllowed(_:)`` for a customer; ``SaleError/noRefundDue(_:status:)``;
    ///   ``SaleError/bookingNotFound(_:)``.
    public func settleRefund(code: String, by principal: Principal) async throws -> Booking {
        try principal.require(.refund)
        let now = box.now
        return log("refund settled", try await box.write { db, stamp in
            let booking = try Booking.State.fetch(db, code: code)
            try booking.checkChange(by: principal)
            let status = booking.status(at: now)
            guard status == .refundDue else { throw SaleError.noRefundDue(booking.code, status: status) }
            try db.execute(sql: "UPDATE bookings SET status = 'refunded', updated_at = ?, hlc = ? WHERE id = ?",
                           arguments: [now, stamp.description, booking.id])
            return try Booking.fetch(db, id: booking.id, now: now)
        })
    }
}
