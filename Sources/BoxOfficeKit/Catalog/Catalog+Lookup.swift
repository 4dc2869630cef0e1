import Foundation
import GRDB

extension Catalog {
    /// The cinema a person names: by id, name, or an unambiguous prefix of its name, of a word of its
    /// name or of its id, in any case (one rule for every lookup, in `CatalogLookup.swift`). With no name, the store's
    /// only cinema — a counter's own.
    ///
    /// ```swift
    /// let braga = try await box.catalog.findCinema("braga")      // "Cinema Braga"
    /// let mine = try await box.catalog.findCinema()              // a counter store's one cinema
    /// ```
    ///
    /// - Parameter reference: What the person typed; `nil` for the store's only cinema.
    /// - Returns: The open cinema.
    /// - Throws: ``CatalogError/cinemaNotFound(_:)``, ``CatalogError/ambiguous(_:query:candidates:)``,
    ///   ``CatalogError/cinemaNeeded(candidates:)`` when no name is given and the store has no or
    ///   several cinemas.
    public func findCinema(_ reference: String? = nil) async throws -> Cinema {
        try await box.read { db in try Self.findCinema(reference, in: db) }
    }

    /// The studio a person names, by the lookup rule, among the studios of `cinema` (a cinema
    /// reference as ``findCinema(_:)`` takes; `nil` for the store's only cinema, or every cinema's
    /// studios when it has several).
    ///
    /// ```swift
    /// let studio = try await box.catalog.findStudio("studio 2", cinema: "Braga")
    /// ```
    ///
    /// - Throws: ``CatalogError/studioNotFound(_:)``, ``CatalogError/ambiguous(_:query:candidates:)``,
    ///   and the errors of ``findCinema(_:)`` for `cinema`.
    public func findStudio(_ reference: String, cinema: String? = nil) async throws -> Studio {
        try await box.read { db in
            let key = reference.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if let studio = try Studio.fetchOne(db, key: key), studio.deletedAt == nil { return studio }
            var request = Studio.filter(Column("deleted_at") == nil)
            let cinemas = try Cinema.filter(Column("deleted_at") == nil).fetchAll(db)
            if cinema != nil || cinemas.count == 1 {
                request = request.filter(Column("cinema_id") == (try Self.findCinema(cinema, in: db)).id)
            }
            let names = Dictionary(cinemas.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            return try CatalogLookup.find(
                reference, in: try request.order(Column("name")).fetchAll(db), what: "studio", id: \.id, names: { [$0.name] },
                describe: { "\($0.name) at \(names[$0.cinemaID] ?? $0.cinemaID)" }, notFound: .studioNotFound(reference))
        }
    }

    /// The movie a person names: by id, title, or an unambiguous prefix of its title, of a word of
    /// it or of its id, in any case.
    ///
    /// ```swift
    /// let movie = try await box.catalog.findMovie("pengabdi")
    /// ```
    ///
    /// - Throws: ``CatalogError/movieNotFound(_:)``, ``CatalogError/ambiguous(_:query:candidates:)``.
    public func findMovie(_ reference: String) async throws -> Movie {
        try await box.read { db in
            try CatalogLookup.find(
                reference, in: try Movie.filter(Column("deleted_at") == nil).order(Column("title")).fetchAll(db),
                what: "movie", id: \.id, names: { [$0.title] }, describe: \.title, notFound: .movieNotFound(reference))
        }
    }

    /// The payment method a person names: by id, code (`debit_card`), name (`Debit card (EDC
    /// terminal)`), or an unambiguous prefix of either, in any case (`debit`, `qr`).
    ///
    /// ```swift
    /// let method = try await box.catalog.findPaymentMethod("Cash")   // code "cash"
    /// ```
    ///
    /// - Throws: ``CatalogError/paymentMethodNotFound(_:)``, ``CatalogError/ambiguous(_:query:candidates:)``.
    public func findPaymentMethod(_ reference: String) async throws -> PaymentMethod {
        try await box.read { db in try PaymentMethod.find(db, reference: reference) }
    }

    /// The showtime a person names: by its ``Showtime/handle`` on a local day of a cinema (`19:30/2`,
    /// or `19:30` when only one showtime starts then), or by its id or an unambiguous prefix of it.
    ///
    /// ```swift
    /// let tonight = try await box.catalog.findShowtime("19:30/2", cinema: "Braga")
    /// let later = try await box.catalog.findShowtime("21:00", cinema: "Braga", on: "2026-11-26")
    /// ```
    ///
    /// - Parameters:
    ///   - reference: A handle, or an id or its prefix.
    ///   - cinema: For a handle, the cinema, as ``findCinema(_:)`` takes it (`nil`: the store's only one).
    ///   - date: For a handle, the cinema's local date `YYYY-MM-DD`; `nil` for today there.
    /// - Returns: The showtime (a handle names only scheduled ones).
    /// - Throws: ``CatalogError/noShowtimeAt(cinema:date:time:)``,
    ///   ``CatalogError/showtimeAmbiguous(date:time:candidates:)``, ``CatalogError/showtimeNotFound(_:)``,
    ///   the errors of ``findCinema(_:)``, ``InputError`` naming `date`.
    public func findShowtime(_ reference: String, cinema: String? = nil, on date: String? = nil) async throws -> Showtime {
        if let date { _ = try LocalDateTime.parseDate(date) }
        let now = box.now
        return try await box.read { db in
            guard let handle = ShowtimeHandle(reference) else {
                return try Self.showtimeByID(reference, in: db)
            }
            let cinema = try Self.findCinema(cinema, in: db)
            let day = date ?? LocalDateTime(now, timeZone: cinema.zone).date
            let start = try LocalDateTime(date: day, time: handle.time, timeZone: cinema.timeZone).instant
            return try Self.showtime(at: start, handle: handle, cinema: cinema, date: day, in: db)
        }
    }

    /// The open cinema `reference` names, or the only one when it is `nil`.
    static func findCinema(_ reference: String?, in db: Database) throws -> Cinema {
        let open = try Cinema.filter(Column("deleted_at") == nil).order(Column("name")).fetchAll(db)
        guard let reference, !reference.trimmingCharacters(in: .whitespaces).isEmpty else {
            guard open.count == 1 else { throw CatalogError.cinemaNeeded(candidates: open.map(\.name)) }
            return open[0]
        }
        return try CatalogLookup.find(
            reference, in: open, what: "cinema", id: \.id, names: { [$0.name] },
            describe: { "\($0.name) (\($0.city))" }, notFound: .cinemaNotFound(reference))
    }

    /// The showtime with this id, or the one whose id this unambiguous prefix (four characters or
    /// more) begins.
    static func showtimeByID(_ reference: String, in db: Database) throws -> Showtime {
        let key = reference.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let showtime = try Showtime.fetch(db, id: key) { return showtime }
        guard key.count >= 4, !key.contains("%"), !key.contains("_") else { throw CatalogError.showtimeNotFound(reference) }
        let found = try Showtime.fetchAll(db, sql: Showtime.selectSQL + " WHERE showtimes.id LIKE ? ORDER BY starts_at LIMIT 10",
                                          arguments: [key + "%"])
        guard found.count <= 1 else {
            throw CatalogError.ambiguous("showtime", query: reference, candidates: found.map {
                "\($0.id.prefix(13))… \($0.localStart) \($0.movieTitle)"
            })
        }
        guard let showtime = found.first else { throw CatalogError.showtimeNotFound(reference) }
        return showtime
    }

    /// The scheduled showtime of `cinema` that starts within the minute `start` and matches
    /// `handle`'s studio part.
    static func showtime(at start: Date, handle: ShowtimeHandle?, cinema: Cinema, date: String, in db: Database) throws -> Showtime {
        // Within the minute: a time is typed to the minute, and an imported start may have seconds.
        let starting = try Showtime
            .filter(Column("cinema_id") == cinema.id && Column("status") == Showtime.Status.scheduled.rawValue)
            .filter(Column("starts_at") >= start && Column("starts_at") < start.addingTimeInterval(60))
            .order(Column("studio_id")).fetchAll(db)
        let time = LocalDateTime(start, timeZone: cinema.zone).time
        let matching = handle.map { handle in starting.filter(handle.matchesStudio) } ?? starting
        // A key or a name matched exactly beats a prefix that also matches another studio.
        let exact = matching.filter { showtime in
            guard let key = handle?.studio?.lowercased() else { return false }
            return showtime.studioKey.lowercased() == key || showtime.studioName.lowercased() == key
        }
        let found = exact.count == 1 ? exact : matching
        guard let first = found.first else {
            throw CatalogError.noShowtimeAt(cinema: cinema.name, date: date, time: handle?.description ?? time)
        }
        guard found.count == 1 else {
            throw CatalogError.showtimeAmbiguous(
                date: date, time: time, candidates: found.map { "\($0.handle) (\($0.studioName), \($0.movieTitle))" }.sorted())
        }
        return first
    }
}

extension PaymentMethod {
    /// The method `reference` names by the catalog's lookup rule (id, code, name, prefixes).
    static func find(_ db: Database, reference: String) throws -> PaymentMethod {
        let key = reference.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        // The common case, by index: a payment names its method by code.
        if let method = try find(db, codeOrID: key) { return method }
        let all = try PaymentMethod.order(Column("sort_order"), Column("code")).fetchAll(db)
        return try CatalogLookup.find(
            reference, in: all, what: "payment method", id: \.id, names: { [$0.code, $0.name] },
            describe: { "\($0.code) (\($0.name))" }, notFound: .paymentMethodNotFound(reference))
    }
}
