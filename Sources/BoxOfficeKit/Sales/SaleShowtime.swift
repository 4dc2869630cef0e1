import Foundation
import GRDB

/// A showtime as sales shows it: which movie, where, and when in UTC and in the cinema's local time.
///
/// ```swift
/// let map = try await box.sales.seatMap(showtime: id)
/// print("\(map.showtime.movieTitle) — \(map.showtime.studioName), \(map.showtime.localStart)")
/// ```
public struct SaleShowtime: Sendable, Hashable, Encodable, Identifiable {
    /// The showtime's id.
    public var id: String
    /// The movie's id.
    public var movieID: String
    /// The movie's title.
    public var movieTitle: String
    /// The cinema's id.
    public var cinemaID: String
    /// The cinema's name.
    public var cinemaName: String
    /// The studio's id.
    public var studioID: String
    /// The studio's name.
    public var studioName: String
    /// When the showtime starts (UTC instant).
    public var startsAt: Date
    /// When the studio is free again (UTC instant).
    public var endsAt: Date
    /// The cinema's time zone, e.g. `Asia/Jakarta`.
    public var timeZone: String
    /// The start in the cinema's local time, `YYYY-MM-DD HH:MM`.
    public var localStart: String
    /// The price of a regular seat.
    public var basePrice: Money
    /// Whether the showtime was cancelled.
    public var isCancelled: Bool

    enum CodingKeys: String, CodingKey {
        case id, movieID = "movie_id", movieTitle = "movie_title", cinemaID = "cinema_id", cinemaName = "cinema_name"
        case studioID = "studio_id", studioName = "studio_name", startsAt = "starts_at", endsAt = "ends_at"
        case timeZone = "time_zone", localStart = "local_start", basePrice = "base_price", isCancelled = "is_cancelled"
    }

    /// The SQL that reads a showtime with its cinema, studio and movie; append a WHERE clause.
    static let selectSQL = """
        SELECT st.id, st.movie_id, m.title AS movie_title, st.cinema_id, c.name AS cinema_name, c.time_zone,
               st.studio_id, so.name AS studio_name, st.starts_at, st.ends_at, st.base_price, st.status
        FROM showtimes st
        JOIN cinemas c ON c.id = st.cinema_id
        JOIN studios so ON so.id = st.studio_id
        JOIN movies m ON m.id = st.movie_id
        """

    init(row: Row) {
        id = row["id"]
        movieID = row["movie_id"]
        movieTitle = row["movie_title"]
        cinemaID = row["cinema_id"]
        cinemaName = row["cinema_name"]
        studioID = row["studio_id"]
        studioName = row["studio_name"]
        startsAt = row["starts_at"]
        endsAt = row["ends_at"]
        timeZone = row["time_zone"]
        basePrice = Money(rupiah: row["base_price"])
        isCancelled = (row["status"] as String) == "cancelled"
        localStart = SalesTime.format(startsAt, timeZone: timeZone)
    }

    /// The showtime with this id, or ``SaleError/showtimeNotFound(_:)``.
    static func fetch(_ db: Database, id: String) throws -> SaleShowtime {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: selectSQL + " WHERE st.id = ?"), arguments: [id]) else {
            throw SaleError.showtimeNotFound(id)
        }
        return SaleShowtime(row: row)
    }

    /// Throws unless the showtime can still be booked at `now`.
    func checkBookable(at now: Date) throws(SaleError) {
        guard !isCancelled else { throw SaleError.showtimeCancelled(id) }
        guard startsAt > now else { throw SaleError.showtimeStarted(id) }
    }
}
