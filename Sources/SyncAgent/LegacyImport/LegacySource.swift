import BoxOfficeKit
import Foundation

/// Reads the old system's PostgreSQL database into a ``LegacySnapshot``, in one read-only
/// repeatable-read transaction: a consistent view, and nothing written to the old database.
///
/// Both namings the old system's copies use are accepted: `booking_seats` or `booking_seat`, and
/// the studio columns of `seats` and `showtimes` named `cinema_id` (which they are not) or
/// `studio_id`. The card data in `payment_details` is never selected: a row only tells whether it
/// had any.
enum LegacySource {
    /// The columns read from each table (`ts` columns as text timestamps), by the table's name.
    private static let required: [(table: String, columns: [String])] = [
        ("users", ["id", "username", "email", "password_hash", "phone_number", "created_at", "updated_at", "deleted_at", "is_verified"]),
        ("cinemas", ["id", "name", "location", "created_at", "updated_at", "deleted_at"]),
        ("studios", ["id", "cinema_id", "name", "created_at", "updated_at", "deleted_at"]),
        ("seats", ["id", "seat_number", "deleted_at"]),
        ("movies", ["id", "title", "description", "duration", "release_date", "genre", "rating", "poster_url",
                    "director_info", "cast_info", "created_at", "updated_at", "deleted_at"]),
        ("showtimes", ["id", "movie_id", "start_time", "end_time", "price", "created_at", "updated_at", "deleted_at"]),
        ("payment_methods", ["id", "name", "created_at", "updated_at", "deleted_at"]),
    ]

