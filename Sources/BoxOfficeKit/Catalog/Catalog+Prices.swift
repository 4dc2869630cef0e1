import Foundation
import GRDB

extension Catalog {
    /// Sets a showtime's prices; a showtime that waited for its price (``Showtime/priceNeeded``)
    /// goes on sale.
    ///
    /// Paid tickets keep the price they were sold at; seats still held for payment take the new
    /// prices, so the hold is paid at what the showtime costs now.
    ///
    /// ```swift
    /// let showtime = try await box.catalog.setPrice(showtimeID: id, basePrice: 42_500, by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - showtimeID: The showtime.
    ///   - basePrice: The price of a regular seat; not negative.
    ///   - priceModifiers: Surcharges per kind of seat; `nil` keeps the current ones.
    ///   - principal: Who sets them: head office, or the showtime's cinema's own manager.
    /// - Returns: The showtime as changed.
    /// - Throws: ``CatalogError/showtimeNotFound(_:)``; ``InputError`` naming `base_price` or
    ///   `price_modifiers`; ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    public func setPrice(
        showtimeID: String, basePrice: Money, priceModifiers: [SeatKind: Money]? = nil, by principal: Principal
    ) async throws -> Showtime {
        let now = box.now
        return try await box.write { db, stamp in
            guard var showtime = try Showtime.fetchOne(db, key: showtimeID) else {
                throw CatalogError.showtimeNotFound(showtimeID)
            }
            try principal.require(.update(.showtimes, of: .cinema(showtime.cinemaID), doing: "set a showtime's price"))
            showtime.basePrice = basePrice
            if let priceModifiers { showtime.priceModifiers = priceModifiers }
            try Self.checkPrices(ShowtimeDraft(
                cinemaID: showtime.cinemaID, studioID: showtime.studioID, movieID: showtime.movieID, date: "", time: "",
                basePrice: showtime.basePrice, priceModifiers: showtime.priceModifiers))
            showtime.priceNeeded = false
            showtime.updatedAt = now
            showtime.hlc = stamp.description
            showtime.priceVersion = stamp.description
            try showtime.update(db)
            try db.execute(sql: """
                UPDATE tickets SET price = (
                        SELECT \(SeatStates.priceSQL) FROM showtimes st JOIN seats se ON se.id = tickets.seat_id
                        WHERE st.id = tickets.showtime_id),
                    price_version = :hlc, updated_at = :now, hlc = :hlc
                WHERE showtime_id = :showtime AND status = 'active'
                  AND booking_id IN (SELECT id FROM bookings WHERE status IN ('held', 'pending_payment'))
                """, arguments: ["now": now, "hlc": stamp.description, "showtime": showtime.id])
            try db.execute(sql: """
                UPDATE bookings SET total = (SELECT coalesce(sum(price), 0) FROM tickets
                                             WHERE booking_id = bookings.id AND status = 'active'),
                    updated_at = :now, hlc = :hlc
                WHERE showtime_id = :showtime AND status IN ('held', 'pending_payment')
                """, arguments: ["now": now, "hlc": stamp.description, "showtime": showtime.id])
            return try Showtime.fetchOne(db, key: showtime.id)!
        }
    }
}
