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

/// The one place that decides a seat's state for a showtime.
enum SeatStates {
    /// The SQL expression of the state of seat `se` in showtime `st`, given `:now` and `:node`; the
    /// query joins ``stateJoinsSQL`` for it.
    static let stateSQL = """
        CASE
          WHEN b.status = 'paid' THEN 'sold'
          WHEN b.status IN ('held', 'pending_payment')
               AND (b.hold_expires_at IS NULL OR b.hold_expires_at > :now) THEN 'held'
          WHEN sb.seat_id IS NOT NULL THEN 'blocked'
          WHEN sa.node_id <> :node THEN 'allotted'
          ELSE 'free'
        END
        """

    /// The outer joins ``stateSQL`` reads: the seat's active ticket in `st` and its booking, its
    /// block, its allotment. Each matches at most one row (the partial unique index
    /// `tickets_one_active_per_seat` and the primary keys of `seat_blocks` and `seat_allotments`),
    /// so the joins never repeat a seat; one pass of joins is cheaper than four correlated
    /// subqueries per seat.
    static let stateJoinsSQL = """
        LEFT JOIN tickets t ON t.showtime_id = st.id AND t.seat_id = se.id AND t.status = 'active'
        LEFT JOIN bookings b ON b.id = t.booking_id
        LEFT JOIN seat_blocks sb ON sb.showtime_id = st.id AND sb.seat_id = se.id
        LEFT JOIN seat_allotments sa ON sa.showtime_id = st.id AND sa.seat_id = se.id
        """

    /// The SQL expression of seat `se`'s price in showtime `st`: base price plus the kind's surcharge.
    static let priceSQL = """
        st.base_price + COALESCE(CAST(json_extract(st.price_modifiers, '$.' || se.kind) AS INTEGER), 0)
        """

    /// Every seat of the showtime's studio with its state and price, by grid row then column.
    static func fetch(_ db: Database, showtimeID: String, now: Date, node: String) throws -> [SeatMap.Seat] {
        // A cached statement read through a cursor, by column position (the order of the SELECT
        // list): a seat map is read for every customer at the screen, so it pays neither a compile,
        // nor a copy of every row, nor a name lookup per column and seat.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT se.id, se.label, se.row_label, se.number, se.kind, se.grid_row, se.grid_column,
                   \(priceSQL) AS price, \(stateSQL) AS state
            FROM showtimes st JOIN seats se ON se.studio_id = st.studio_id
            \(stateJoinsSQL)
            WHERE st.id = :showtime
            ORDER BY se.grid_row, se.grid_column
            """), arguments: ["showtime": showtimeID, "now": now, "node": node])
        var seats: [SeatMap.Seat] = []
        while let row = try rows.next() {
            seats.append(SeatMap.Seat(
                id: row[0], label: row[1], rowLabel: row[2], number: row[3], kind: row[4], gridRow: row[5],
                gridColumn: row[6], state: SeatState(rawValue: row[8]) ?? .blocked, price: Money(rupiah: row[7])))
        }
        return seats
    }
}
