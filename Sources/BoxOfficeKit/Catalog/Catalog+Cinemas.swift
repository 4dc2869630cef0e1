import Foundation
import GRDB

extension Catalog {
    /// Adds a cinema.
    ///
    /// ```swift
    /// let cinema = try await box.catalog.addCinema(
    ///     CinemaDraft(name: "Cinema Braga", city: "Bandung", address: "Jl. Braga 10"), by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - draft: The name, city, address and time zone.
    ///   - principal: Who adds it: head office (a manager of no cinema).
    /// - Returns: The new cinema.
    /// - Throws: ``InputError`` (`name`, `city`, `address`, `time_zone`);
    ///   ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    public func addCinema(_ draft: CinemaDraft, by principal: Principal) async throws -> Cinema {
        try principal.require(.insert(.cinemas, doing: "add a cinema"))
        let name = try CatalogInput.text(draft.name, field: "name")
        let city = try CatalogInput.text(draft.city, field: "city", maximum: 100)
        let address = try CatalogInput.optionalText(draft.address, field: "address", maximum: 500)
        let timeZone = try CatalogInput.timeZone(draft.timeZone)
        let now = box.now
        return try await box.write { db, stamp in
            let cinema = Cinema(
                id: EntityID.make(at: now), name: name, city: city, address: address, timeZone: timeZone,
                createdAt: now, updatedAt: now, deletedAt: nil, hlc: stamp.description)
            try cinema.insert(db)
            return cinema
        }
    }

    /// Changes a cinema's name, city, address or time zone.
    ///
    /// A time zone is changed only while the cinema has no showtime still to come: each keeps its
    /// instant, so its local time would move under its customers
    /// (``CatalogError/timeZoneMovesShowtimes(cinema:showtimes:example:)``).
    ///
    /// ```swift
    /// let cinema = try await box.catalog.editCinema(id: id, CinemaChanges(name: "Cinema Braga XXI"), by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - id: The cinema.
    ///   - changes: The fields to change; `nil` fields keep their value.
    ///   - principal: Who changes it: head office, or the cinema's own manager.
    /// - Returns: The cinema as changed.
    /// - Throws: ``CatalogError/cinemaNotFound(_:)``; ``InputError`` for a bad field;
    ///   ``CatalogError/timeZoneMovesShowtimes(cinema:showtimes:example:)``;
    ///   ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    public func editCinema(id: String, _ changes: CinemaChanges, by principal: Principal) async throws -> Cinema {
        try principal.require(.update(.cinemas, of: .cinema(id), doing: "edit a cinema"))
        let name = try changes.name.map { name throws(InputError) in try CatalogInput.text(name, field: "name") }
        let city = try changes.city.map { city throws(InputError) in try CatalogInput.text(city, field: "city", maximum: 100) }
        let address = try changes.address.map { address throws(InputError) in
            try CatalogInput.optionalText(address, field: "address", maximum: 500)
        }
        let timeZone = try changes.timeZone.map { zone throws(InputError) in try CatalogInput.timeZone(zone) }
        let now = box.now
        return try await box.write { db, stamp in
            var cinema = try Self.openCinema(id: id, in: db)
            if let name { cinema.name = name }
            if let city { cinema.city = city }
            if let address { cinema.address = address }
            if let timeZone, timeZone != cinema.timeZone {
                let coming = try Self.showtimesToCome(of: cinema.id, at: now, in: db)
                if let first = coming.first {
                    let before = LocalDateTime(first, timeZone: cinema.zone), after = LocalDateTime(first, timeZone: TimeZone(identifier: timeZone) ?? .gmt)
                    throw CatalogError.timeZoneMovesShowtimes(
                        cinema: cinema.name, showtimes: coming.count, example: "\(before) would become \(after)")
                }
                cinema.timeZone = timeZone
            }
            cinema.updatedAt = now
            cinema.hlc = stamp.description
            try cinema.update(db)
            return cinema
        }
    }

    /// Removes a cinema from the catalog (a soft delete: its row stays for history and sync).
    ///
    /// ```swift
    /// try await box.catalog.removeCinema(id: id, by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - id: The cinema.
    ///   - cancellingShowtimes: Whether to cancel its showtimes still to come (none sold) with it.
    ///   - principal: Who removes it: head office.
    /// - Returns: The removed cinema, with ``Cinema/deletedAt`` set.
    /// A cinema with showtimes still to come is not removed
    /// (``CatalogError/cinemaHasShowtimes(cinema:showtimes:sold:)``): they would stay on sale.
    /// With `cancellingShowtimes` they are cancelled with it — only while none of them has a
    /// ticket held or sold, whose customers must be refunded or moved first.
    ///
    /// - Throws: ``CatalogError/cinemaNotFound(_:)`` (also when it was removed already);
    ///   ``CatalogError/cinemaHasShowtimes(cinema:showtimes:sold:)``;
    ///   ``AccountError/notAllowed(_:)`` when the ownership table does not allow `principal`.
    @discardableResult
    public func removeCinema(id: String, cancellingShowtimes: Bool = false, by principal: Principal) async throws -> Cinema {
        try principal.require(.delete(.cinemas, of: .cinema(id), doing: "remove a cinema"))
        if cancellingShowtimes {
            try principal.require(.update(.showtimes, of: .cinema(id), doing: "cancel a cinema's showtimes"))
        }
        let now = box.now
        return try await box.write { db, stamp in
            var cinema = try Self.openCinema(id: id, in: db)
            let coming = try Self.showtimesToCome(of: cinema.id, at: now, in: db)
            if !coming.isEmpty {
                let sold = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM tickets t JOIN showtimes st ON st.id = t.showtime_id
                    WHERE st.cinema_id = ? AND st.status = 'scheduled' AND st.starts_at > ? AND t.status = 'active'
                    """, arguments: [cinema.id, now]) ?? 0
                guard cancellingShowtimes, sold == 0 else {
                    throw CatalogError.cinemaHasShowtimes(cinema: cinema.name, showtimes: coming.count, sold: sold)
                }
                try db.execute(sql: """
                    UPDATE showtimes SET status = 'cancelled', updated_at = ?, hlc = ?
                    WHERE cinema_id = ? AND status = 'scheduled' AND starts_at > ?
                    """, arguments: [now, stamp.description, cinema.id, now])
            }
            cinema.deletedAt = now
            cinema.updatedAt = now
            cinema.hlc = stamp.description
            try cinema.update(db)
            return cinema
        }
    }

    /// The cinema with this id (the old API's `GET /api/cinemas/{id}`).
    ///
    /// ```swift
    /// let cinema = try await box.catalog.cinema(id: id)
    /// ```
    ///
    /// - Throws: ``CatalogError/cinemaNotFound(_:)`` when there is none or it was removed.
    public func cinema(id: String) async throws -> Cinema {
        try await box.read { db in try Self.openCinema(id: id, in: db) }
    }

    /// One page of the cinemas, by name (the old API's `GET /api/cinemas?page&limit`).
    ///
    /// ```swift
    /// let page = try await box.catalog.cinemas(page: PageRequest(page: 1, limit: 20))
    /// print("\(page.items.count) of \(page.total)")
    /// ```
    ///
    /// - Parameter request: Which page; pages count from 1.
    /// - Returns: The page, with the total number of cinemas.
    /// - Throws: ``InputError`` naming `page` or `limit`.
    public func cinemas(page request: PageRequest = PageRequest()) async throws -> Page<Cinema> {
        let request = try request.validated()
        return try await box.read { db in
            let open = Cinema.filter(Column("deleted_at") == nil)
            let total = try open.fetchCount(db)
            let items = try open.order(Column("name"), Column("id"))
                .limit(request.limit, offset: request.offset).fetchAll(db)
            return Page(items: items, page: request.page, limit: request.limit, total: total)
        }
    }

    /// How many scheduled showtimes of the cinema are still to come.
    ///
    /// ```swift
    /// let coming = try await box.catalog.showtimesToCome(cinemaID: cinema.id)
    /// ```
    public func showtimesToCome(cinemaID: String) async throws -> Int {
        let now = box.now
        return try await box.read { db in try Self.showtimesToCome(of: cinemaID, at: now, in: db).count }
    }

    /// The starts of the cinema's scheduled showtimes still to come, earliest first.
    static func showtimesToCome(of cinemaID: String, at now: Date, in db: Database) throws -> [Date] {
        try Date.fetchAll(db, sql: """
            SELECT starts_at FROM showtimes WHERE cinema_id = ? AND status = 'scheduled' AND starts_at > ? ORDER BY starts_at
            """, arguments: [cinemaID, now])
    }

    /// The cinema with this id unless removed.
    static func openCinema(id: String, in db: Database) throws -> Cinema {
        guard let cinema = try Cinema.fetchOne(db, key: id), cinema.deletedAt == nil else {
            throw CatalogError.cinemaNotFound(id)
        }
        return cinema
    }
}
