import Foundation
import GRDB

/// One screening of a movie in a studio, with its prices.
///
/// The store keeps ``startsAt`` and ``endsAt`` as UTC instants; ``localStart`` and ``localEnd``
/// give them in the cinema's time zone. The end is the start plus the movie's duration plus the
/// store's cleaning buffer, so two showtimes whose times do not overlap leave time to clean.
///
/// Its JSON form (`schemas/json/showtime.schema.json`) carries the UTC instants (`starts_at`,
/// `ends_at`, `movie_ends_at`) and the local ones (`local_starts_at`: `"2026-11-25T19:30:00+07:00"`),
/// and its ``handle``.
///
/// ```swift
/// let showtime = try await box.catalog.showtime(cinemaID: cinema.id, date: "2026-11-25", time: "19:30")
/// print("\(showtime.movieTitle) in \(showtime.studioName) at \(showtime.localStart.time)")
/// print(showtime.price(for: .vip))   // "Rp 75.000"
/// ```
public struct Showtime: Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    /// The table of the store that holds these rows: "showtimes".
    public static let databaseTableName = "showtimes"

    /// The showtime's UUIDv7 id.
    public var id: String
    /// The cinema of the showtime (the cinema of its studio).
    public var cinemaID: String
    /// The studio it plays in.
    public var studioID: String
    /// The movie it plays.
    public var movieID: String
    /// When the movie starts (UTC instant).
    public var startsAt: Date
    /// When the studio is free again: start + duration + cleaning buffer (UTC instant).
    public var endsAt: Date
    /// The price of a regular seat.
    public var basePrice: Money
    /// What each kind of seat costs on top of ``basePrice``.
    public var priceModifiers: [SeatKind: Money]
    /// The version of the prices: the stamp of the change that set them (`legacy` for the prices of
    /// a showtime the old system sold). Each ticket carries the version it was priced from, and
    /// head office places a ticket by it, whatever the counter's clock said.
    public var priceVersion: String
    /// Whether it will play.
    public var status: Status
    /// Whether the showtime waits for a manager to set its price before it goes on sale (an
    /// imported showtime whose old price had a fraction of a rupiah, or none).
    public var priceNeeded: Bool = false
    /// When the showtime was added.
    public var createdAt: Date
    /// When the showtime was last changed.
    public var updatedAt: Date
    /// The cinema's IANA time zone, in which ``localStart`` and ``localEnd`` are given.
    public var timeZone: String
    /// The cinema's name, for display.
    public var cinemaName: String
    /// The movie's title, for display.
    public var movieTitle: String
    /// The studio's name, for display.
    public var studioName: String
    /// How the studio is named in the showtime's ``handle``: the number its name ends with
    /// (`2` for `Studio 2`) when no other studio of the cinema ends with that number, else its name.
    public var studioKey: String
    /// The movie's running time in minutes, for the time the movie ends (``movieEndsAt``).
    public var movieDurationMinutes: Int
    /// The HLC stamp of the last local change.
    var hlc: String = ""

    /// Whether a showtime will play.
    public enum Status: String, Sendable, Hashable, Codable, DatabaseValueConvertible {
        /// It will play; its seats are on sale.
        case scheduled
        /// It was called off.
        case cancelled
    }

    /// The start in the cinema's time zone.
    public var localStart: LocalDateTime { LocalDateTime(startsAt, timeZone: zone) }
    /// The end (cleaning included) in the cinema's time zone.
    public var localEnd: LocalDateTime { LocalDateTime(endsAt, timeZone: zone) }
    /// When the movie ends: the start plus its running time, without the cleaning buffer — the end
    /// customers are told (UTC instant).
    public var movieEndsAt: Date { startsAt.addingTimeInterval(TimeInterval(movieDurationMinutes * 60)) }
    /// When the movie ends, in the cinema's time zone.
    public var localMovieEnd: LocalDateTime { LocalDateTime(movieEndsAt, timeZone: zone) }

    /// The short name a cashier types for this showtime on its local day: its local start time and
    /// its studio's ``studioKey``, e.g. `19:30/2`. No two showtimes of a cinema's day share one (a
    /// studio never has two showtimes at once), and it never changes, since neither part does.
    /// ``Catalog/findShowtime(_:cinema:on:)`` reads it back (see ``ShowtimeHandle``).
    ///
    /// ```swift
    /// print(showtime.handle)   // "19:30/2"
    /// ```
    public var handle: String { ShowtimeHandle(time: localStart.time, studio: studioKey).description }

    /// The price of one seat of `kind`: the base price plus that kind's modifier.
    ///
    /// ```swift
    /// let total = showtime.price(for: .vip) * 2
    /// ```
    public func price(for kind: SeatKind) -> Money {
        basePrice + (priceModifiers[kind] ?? .zero)
    }

    /// The cinema's time zone as a `TimeZone`.
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }

    /// The columns every showtime is read with besides its own: its cinema's time zone and name,
    /// its movie's title, its studio's name.
    static let displayColumns: [(name: String, sql: String)] = [
        ("time_zone", "(SELECT time_zone FROM cinemas WHERE cinemas.id = showtimes.cinema_id)"),
        ("cinema_name", "(SELECT name FROM cinemas WHERE cinemas.id = showtimes.cinema_id)"),
        ("movie_title", "(SELECT title FROM movies WHERE movies.id = showtimes.movie_id)"),
        ("studio_name", "(SELECT name FROM studios WHERE studios.id = showtimes.studio_id)"),
        ("studio_key", "(SELECT " + ShowtimeHandle.studioKeySQL(studio: "s") + " FROM studios s WHERE s.id = showtimes.studio_id)"),
        ("movie_duration_minutes", "(SELECT duration_minutes FROM movies WHERE movies.id = showtimes.movie_id)"),
    ]

    /// Also selects the display columns (time zone, names, title) of every showtime read.
    public static var databaseSelection: [any SQLSelectable] {
        [.allColumns] + displayColumns.map { SQL(sql: $0.sql).forKey($0.name) }
    }

    /// `SELECT` of every showtime's columns and display columns, to read with ``init(row:)`` (a
    /// query of its own, or a subquery joined to another table); append a `WHERE` clause.
    static let selectSQL = "SELECT showtimes.*, "
        + displayColumns.map { "\($0.sql) AS \($0.name)" }.joined(separator: ", ") + " FROM showtimes"

    /// The showtime with this id, through a cached statement (sales read one for every seat map
    /// and sale), or `nil`.
    static func fetch(_ db: Database, id: String) throws -> Showtime? {
        try Showtime.fetchOne(db.cachedStatement(sql: selectSQL + " WHERE showtimes.id = ?"), arguments: [id])
    }

    /// Reads a row of `showtimes`, with the display columns when the request selected them.
    public init(row: Row) throws {
        id = row["id"]
        cinemaID = row["cinema_id"]
        studioID = row["studio_id"]
        movieID = row["movie_id"]
        startsAt = row["starts_at"]
        endsAt = row["ends_at"]
        basePrice = Money(rupiah: row["base_price"])
        // The store's own JSON reader: a seat map and a sale read a showtime every time.
        priceModifiers = try Dictionary(FeedPayload(row["price_modifiers"] as String).members.compactMap { member in
            guard let kind = SeatKind(rawValue: member.key), case .integer(let rupiah) = member.value else { return nil }
            return (kind, Money(rupiah: Int(rupiah)))
        }, uniquingKeysWith: { first, _ in first })
        status = row["status"]
        priceNeeded = row["price_needed"] ?? false
        priceVersion = row["price_version"] ?? ""
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        hlc = row["hlc"]
        timeZone = row["time_zone"] ?? "UTC"
        cinemaName = row["cinema_name"] ?? ""
        movieTitle = row["movie_title"] ?? ""
        studioName = row["studio_name"] ?? ""
        studioKey = row["studio_key"] ?? studioName
        movieDurationMinutes = row["movie_duration_minutes"] ?? Int(endsAt.timeIntervalSince(startsAt) / 60)
    }

    init(
        id: String, cinemaID: String, studioID: String, movieID: String, startsAt: Date, endsAt: Date,
        basePrice: Money, priceModifiers: [SeatKind: Money], createdAt: Date, timeZone: String,
        cinemaName: String, movieTitle: String, studioName: String, studioKey: String? = nil, movieDurationMinutes: Int? = nil,
        hlc: String
    ) {
        self.id = id
        self.cinemaID = cinemaID
        self.studioID = studioID
        self.movieID = movieID
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.basePrice = basePrice
        self.priceModifiers = priceModifiers
        self.priceVersion = hlc
        self.status = .scheduled
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.timeZone = timeZone
        self.cinemaName = cinemaName
        self.movieTitle = movieTitle
        self.studioName = studioName
        self.studioKey = studioKey ?? studioName
        self.movieDurationMinutes = movieDurationMinutes ?? Int(endsAt.timeIntervalSince(startsAt) / 60)
        self.hlc = hlc
    }

    /// The surcharges as stored and shown: rupiah by seat kind's name.
    private var rupiahByKind: [String: Int] {
        Dictionary(uniqueKeysWithValues: priceModifiers.map { ($0.key.rawValue, $0.value.rupiah) })
    }

    /// Writes the columns of `showtimes` (the display columns are not stored).
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["cinema_id"] = cinemaID
        container["studio_id"] = studioID
        container["movie_id"] = movieID
        container["starts_at"] = startsAt
        container["ends_at"] = endsAt
        container["base_price"] = basePrice.rupiah
        container["price_modifiers"] = try CatalogInput.jsonText(rupiahByKind)
        container["price_version"] = priceVersion
        container["status"] = status.rawValue
        container["price_needed"] = priceNeeded
        container["created_at"] = createdAt
        container["updated_at"] = updatedAt
        container["hlc"] = hlc
    }
}

