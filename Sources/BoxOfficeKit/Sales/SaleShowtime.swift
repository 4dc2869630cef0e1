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
        localStart = LocalTime.format(startsAt, timeZone: timeZone)
    }

    /// The showtime with this id, or ``SaleError/showtimeNotFound(_:)``.
    static func fetch(_ db: Database, id: String) throws -> SaleShowtime {
        guard let row = try Row.fetchOne(db, sql: selectSQL + " WHERE st.id = ?", arguments: [id]) else {
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

/// Local wall-clock times of a cinema.
enum LocalTime {
    /// `date` in `timeZone` as `YYYY-MM-DD HH:MM` (UTC when the zone is unknown).
    static func format(_ date: Date, timeZone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }

    /// The instant of local `date` (`YYYY-MM-DD`) and `time` (`HH:MM`) in `timeZone`.
    static func instant(date: String, time: String, timeZone: String) throws(InputError) -> Date {
        let day = date.split(separator: "-").compactMap { Int($0) }
        guard date.count == 10, day.count == 3 else {
            throw InputError(field: "date", reason: "must be a date like 2026-01-31")
        }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard (4...5).contains(time.count), clock.count == 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else {
            throw InputError(field: "time", reason: "must be a time like 19:30")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: clock[0], minute: clock[1])
        guard components.isValidDate(in: calendar), let instant = calendar.date(from: components) else {
            throw InputError(field: "date", reason: "must be a date like 2026-01-31")
        }
        return instant
    }
}
