import Foundation
import GRDB
import Logging

extension BoxOffice {
    /// Seat maps, bookings, payments, cancellations and booking history.
    ///
    /// ```swift
    /// let map = try await box.sales.seatMap(showtime: showtimeID)
    /// ```
    public var sales: Sales { Sales(box: self) }
}

/// Selling seats: seat maps, holds, payments, the counter's one-step sale, cancellations and history.
///
/// Every write runs in one transaction stamped with one HLC, so a booking and its tickets reach the
/// change log together or not at all. One active ticket per seat per showtime is enforced by the
/// store's partial unique index, so two counters sharing one store file never sell a seat twice.
///
/// ```swift
/// let booking = try await box.sales.sell(
///     showtime: showtimeID, seats: ["F12", "F13"], method: "cash", by: cashier)
/// print(booking.code)   // "K7QX2M-0042"
/// ```
///
/// ## Topics
///
/// ### Seeing seats
/// - ``seatMap(showtime:)``
/// - ``seatMap(cinema:date:time:)``
///
/// ### Selling
/// - ``book(showtime:seats:for:by:)``
/// - ``pay(code:method:amount:reference:by:)``
/// - ``sell(showtime:seats:for:method:reference:by:)``
/// - ``receipt(code:by:)``
///
/// ### After the sale
/// - ``cancel(code:by:)``
/// - ``expireStaleHolds()``
/// - ``bookings(of:status:page:by:)``
/// - ``booking(code:by:)``
public struct Sales: Sendable {
    let box: BoxOffice
}

extension Sales {
    /// Logs a booking event with its code, status, seats and total: never its payment reference, so
    /// nothing a cashier typed into that field (even a refused card number) reaches a log.
    func log(_ event: Logger.Message, _ booking: Booking) -> Booking {
        box.logger.info(event, metadata: [
            "booking": .string(booking.code), "status": .string(booking.status.rawValue),
            "seats": .string(booking.seats.joined(separator: " ")), "total": .stringConvertible(booking.total.rupiah),
        ])
        return booking
    }
}