extension Showtime: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, status
        case cinemaID = "cinema_id"
        case studioID = "studio_id"
        case movieID = "movie_id"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case localStartsAt = "local_starts_at"
        case localEndsAt = "local_ends_at"
        case timeZone = "time_zone"
        case cinemaName = "cinema_name"
        case basePrice = "base_price"
        case priceModifiers = "price_modifiers"
        case priceNeeded = "price_needed"
        case movieTitle = "movie_title"
        case studioName = "studio_name"
        case handle
        case movieEndsAt = "movie_ends_at"
        case localMovieEndsAt = "local_movie_ends_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Encodes the public form: UTC instants and the local start and end with the zone's offset.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(cinemaID, forKey: .cinemaID)
        try container.encode(studioID, forKey: .studioID)
        try container.encode(movieID, forKey: .movieID)
        try container.encode(startsAt, forKey: .startsAt)
        try container.encode(endsAt, forKey: .endsAt)
        try container.encode(localStart.iso8601, forKey: .localStartsAt)
        try container.encode(localEnd.iso8601, forKey: .localEndsAt)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(cinemaName, forKey: .cinemaName)
        try container.encode(basePrice, forKey: .basePrice)
        try container.encode(rupiahByKind, forKey: .priceModifiers)
        try container.encode(status, forKey: .status)
        try container.encode(priceNeeded, forKey: .priceNeeded)
        try container.encode(movieTitle, forKey: .movieTitle)
        try container.encode(studioName, forKey: .studioName)
        try container.encode(handle, forKey: .handle)
        try container.encode(movieEndsAt, forKey: .movieEndsAt)
        try container.encode(localMovieEnd.iso8601, forKey: .localMovieEndsAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// What a manager types to schedule a showtime: the start as a local date and time of the cinema.
///
/// ```swift
/// let draft = ShowtimeDraft(
///     cinemaID: cinema.id, studioID: studio.id, movieID: movie.id,
///     date: "2026-11-25", time: "19:30", basePrice: 50_000, priceModifiers: [.vip: 25_000])
/// let showtime = try await box.catalog.addShowtime(draft, by: manager)
/// ```
public struct ShowtimeDraft: Sendable, Hashable {
    /// The cinema, whose time zone `date` and `time` are in.
    public var cinemaID: String
    /// A studio of that cinema.
    public var studioID: String
    /// The movie.
    public var movieID: String
    /// The local start date, `YYYY-MM-DD`.
    public var date: String
    /// The local start time, `HH:MM`.
    public var time: String
    /// The price of a regular seat; not negative.
    public var basePrice: Money
    /// Surcharges per kind of seat; not negative.
    public var priceModifiers: [SeatKind: Money]

    /// Creates a draft.
    public init(
        cinemaID: String, studioID: String, movieID: String, date: String, time: String,
        basePrice: Money, priceModifiers: [SeatKind: Money] = [:]
    ) {
        self.cinemaID = cinemaID
        self.studioID = studioID
        self.movieID = movieID
        self.date = date
        self.time = time
        self.basePrice = basePrice
        self.priceModifiers = priceModifiers
    }
}
