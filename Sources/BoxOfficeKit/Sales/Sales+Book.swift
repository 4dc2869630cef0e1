import Foundation
import GRDB

extension Sales {
    /// Holds seats of one showtime for payment: all of them or none.
    ///
    /// A customer books for themselves (``BookingCustomer/me``); a cashier or manager may also book
    /// for a registered customer by email or for a walk-in. The booking is `held` until
    /// ``BoxOffice/Configuration/holdDuration`` has passed; pay it with ``pay(code:method:amount:reference:by:)``.
    ///
    /// ```swift
    /// let booking = try await box.sales.book(showtime: showtimeID, seats: ["F12", "F13"], by: customer)
    /// print(booking.code)   // "K7QX2M-0042"
    /// ```
    ///
    /// - Parameters:
    ///   - showtime: The showtime's id.
    ///   - seats: Seat labels (`F12`, any case) or seat ids, of the showtime's studio, each once.
    ///   - customer: For whom; staff only for anyone but themselves.
    ///   - principal: Who is booking.
    /// - Returns: The held booking.
    /// - Throws: ``SaleError/seatTaken(_:)`` naming every taken seat, ``SaleError/showtimeStarted(_:)``,
    ///   ``SaleError/showtimeCancelled(_:)``, ``SaleError/unknownSeats(_:studio:)``,
    ///   ``SaleError/seatsOfAnotherStudio(_:studio:)``, ``SaleError/tooManySeats(requested:limit:)``,
    ///   ``InputError`` (no seats, a seat twice, a bad email or name), ``AccountError``.
    public func book(
        showtime: String, seats: [String], for customer: BookingCustomer = .me, by principal: Principal
    ) async throws -> Booking {
        let request = try SeatRequest(seats, limit: box.configuration.maximumSeatsPerBooking)
        let customer = try CustomerRequest(customer, by: principal)
        let now = box.now
        let hold = box.configuration.holdDuration.timeInterval
        let node = box.nodeID
        return log("booking held", try await box.write { db, stamp in
            let placement = Placement(now: now, stamp: stamp, node: node, principal: principal)
            let id = try placement.place(db, showtime: showtime, request: request, customer: customer,
                                         outcome: .held(until: now.addingTimeInterval(hold)))
            return try Booking.fetch(db, id: id, now: now)
        })
    }

    /// Marks every hold of this counter that ran out as expired and releases its seats; returns how
    /// many it expired.
    ///
    /// Reads already treat such seats as free, so this sweep only tidies the store (and tells head
    /// office through the change log). Other counters' holds are theirs to expire: one of them may
    /// have been paid there meanwhile. Run it whenever convenient.
    ///
    /// ```swift
    /// let expired = try await box.sales.expireStaleHolds()
    /// ```
    ///
    /// - Returns: The number of bookings marked expired.
    @discardableResult
    public func expireStaleHolds() async throws -> Int {
        let now = box.now
        let node = box.nodeID
        let expired = try await box.write { db, stamp in
            try Placement.expireLapsedHolds(db, node: node, now: now, stamp: stamp)
        }
        if expired > 0 { box.logger.info("stale holds expired", metadata: ["bookings": .stringConvertible(expired)]) }
        return expired
    }
}
