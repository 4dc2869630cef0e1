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
    ///   - principal: Who adds it; must be a manager.
    /// - Returns: The new cinema.
    /// - Throws: ``InputError`` (`name`, `city`, `address`, `time_zone`);
    ///   ``AccountError/notAllowed(_:)`` for a non-manager.
    public func addCinema(_ draft: CinemaDraft, by principal: Principal) async throws -> Cinema {
        try principal.require(.manager, toDo: "add a cinema")
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
    /// Changing the time zone keeps every showtime's instant: their local times move instead.
    ///
    /// ```swift
    /// let cinema = try await box.catalog.editCinema(id: id, CinemaChanges(name: "Cinema Braga XXI"), by: manager)
    /// ```
    ///
    /// - Parameters:
    ///   - id: The cinema.
    ///   - changes: The fields to change; `nil` fields keep their value.
    ///   - principal: Who changes it; must be a manager.
    /// - Returns: The cinema as changed.
    /// - Throws: ``CatalogError/cinemaNotFound(_:)``; ``InputError`` for a bad field;
    ///   ``AccountError/notAllowed(_:)`` for a non-manager.
    public func editCinema(id: String, _ changes: CinemaChanges, by principal: Principal) async throws -> Cinema {
        try principal.require(.manager, toDo: "edit a cinema")
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
            if let timeZone { cinema.timeZone = timeZone }
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
    ///   - principal: Who removes it; must be a manager.
    /// - Returns: The removed cinema, with ``Cinema/deletedAt`` set.
    /// - Throws: ``CatalogError/cinemaNotFound(_:)`` (also when it was removed already);
    ///   ``AccountError/notAllowed(_:)`` for a non-manager.
    @discardableResult
    public func removeCinema(id: String, by principal: Principal) async throws -> Cinema {
        try principal.require(.manager, toDo: "remove a cinema")
        let now = box.now
        return try await box.write { db, stamp in
            var cinema = try Self.openCinema(id: id, in: db)
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

    /// The cinema with this id unless removed.
    static func openCinema(id: String, in db: Database) throws -> Cinema {
        guard let cinema = try Cinema.fetchOne(db, key: id), cinema.deletedAt == nil else {
            throw CatalogError.cinemaNotFound(id)
        }
        return cinema
    }
}
