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
            let showing = try SaleShowtime.fetch(db, id: showtime)
            return SeatMap(showtime: showing, seats: try SeatStates.fetch(db, showtimeID: showing.id, now: now, node: node))
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
    /// - Throws: ``SaleError/cinemaNotFound(_:)``, ``SaleError/noShowtimeAt(cinema:date:time:)``,
    ///   ``SaleError/severalShowtimesAt(cinema:date:time:showtimeIDs:)``, ``InputError`` for a bad date or time.
    public func seatMap(cinema: String, date: String, time: String) async throws -> SeatMap {
        let showtimeID = try await showtimeID(cinema: cinema, date: date, time: time)
        return try await seatMap(showtime: showtimeID)
    }

    /// The id of the scheduled showtime starting in `cinema` at local `date` and `time`.
    func showtimeID(cinema: String, date: String, time: String) async throws -> String {
        try await box.read { db in
            guard let zone = try String.fetchOne(
                db, sql: "SELECT time_zone FROM cinemas WHERE id = ? AND deleted_at IS NULL", arguments: [cinema])
            else { throw SaleError.cinemaNotFound(cinema) }
            let start = try SalesTime.instant(date: date, time: time, timeZone: zone)
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM showtimes
                WHERE cinema_id = ? AND status = 'scheduled' AND starts_at >= ? AND starts_at < ?
                ORDER BY studio_id
                """, arguments: [cinema, start, start.addingTimeInterval(60)])
            guard let first = ids.first else { throw SaleError.noShowtimeAt(cinema: cinema, date: date, time: time) }
            guard ids.count == 1 else {
                throw SaleError.severalShowtimesAt(cinema: cinema, date: date, time: time, showtimeIDs: ids)
            }
            return first
        }
    }
}
