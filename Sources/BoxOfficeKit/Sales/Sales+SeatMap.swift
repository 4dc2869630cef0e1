import Foundation
import GRDB

extension Sales {
    /// The seat map of a showtime: every seat of its studio, its state for this showtime and its price.
    ///
    /// A hold whose time ran out reads as free, even before ``expireStaleHolds()`` marks it expired.
    ///
    /// ```swift
    /// let map = try await box.sales.seatMap(showtime: showtimeID)
    /// for seat in map.seats where seat.state == .free { print(seat.label, seat.price.formatted) }
    /// ```
    ///
    /// - Parameter showtime: The showtime's id.
    /// - Returns: The showtime and its seats, by grid row then column.
    /// - Throws: ``SaleError/showtimeNotFound(_:)``.
    public func seatMap(showtime: String) async throws -> SeatMap {
        let now = box.now
        let node = box.nodeID
        return try await box.read { db in
            let showing = try Showtime.forSale(db, id: showtime)
            var seats = try SeatStates.fetch(db, showtimeID: showing.id, now: now, node: node)
            CouplePairs.markPartners(&seats)
            return SeatMap(showtime: showing, seats: seats)
        }
    }

    /// The seat map of the showtime that starts in a cinema at a local date and time, as the old
    /// API's `GET /api/cinemas/{id}/seats?date&time` found it.
    ///
    /// ```swift
    /// let map = try await box.sales.seatMap(cinema: cinemaID, date: "2026-01-31", time: "19:30")
    /// ```
    ///
    /// - Parameters:
    ///   - cinema: The cinema's id.
    ///   - date: The local date, `YYYY-MM-DD`, in the cinema's time zone.
    ///   - time: The local start time, `HH:MM`.
    /// - Throws: The errors of ``Catalog/showtime(cinemaID:date:time:studioID:)``:
    ///   ``CatalogError/cinemaNotFound(_:)``, ``CatalogError/noShowtimeAt(cinema:date:time:)``,
    ///   ``CatalogError/showtimeAmbiguous(date:time:candidates:)``, ``InputError`` for a bad date or time.
    public func seatMap(cinema: String, date: String, time: String) async throws -> SeatMap {
        let showtime = try await box.catalog.showtime(cinemaID: cinema, date: date, time: time)
        return try await seatMap(showtime: showtime.id)
    }
}
