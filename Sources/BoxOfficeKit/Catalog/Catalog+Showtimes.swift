import Foundation
import GRDB

extension Catalog {
    /// Schedules a showtime; its end is the start plus the movie's duration plus the cleaning buffer.
    ///
    /// ```swift
    /// let showtime = try await box.catalog.addShowtime(
    ///     ShowtimeDraft(cinemaID: cinema.id, studioID: studio.id, movieID: movie.id,
    ///                   date: "2026-11-25", time: "19:30", basePrice: 50_000, priceModifiers: [.vip: 25_000]),
    ///     by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - draft: Cinema, studio, movie, local start date and time, prices.
    ///   - principal: Who schedules it: head office, or the cinema's own manager.
    /// - Returns: The new showtime.
    /// - Throws: ``CatalogError/showtimeOverlaps(existing:)`` when the studio is busy then,
    ///   ``CatalogError/showtimeInPast(date:time:)``, ``CatalogError/studioOfAnotherCinema(studio:cinemaID:)``, the not-found errors of the cinema,
    ///   studio and movie; ``InputError`` naming `date`, `time`, `base_price` or `price_modifiers`;
    ///   ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    public func addShowtime(_ draft: ShowtimeDraft, by principal: Principal) async throws -> Showtime {
        try await addShowtimes([draft], by: principal)[0]
    }

    /// Schedules several showtimes at once: all of them, or none when one is refused.
    ///
    /// ```swift
    /// let week = try await box.catalog.addShowtimes(drafts, by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - drafts: The showtimes; they may not overlap each other either.
    ///   - principal: Who schedules them: head office, or the cinemas' own manager.
    /// - Returns: The new showtimes, in the order of `drafts`.
    /// - Throws: The errors of ``addShowtime(_:by:)`` for the first draft refused.
    public func addShowtimes(_ drafts: [ShowtimeDraft], by principal: Principal) async throws -> [Showtime] {
        try await addShowtimes(drafts, allowingPast: false, by: principal)
    }

    /// ``addShowtimes(_:by:)``, and for the demo's sample week (from this morning) also showtimes
    /// that already started.
    func addShowtimes(_ drafts: [ShowtimeDraft], allowingPast: Bool, by principal: Principal) async throws -> [Showtime] {
        for draft in drafts {
            try principal.require(.insert(.showtimes, of: .cinema(draft.cinemaID), doing: "schedule a showtime"))
            try Self.checkPrices(draft)
            _ = try LocalDateTime.parseDate(draft.date)
            _ = try LocalDateTime.parseTime(draft.time)
        }
        let now = box.now
        let cleaning = box.configuration.cleaningBuffer.timeInterval
        return try await box.write { db, stamp in
            try drafts.map { draft in
                let showtime = try Self.insertShowtime(draft, cleaning: cleaning, now: now, stamp: stamp, in: db)
                guard allowingPast || showtime.startsAt > now else { throw CatalogError.showtimeInPast(date: draft.date, time: draft.time) }
                return showtime
            }
        }
    }

    /// The showtime with this id.
    ///
    /// ```swift
    /// let showtime = try await box.catalog.showtime(id: id)
    /// ```
    ///
    /// - Throws: ``CatalogError/showtimeNotFound(_:)``.
    public func showtime(id: String) async throws -> Showtime {
        try await box.read { db in
            guard let showtime = try Showtime.fetch(db, id: id) else { throw CatalogError.showtimeNotFound(id) }
            return showtime
        }
    }

    /// The scheduled showtimes of a cinema that start on a local date of the cinema, by start time.
    ///
    /// ```swift
    /// let today = try await box.catalog.showtimes(cinemaID: cinema.id, on: "2026-11-25")
    /// ```
    ///
    /// - Parameters:
    ///   - cinemaID: The cinema.
    ///   - date: The local date, `YYYY-MM-DD`, in the cinema's time zone.
    /// - Throws: ``CatalogError/cinemaNotFound(_:)``; ``InputError`` naming `date`.
    public func showtimes(cinemaID: String, on date: String) async throws -> [Showtime] {
        _ = try LocalDateTime.parseDate(date)
        return try await box.read { db in
            let cinema = try Self.openCinema(id: cinemaID, in: db)
            let day = try LocalDateTime.day(date, timeZone: cinema.zone)
            return try Showtime
                .filter(Column("cinema_id") == cinemaID && Column("status") == Showtime.Status.scheduled.rawValue)
                .filter(Column("starts_at") >= day.lowerBound && Column("starts_at") < day.upperBound)
                .order(Column("starts_at"), Column("studio_id"))
                .fetchAll(db)
        }
    }

    /// Today's date in the cinema's time zone, by the store's clock: `2026-11-25`.
    ///
    /// ```swift
    /// let today = try await box.catalog.today(cinemaID: cinema.id)
    /// let showtimes = try await box.catalog.showtimes(cinemaID: cinema.id, on: today)
    /// ```
    ///
    /// - Throws: ``CatalogError/cinemaNotFound(_:)``.
    public func today(cinemaID: String) async throws -> String {
        let now = box.now
        let cinema = try await cinema(id: cinemaID)
        return LocalDateTime(now, timeZone: cinema.zone).date
    }

    /// The scheduled showtime of a cinema that starts at a local date and time (the old API's
    /// `GET /api/cinemas/{id}/seats?date&time` lookup).
    ///
    /// ```swift
    /// let showtime = try await box.catalog.showtime(cinemaID: cinema.id, date: "2026-11-25", time: "19:30")
    /// ```
    ///
    /// - Parameters:
    ///   - cinemaID: The cinema.
    ///   - date: The local date, `YYYY-MM-DD`.
    ///   - time: The local start time, `HH:MM`.
    ///   - studioID: The studio, needed only when several studios start a showtime at that time.
    /// - Throws: ``CatalogError/noShowtimeAt(cinema:date:time:)``,
    ///   ``CatalogError/showtimeAmbiguous(date:time:candidates:)``, ``CatalogError/cinemaNotFound(_:)``;
    ///   ``InputError`` naming `date` or `time`.
    public func showtime(cinemaID: String, date: String, time: String, studioID: String? = nil) async throws -> Showtime {
        _ = try LocalDateTime.parseDate(date)
        _ = try LocalDateTime.parseTime(time)
        return try await box.read { db in
            let cinema = try Self.openCinema(id: cinemaID, in: db)
            let start = try LocalDateTime(date: date, time: time, timeZone: cinema.timeZone).instant
            let studio = try studioID.map { id in try Self.openStudio(id: id, in: db) }
            return try Self.showtime(
                at: start, handle: studio.map { ShowtimeHandle(time: time, studio: $0.name) }, cinema: cinema, date: date, in: db)
        }
    }

    static func checkPrices(_ draft: ShowtimeDraft) throws(InputError) {
        guard draft.basePrice >= .zero else { throw InputError(field: "base_price", reason: "must not be negative") }
        guard draft.basePrice.rupiah <= 100_000_000 else {
            throw InputError(field: "base_price", reason: "must be at most Rp 100.000.000")
        }
        for (kind, modifier) in draft.priceModifiers where modifier < .zero || modifier.rupiah > 100_000_000 {
            throw InputError(field: "price_modifiers", reason: "the \(kind.rawValue) surcharge must be between 0 and Rp 100.000.000")
        }
    }

    /// Inserts a showtime in the caller's transaction, after checking the studio, movie and overlap.
    static func insertShowtime(
        _ draft: ShowtimeDraft, cleaning: TimeInterval, now: Date, stamp: HLC, in db: Database
    ) throws -> Showtime {
        let cinema = try openCinema(id: draft.cinemaID, in: db)
        let studio = try openStudio(id: draft.studioID, in: db)
        guard studio.cinemaID == cinema.id else {
            throw CatalogError.studioOfAnotherCinema(studio: studio.name, cinemaID: cinema.id)
        }
        let movie = try openMovie(id: draft.movieID, in: db)
        let start = try LocalDateTime(date: draft.date, time: draft.time, timeZone: cinema.timeZone).instant
        let end = start.addingTimeInterval(movie.duration.timeInterval + cleaning)
        let showtime = Showtime(
            id: EntityID.make(at: now), cinemaID: cinema.id, studioID: studio.id, movieID: movie.id,
            startsAt: start, endsAt: end, basePrice: draft.basePrice, priceModifiers: draft.priceModifiers,
            createdAt: now, timeZone: cinema.timeZone, cinemaName: cinema.name, movieTitle: movie.title, studioName: studio.name,
            movieDurationMinutes: movie.durationMinutes, hlc: stamp.description)
        do {
            try showtime.insert(db)
        } catch let error as DatabaseError where db.brokenConstraint(error) == .showtimesDoNotOverlap {
            guard let existing = try clash(of: showtime, in: db) else { throw error }
            throw CatalogError.showtimeOverlaps(existing: existing)
        } catch let error as DatabaseError where db.brokenConstraint(error) == .showtimeStudioOfCinema {
            throw CatalogError.studioOfAnotherCinema(studio: studio.name, cinemaID: cinema.id)
        }
        // Read back with its display columns (the studio's key in the handle depends on its siblings).
        return try Showtime.fetch(db, id: showtime.id) ?? showtime
    }

    /// The scheduled showtime that `showtime` would overlap (the earliest), to name in
    /// ``CatalogError/showtimeOverlaps(existing:)`` once the store's rule refused it.
    ///
    /// The rule (`rules/showtimes.sql`, the view `showtime_clashes`) is asked itself: `showtime` is
    /// written where the rule stands aside (as head office's state is), the clash is read, and the
    /// write is rolled back.
    static func clash(of showtime: Showtime, in db: Database) throws -> Showtime? {
        var existing: Showtime?
        try db.inSavepoint {
            try ChangeLogSuppression.while(db) { try showtime.insert(db) }
            existing = try Showtime.fetchOne(db, sql: Showtime.selectSQL + """
                 WHERE showtimes.id = (SELECT clashes_with FROM showtime_clashes
                                       WHERE showtime_id = ? ORDER BY clash_starts_at LIMIT 1)
                """, arguments: [showtime.id])
            return .rollback
        }
        return existing
    }
}