    /// Reads every table; `progress` is told each table as it is read (of nine).
    static func read(url: String, progress: (String, Int, Int) -> Void) throws -> LegacySnapshot {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(url: url, applicationName: "boxoffice-import-legacy")
        } catch {
            throw LegacyImportError.sourceUnreachable(oneLine(error.message))
        }
        do {
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { try? connection.execute("ROLLBACK") }
            return try snapshot(connection, progress: progress)
        } catch let error as PostgresError {
            throw error.isConnectionFailure ? LegacyImportError.sourceUnreachable(oneLine(error.message))
                                            : LegacyImportError.sourceRefused(oneLine(error.message))
        }
    }

    private static func snapshot(_ connection: PostgresConnection, progress: (String, Int, Int) -> Void) throws -> LegacySnapshot {
        var columns: [String: Set<String>] = [:]
        for row in try connection.query("""
            SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'
            """).values {
            if let table = row[0], let column = row[1] { columns[table, default: []].insert(column) }
        }
        let bookings = columns["booking_seat"] != nil && columns["booking_seats"] == nil ? "booking_seat" : "booking_seats"
        let seatStudio = columns["seats"]?.contains("cinema_id") == true ? "cinema_id" : "studio_id"
        let showtimeStudio = columns["showtimes"]?.contains("cinema_id") == true ? "cinema_id" : "studio_id"
        var missing: [String] = []
        let needed = required + [
            (bookings, ["id", "user_id", "showtime_id", "seat_id", "payment_method_id", "status", "payment_details",
                        "created_at", "updated_at", "deleted_at"]),
            ("seats", [seatStudio]), ("showtimes", [showtimeStudio]),
        ]
        for (table, wanted) in needed {
            guard let present = columns[table] else {
                if !missing.contains("table \(table)") { missing.append("table \(table)") }
                continue
            }
            missing += wanted.filter { !present.contains($0) }.map { "column \(table).\($0)" }
        }
        guard missing.isEmpty else { throw LegacyImportError.notAnOldDatabase(missing: missing) }

        var snapshot = LegacySnapshot()
        var step = 0
        func rows(_ table: String, _ sql: String) throws -> [PostgresRow] {
            step += 1
            progress("reading \(table)", step, 9)
            return try connection.query(sql).rows
        }
        func ts(_ column: String) -> String { "to_char(\(column), 'YYYY-MM-DD HH24:MI:SS.US') AS \(column)" }

        snapshot.users = try rows("users", """
            SELECT id, username, email, password_hash, phone_number, \(ts("created_at")), \(ts("updated_at")),
                   \(ts("deleted_at")), is_verified
            FROM public.users
            """).map { row in
            LegacySnapshot.User(
                id: try id(row), username: row["username"], email: row["email"], passwordHash: row["password_hash"],
                phoneNumber: row["phone_number"], createdAt: row["created_at"], updatedAt: row["updated_at"],
                deletedAt: row["deleted_at"], isVerified: row["is_verified"].map { $0 == "t" })
        }
        step += 1
        progress("reading sessions", step, 9)
        if columns["sessions"] != nil {
            snapshot.sessionCount = Int(try connection.query("SELECT count(*) FROM public.sessions").scalar ?? "0") ?? 0
        }
        snapshot.cinemas = try rows("cinemas", """
            SELECT id, name, location, \(ts("created_at")), \(ts("updated_at")), \(ts("deleted_at")) FROM public.cinemas
            """).map { row in
            LegacySnapshot.Cinema(id: try id(row), name: row["name"], location: row["location"], createdAt: row["created_at"],
                                  updatedAt: row["updated_at"], deletedAt: row["deleted_at"])
        }
        snapshot.studios = try rows("studios", """
            SELECT id, cinema_id, name, \(ts("created_at")), \(ts("updated_at")), \(ts("deleted_at")) FROM public.studios
            """).map { row in
            LegacySnapshot.Studio(id: try id(row), cinemaID: row["cinema_id"].flatMap { Int64($0) }, name: row["name"],
                                  createdAt: row["created_at"], updatedAt: row["updated_at"], deletedAt: row["deleted_at"])
        }
        snapshot.seats = try rows("seats", """
            SELECT id, \(seatStudio) AS studio_id, seat_number, \(ts("deleted_at")) FROM public.seats
            """).map { row in
            LegacySnapshot.Seat(id: try id(row), studioID: row["studio_id"].flatMap { Int64($0) },
                                seatNumber: row["seat_number"], deletedAt: row["deleted_at"])
        }
        snapshot.movies = try rows("movies", """
            SELECT id, title, description, duration, release_date::text AS release_date, genre, rating::text AS rating,
                   poster_url, director_info::text AS director_info, cast_info::text AS cast_info,
                   \(ts("created_at")), \(ts("updated_at")), \(ts("deleted_at"))
            FROM public.movies
            """).map { row in
            LegacySnapshot.Movie(
                id: try id(row), title: row["title"], description: row["description"],
                duration: row["duration"].flatMap { Int($0) }, releaseDate: row["release_date"], genre: row["genre"],
                rating: row["rating"].flatMap { Double($0) }, posterURL: row["poster_url"],
                directorInfo: row["director_info"], castInfo: row["cast_info"], createdAt: row["created_at"],
                updatedAt: row["updated_at"], deletedAt: row["deleted_at"])
        }
        snapshot.showtimes = try rows("showtimes", """
            SELECT id, movie_id, \(showtimeStudio) AS studio_id, \(ts("start_time")), \(ts("end_time")), price::text AS price,
                   \(ts("created_at")), \(ts("updated_at")), \(ts("deleted_at"))
            FROM public.showtimes
            """).map { row in
            LegacySnapshot.Showtime(
                id: try id(row), movieID: row["movie_id"].flatMap { Int64($0) }, studioID: row["studio_id"].flatMap { Int64($0) },
                startTime: row["start_time"], endTime: row["end_time"], price: row["price"], createdAt: row["created_at"],
                updatedAt: row["updated_at"], deletedAt: row["deleted_at"])
        }
        snapshot.paymentMethods = try rows("payment_methods", """
            SELECT id, name, \(ts("created_at")), \(ts("updated_at")), \(ts("deleted_at")) FROM public.payment_methods
            """).map { row in
            LegacySnapshot.PaymentMethod(id: try id(row), name: row["name"], createdAt: row["created_at"],
                                         updatedAt: row["updated_at"], deletedAt: row["deleted_at"])
        }
        // payment_details holds card numbers, CVVs and expiry dates in plain text: only whether a row
        // had any is selected, never the data.
        snapshot.bookings = try rows(bookings, """
            SELECT id, user_id, showtime_id, seat_id, payment_method_id, status,
                   \(ts("created_at")), \(ts("updated_at")), \(ts("deleted_at")),
                   (payment_details IS NOT NULL AND payment_details::text <> 'null') AS had_card_data
            FROM public.\(bookings)
            """).map { row in
            LegacySnapshot.BookingSeat(
                id: try id(row), userID: row["user_id"].flatMap { Int64($0) },
                showtimeID: row["showtime_id"].flatMap { Int64($0) }, seatID: row["seat_id"].flatMap { Int64($0) },
                paymentMethodID: row["payment_method_id"].flatMap { Int64($0) }, status: row["status"],
                createdAt: row["created_at"], updatedAt: row["updated_at"], deletedAt: row["deleted_at"],
                hadCardData: row["had_card_data"] == "t")
        }
        return snapshot
    }

    /// libpq spreads some messages over several lines; a report gets one.
    private static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    private static func id(_ row: PostgresRow) throws -> Int64 {
        guard let text = row["id"], let id = Int64(text) else {
            throw LegacyImportError.sourceRefused("a row has an id that is not an integer")
        }
        return id
    }
}
